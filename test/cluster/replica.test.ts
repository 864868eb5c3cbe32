// DATABASE_READ_URL: two nodes read delivery content from a streaming replica that applies every
// change 1.5 s after its commit (recovery_min_apply_delay). A node that refilled its cache from the
// replica before it replayed a write would keep the old answer until the next change; the nodes
// must instead read from the primary until the replica has caught up (db/postgres/replica.ts), so a
// write is served by both nodes within a second anyway and never replaced by the old version later.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { referenceStorySlug } from '../../src/demo/seed.js'
import { PostgresStore } from '../../src/db/postgres/store.js'
import { createApiKey } from '../../src/keys/repository.js'
import { eventually } from '../helpers.js'
import { startServer, stopServer, type ServerProcess } from '../e2e/process.js'
import { missingPostgresBinaries, startPrimary, startReplica, type PgInstance } from './pg-instance.js'

const missing = (process.env.TEST_ENGINES ?? 'sqlite,postgres').split(',').includes('postgres')
  ? missingPostgresBinaries()
  : 'TEST_ENGINES leaves PostgreSQL out'
const APPLY_DELAY_MS = 1_500

let primary: PgInstance
let replica: PgInstance
let dir: string
let token: string
const nodes: ServerProcess[] = []

const metric = async (node: ServerProcess, name: string) => {
  const text = await (await fetch(`${node.baseUrl}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])
}
const headline = async (node: ServerProcess) =>
  (await (await fetch(`${node.baseUrl}/v1/articles/${referenceStorySlug}`)).json() as { headline: string }).headline

describe.skipIf(missing !== undefined)('delivery reads from a delayed streaming replica', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-replica-'))
    primary = await startPrimary()
    const admin = postgres(primary.url(), { max: 1, onnotice: () => {} })
    await admin.unsafe('create database dateline')
    await admin.end()
    const env = { DEMO_CONTENT: 'true', DATABASE_URL: primary.url('dateline') }
    nodes.push(await startServer(join(dir, 'unused.db'), env))
    const store = PostgresStore.open({ url: primary.url('dateline'), max: 1 })
    try {
      token = await createApiKey(store, { name: 'replica-test', scopes: ['admin'], now: Date.now() })
    } finally {
      await store.close()
    }
    replica = await startReplica(primary, APPLY_DELAY_MS)
    await stopServer(nodes.pop()!, 'SIGTERM')
    for (let i = 0; i < 2; i++) nodes.push(await startServer(join(dir, 'unused.db'), { ...env, DATABASE_READ_URL: replica.url('dateline') }))
  }, 120_000)

  afterAll(async () => {
    for (const node of nodes) await stopServer(node, 'SIGKILL')
    await replica?.remove()
    await primary?.remove()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('reads the replica once it has caught up, and never serves an answer older than a write it has seen', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess]
    for (const node of nodes) await eventually(async () => await metric(node, 'dateline_db_reading_replica') === 1, 10_000, `${node.baseUrl} reading the replica`)
    const { id } = await (await fetch(`${a.baseUrl}/v1/articles/${referenceStorySlug}`)).json() as { id: number }
    for (let round = 0; round < 3; round++) {
      for (const node of nodes) for (let i = 0; i < 3; i++) await headline(node)
      const wanted = `Replicated, round ${round}`
      const res = await fetch(`${a.baseUrl}/v1/articles/${id}`, {
        method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ headline: wanted }),
      })
      expect(res.status).toBe(200)
      const answered = Date.now()
      expect(await headline(a)).toBe(wanted)
      await eventually(async () => await headline(b) === wanted, 1_000, `round ${round} on the other node`)
      // until the replica has replayed the write and well after: never the old headline again
      while (Date.now() - answered < APPLY_DELAY_MS + 500) {
        for (const node of nodes) expect(await headline(node)).toBe(wanted)
      }
    }
    for (const node of nodes) await eventually(async () => await metric(node, 'dateline_db_reading_replica') === 1, 10_000, `${node.baseUrl} back on the replica`)
  })
})
