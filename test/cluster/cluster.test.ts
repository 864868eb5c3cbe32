// Several real server processes on one PostgreSQL database (a server of the test's own, so it can be
// stopped and restarted; pg-instance.ts): a write on one node is served by every node at once, a
// scheduled story goes live on every node in the same second, page views from every node add up,
// PostgreSQL going away gives 503 problems and every node recovers by itself, and a node killed
// mid-write loses nothing it acknowledged. Nothing here sleeps for a fixed time: it polls with a
// deadline. Skipped where the PostgreSQL server binaries are missing (never in CI).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { referenceStorySlug } from '../../src/demo/seed.js'
import { PostgresStore } from '../../src/db/postgres/store.js'
import { createApiKey } from '../../src/keys/repository.js'
import { eventually } from '../helpers.js'
import { driveWrites, startServer, stopServer, type ServerProcess } from '../e2e/process.js'
import { missingPostgresBinaries, startPrimary, type PgInstance } from './pg-instance.js'

// the Node 24 pass of .ci/run runs the SQLite project only (TEST_ENGINES=sqlite)
const missing = (process.env.TEST_ENGINES ?? 'sqlite,postgres').split(',').includes('postgres')
  ? missingPostgresBinaries()
  : 'TEST_ENGINES leaves PostgreSQL out'
const NODE_ENV = {
  DEMO_CONTENT: 'true',
  CURSOR_SECRET: 'cluster-test-secret-shared-by-every-node-0123',
  VIEWS_FLUSH_INTERVAL_MS: '200',
  REQUEST_TIMEOUT_MS: '5000',
}

let primary: PgInstance
let url: string
let dir: string
let token: string
const nodes: ServerProcess[] = []

async function startNode (extra: Record<string, string> = {}): Promise<ServerProcess> {
  const node = await startServer(join(dir, 'unused.db'), { ...NODE_ENV, DATABASE_URL: url, ...extra })
  nodes.push(node)
  return node
}

const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

async function get (node: ServerProcess, path: string): Promise<{ status: number, headers: Headers, body: any }> {
  const res = await fetch(`${node.baseUrl}${path}`)
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text }
}

// reads until the node answers from its cache (an article enters the cache on its second read)
// (within 5 s: a node whose LISTEN connection is being re-established answers past its cache
// meanwhile; seen once in CI after the kill -9 case, see the stop note)
async function cached (node: ServerProcess, path: string, ms = 5_000) {
  const seen: string[] = []
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const res = await get(node, path)
    if (res.headers.get('x-cache') === 'HIT') return res
    seen.push(`${res.status} ${res.headers.get('x-cache')}`)
  }
  const metrics = await (await fetch(`${node.baseUrl}/metrics`)).text()
  throw new Error(`${path} never came from ${node.baseUrl}'s cache (${seen.slice(0, 6).join(', ')}, ... ${seen.length} reads; ${metrics.split('\n').filter((l) => l.startsWith('dateline_change_feed')).join(', ')})`)
}

async function write (node: ServerProcess, method: string, path: string, body: unknown = {}) {
  const res = await fetch(`${node.baseUrl}${path}`, { method, headers: auth(), body: JSON.stringify(body) })
  const json = await res.json() as any
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

describe.skipIf(missing !== undefined)('a cluster of three nodes on one PostgreSQL', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-cluster-'))
    primary = await startPrimary()
    const admin = postgres(primary.url(), { max: 1, onnotice: () => {} })
    await admin.unsafe('create database dateline')
    await admin.end()
    url = primary.url('dateline')
    // three processes start at once on an empty database: one migrates and loads the demo
    await Promise.all([startNode(), startNode(), startNode()])
    const store = PostgresStore.open({ url, max: 1 })
    try {
      token = await createApiKey(store, { name: 'cluster-test', scopes: ['admin'], now: Date.now() })
      const demo = await store.repos.sql.get<{ count: number }>('select count(*) as count from articles where slug = :slug', { slug: referenceStorySlug })
      expect(demo?.count).toBe(1)
    } finally {
      await store.close()
    }
  }, 120_000)

  afterAll(async () => {
    for (const node of nodes) await stopServer(node, 'SIGKILL')
    await primary?.remove()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('serves a write from every node within a second of its response, and at once from the node that took it', async () => {
    const [a, b, c] = nodes as [ServerProcess, ServerProcess, ServerProcess]
    const path = `/v1/articles/${referenceStorySlug}`
    const { id } = (await get(a, path)).body
    const delays: number[] = []
    for (let round = 0; round < 5; round++) {
      for (const node of [a, b, c]) await cached(node, path)
      const headline = `Talks resume, round ${round}`
      await write(a, 'PATCH', `/v1/articles/${id}`, { headline })
      const answered = Date.now()
      expect((await get(a, path)).body.headline).toBe(headline)
      for (const node of [b, c]) {
        await eventually(async () => (await get(node, path)).body.headline === headline, 2_000, `round ${round} on ${node.baseUrl}`)
        delays.push(Date.now() - answered)
      }
    }
    expect(Math.max(...delays)).toBeLessThan(1_000)
  })

  it('puts a scheduled story live on every node in the same second, lists they had cached included', async () => {
    const created = await write(nodes[0]!, 'POST', '/v1/articles', { headline: 'Scheduled for every node', section: 'news', body: [{ type: 'paragraph', text: 'Goes live by itself.' }] })
    for (const node of nodes) await cached(node, '/v1/articles?limit=3')
    const at = Date.now() + 2_000
    await write(nodes[1]!, 'POST', `/v1/articles/${created.id}/publish`, { at: new Date(at).toISOString() })
    const seen = await Promise.all(nodes.map(async (node) => {
      await eventually(async () => {
        const listed = (await get(node, '/v1/articles?limit=3')).body.data.some((a: { slug: string }) => a.slug === created.slug)
        if (listed) expect(Date.now()).toBeGreaterThanOrEqual(at)
        return listed
      }, 5_000, `the scheduled story on ${node.baseUrl}`)
      return Date.now()
    }))
    for (const when of seen) expect(when - at).toBeLessThan(1_000)
  })

  it('delivers a live blog entry written on one node to a stream held on another', async () => {
    const [a, b] = nodes as [ServerProcess, ServerProcess]
    const blog = (await get(a, '/v1/articles/storm-isla-live')).body as { id: number }
    const controller = new AbortController()
    const stream = await fetch(`${b.baseUrl}/v1/articles/storm-isla-live/entries/stream?lastEventId=999999999`, { signal: controller.signal })
    expect(stream.status).toBe(200)
    const reader = stream.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    // the stream is open on B once its first comment arrived
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value)
    const headline = `Entry from node A ${Date.now()}`
    await write(a, 'POST', `/v1/articles/${blog.id}/entries`, { headline, body: [{ type: 'paragraph', text: 'Across nodes.' }] })
    const answered = Date.now()
    try {
      while (!text.includes(headline)) {
        const { value, done } = await reader.read()
        if (done) throw new Error('the stream ended')
        text += decoder.decode(value)
      }
    } finally {
      controller.abort()
    }
    expect(Date.now() - answered).toBeLessThan(1_000)
    expect(text).toMatch(/event: entry\n/)
  })

  it('counts the page views of every node once, a node stopped with SIGTERM included', async () => {
    const extra = await startNode()
    const path = `/v1/articles/${referenceStorySlug}/views`
    const store = PostgresStore.open({ url, max: 1 })
    try {
      const total = async () => Number((await store.repos.sql.get<{ n: number | null }>('select sum(views) as n from page_views'))?.n ?? 0)
      const before = await total()
      let accepted = 0
      await Promise.all([...nodes].map(async (node) => {
        for (let i = 0; i < 40; i++) {
          const res = await fetch(`${node.baseUrl}${path}`, { method: 'POST', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } })
          await res.arrayBuffer()
          if (res.status === 202) accepted++
        }
      }))
      expect(accepted).toBe(nodes.length * 40)
      // the extra node leaves at once: its buffered views are written on the way out
      expect((await stopServer(extra, 'SIGTERM')).code).toBe(0)
      nodes.splice(nodes.indexOf(extra), 1)
      await eventually(async () => await total() - before === accepted, 5_000, 'every accepted view stored')
    } finally {
      await store.close()
    }
  })

  it('loses nothing a node acknowledged before kill -9, and the other nodes keep serving', async () => {
    const victim = await startNode()
    const [a] = nodes as [ServerProcess]
    const stop = { stopped: false }
    const load = driveWrites(victim.baseUrl, token, { writers: 3, stop })
    const reads: number[] = []
    const reading = (async () => {
      while (!stop.stopped) reads.push((await get(a, `/v1/articles/${referenceStorySlug}`)).status)
    })()
    // let some writes be acknowledged, then kill the node mid-write
    const store = PostgresStore.open({ url, max: 1 })
    try {
      await eventually(async () => Number((await store.repos.sql.get<{ n: number }>("select count(*) as n from articles where slug like 'r%-w%'"))?.n) >= 10, 20_000, 'writes under way')
    } finally {
      await store.close()
    }
    victim.child.kill('SIGKILL')
    await victim.exited
    stop.stopped = true
    nodes.splice(nodes.indexOf(victim), 1)
    const acknowledged = await load
    await reading
    expect(acknowledged.length).toBeGreaterThan(0)
    expect(reads.every((status) => status === 200)).toBe(true)
    const check = PostgresStore.open({ url, max: 1 })
    try {
      for (const write of acknowledged) {
        const row = await check.repos.sql.get<{ status: string }>('select status from articles where slug = :slug', { slug: write.key })
        expect(row, write.key).toBeDefined()
        if (write.kind === 'publish') expect(row!.status, write.key).toBe('published')
      }
    } finally {
      await check.close()
    }
  })

  it('answers 503 problems while PostgreSQL is down, says not ready, and recovers by itself with every cache dropped', async () => {
    const [a] = nodes as [ServerProcess]
    const path = `/v1/articles/${referenceStorySlug}`
    for (const node of nodes) await cached(node, path)
    await primary.stop('fast')
    try {
      for (const node of nodes) {
        await eventually(async () => (await get(node, '/readyz')).status === 503, 5_000, `${node.baseUrl} not ready`)
        const started = Date.now()
        const res = await get(node, '/v1/search?q=ceasefire')
        expect(Date.now() - started).toBeLessThan(5_500)
        expect(res.status).toBe(503)
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(JSON.stringify(res.body)).not.toMatch(/postgres|ECONN|CONNECTION_|at \w+ \(/i)
        // a cached answer is not served while changes may be missed
        expect((await get(node, path)).status).toBe(503)
      }
    } finally {
      await primary.start()
    }
    for (const node of nodes) await eventually(async () => (await get(node, '/readyz')).status === 200, 15_000, `${node.baseUrl} ready again`)
    // ready means the database answers; the cache answers again only once LISTEN is back, which on
    // a loaded machine can come seconds later (the listener retries on its own schedule; CI once
    // took over 15 s): on failure, the node's change-feed log says what the listener went through
    for (const node of nodes) {
      try {
        await eventually(async () => /^dateline_change_feed_following 1$/m.test(await (await fetch(`${node.baseUrl}/metrics`)).text()), 30_000, `${node.baseUrl} following again`)
      } catch (error) {
        const feed = node.logs.filter((line) => /change feed/.test(String(line.msg))).slice(-12)
        throw new Error(`${(error as Error).message}; its change feed log: ${JSON.stringify(feed)}`, { cause: error })
      }
    }
    // LISTEN is back on every node: a write on one is served by the others. Entries are served once
    // the next scheduled change is known; a read of it stranded by the restart is given up after
    // NEXT_EVENT_DEADLINE_MS (5 s) and made again (CI once saw 1,458 misses in 5 s without that)
    const { id } = (await get(a, path)).body
    for (const node of nodes) await cached(node, path, 15_000)
    await write(a, 'PATCH', `/v1/articles/${id}`, { headline: 'After the restart' })
    for (const node of nodes) await eventually(async () => (await get(node, path)).body.headline === 'After the restart', 2_000, `${node.baseUrl} after the restart`)
  })
})
