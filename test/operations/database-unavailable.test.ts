// A database that cannot be reached is a 503 problem with Retry-After, never a 500 or a hang, and the
// app recovers by itself when the database is back. The PostgreSQL cases use servers of their own:
// a cluster made here with initdb/pg_ctl on a free port (stopped and started again; the shared test
// server is never touched), a port where nothing listens, and a socket that accepts and never
// answers. They need no TEST_DATABASE_URL, so this file runs once, in the sqlite project (see
// vitest.config.ts), with one SQLite case: the write lock held by another process past busy_timeout.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import supertest from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { runPostgresMigrations } from '../../src/db/postgres/migrate.js'
import { PostgresStore } from '../../src/db/postgres/store.js'
import { createApiKey } from '../../src/keys/repository.js'
import { insertArticle, insertSection, seedStore } from '../fixtures.js'
import { freePort, makeApp, makeClock } from '../helpers.js'

const onCi = process.env.CI === 'true' || process.env.CI === '1'
const PG_BIN = '/usr/lib/postgresql/15/bin'
const SECRET = 'a'.repeat(40)

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

// The app on a PostgreSQL store at `url` (not migrated unless asked). For a database that is down
// from the start, a fixed cursor secret and no response cache (whose onReady reads the schedule)
// make start-up read nothing.
async function appOn (url: string, env: Record<string, string> = {}, options: { connectTimeout?: number } = {}) {
  const store = PostgresStore.open({ url, max: 2, connectTimeout: options.connectTimeout ?? 5 })
  const config = loadConfig({ DATABASE_URL: url, DEMO_CONTENT: 'false', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', CURSOR_SECRET: SECRET, ...env })
  const app = await buildApp({ store, config, clock: makeClock() })
  await app.ready()
  cleanups.push(async () => {
    // the page-view flush at close fails (or times out) on a database that is down
    await app.close().catch(() => {})
    await store.close()
  })
  return { app, store, request: supertest(app.server) }
}

function expectUnavailable (res: supertest.Response) {
  expect(res.status).toBe(503)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.headers['retry-after']).toMatch(/^\d+$/)
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  expect(res.headers['cache-control']).toBe('no-store')
  expect(res.body).toMatchObject({ type: '/problems/service-unavailable', title: 'Service Unavailable', status: 503 })
  expect(res.body.instance).toMatch(/^urn:dateline:request:/)
  // nothing of the driver's message reaches the client
  expect(JSON.stringify(res.body)).not.toMatch(/ECONN|CONNECT|terminat|postgres|sqlite|127\.0\.0\.1|busy|locked/i)
}

// A PostgreSQL cluster of the test's own (initdb as the postgres user when running as root), or
// undefined with a printed reason outside CI where the binaries are missing.
function ownCluster () {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    if (onCi) throw new Error(`CI=true but ${PG_BIN}/initdb is missing: install postgresql`)
    console.warn(`PostgreSQL cluster tests skipped: ${PG_BIN}/initdb is missing (apt-get install postgresql postgresql-contrib)`)
    return undefined
  }
  const dir = mkdtempSync(join(tmpdir(), 'dateline-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
    chownSync(dir, uid, gid)
  }
  const run = (tool: string, args: string[]) => asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], { stdio: 'pipe' })
    : execFileSync(join(PG_BIN, tool), args, { stdio: 'pipe' })
  const data = join(dir, 'data')
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions'])
  let port = 0
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'])
  const stop = () => run('pg_ctl', ['-D', data, '-w', '-t', '30', '-m', 'fast', 'stop'])
  cleanups.push(() => {
    try { stop() } catch {}
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    async start () {
      port ||= await freePort()
      start()
      return `postgres://postgres@127.0.0.1:${port}/postgres`
    },
    stop,
  }
}

describe('PostgreSQL unavailable', () => {
  it('answers 503 with Retry-After while its server is stopped, on delivery, management and /readyz, and recovers when it is back', async () => {
    const cluster = ownCluster()
    if (!cluster) return
    const url = await cluster.start()
    // migrated before the app starts, as openStore does (the app follows the changes table at start)
    const migrator = PostgresStore.open({ url, max: 1 })
    await runPostgresMigrations(migrator.pg, url)
    await migrator.close()
    const { store, request } = await appOn(url)
    await seedStore(store, (s) => {
      insertSection(s, { slug: 'news' })
      insertArticle(s, { slug: 'talks-resume', section: 'news' })
    })
    const auth = { authorization: `Bearer ${await createApiKey(store, { name: 'writer', scopes: ['content:write'], now: Date.now() })}` }
    await request.get('/v1/articles?limit=1').expect(200)
    await request.post('/v1/tags').set(auth).send({ slug: 'climate', name: 'Climate', type: 'topic' }).expect(201)

    // a fast shutdown ends every session (57P01 admin_shutdown), then connections are refused
    cluster.stop()
    expectUnavailable(await request.get('/v1/articles?limit=2'))
    expectUnavailable(await request.get('/v1/articles/talks-resume?fresh=1'))
    expectUnavailable(await request.post('/v1/tags').set(auth).send({ slug: 'paris', name: 'Paris', type: 'place' }))
    await request.get('/readyz').expect(503)

    // the first answers after a restart may still be errors of the old sessions (57P01): ready
    // again by itself within a few probes
    await cluster.start()
    for (let attempt = 1; (await request.get('/readyz')).status !== 200; attempt++) {
      expect(attempt).toBeLessThan(50)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await request.get('/v1/articles?limit=2').expect(200)
    await request.post('/v1/tags').set(auth).send({ slug: 'paris', name: 'Paris', type: 'place' }).expect(201)
  }, 120_000)

  it('answers 503 when nothing listens at the configured port (connection refused)', async () => {
    const port = await freePort()
    const { request } = await appOn(`postgres://dateline:secret@127.0.0.1:${port}/dateline`, { RESPONSE_CACHE: 'false' })
    expectUnavailable(await request.get('/v1/articles'))
    expectUnavailable(await request.post('/v1/tags').set({ authorization: `Bearer dl_live_${'A'.repeat(43)}` }).send({ slug: 'x', name: 'X', type: 'topic' }))
  })

  describe('a server that accepts connections and never answers', () => {
    async function silentServer (): Promise<number> {
      const sockets = new Set<Socket>()
      const server: Server = createServer((socket) => { sockets.add(socket) })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      cleanups.push(async () => {
        for (const socket of sockets) socket.destroy()
        await new Promise((resolve) => server.close(resolve))
      })
      return (server.address() as { port: number }).port
    }

    it.each([
      ['after REQUEST_TIMEOUT_MS', { REQUEST_TIMEOUT_MS: '600', CONNECTION_TIMEOUT_MS: '0' }],
      // Node would otherwise drop the idle socket without an answer
      ['when its connection idles for CONNECTION_TIMEOUT_MS meanwhile', { REQUEST_TIMEOUT_MS: '0', CONNECTION_TIMEOUT_MS: '600' }],
    ])('ends a request waiting on it with a 503 problem %s', async (_when, limits) => {
      const port = await silentServer()
      const { request } = await appOn(`postgres://dateline:secret@127.0.0.1:${port}/dateline`, { RESPONSE_CACHE: 'false', ...limits }, { connectTimeout: 3 })
      const started = Date.now()
      expectUnavailable(await request.get('/v1/articles'))
      // the deadline, not the driver's connect timeout (3 s), ended it
      expect(Date.now() - started).toBeLessThan(2500)
    })
  })
})

describe('SQLite unavailable', () => {
  it('answers a write 503 with Retry-After while another process holds the write lock past busy_timeout, and recovers', async () => {
    // no page-view flush (a transaction) while the lock is held: it would wait busy_timeout too
    const ctx = await makeApp({ engine: 'sqlite', env: { VIEWS_FLUSH_INTERVAL_MS: '60000' } })
    const auth = { authorization: `Bearer ${await createApiKey(ctx.store, { name: 'writer', scopes: ['content:write'], now: ctx.clock() })}` }
    const other = new Database(ctx.config.databasePath)
    cleanups.push(() => { other.close() })
    other.exec('BEGIN IMMEDIATE')
    expectUnavailable(await ctx.request.post('/v1/tags').set(auth).send({ slug: 'climate', name: 'Climate', type: 'topic' }))
    // reads go on: WAL readers do not wait for the writer
    await ctx.request.get('/v1/tags').expect(200)
    other.exec('ROLLBACK')
    await ctx.request.post('/v1/tags').set(auth).send({ slug: 'climate', name: 'Climate', type: 'topic' }).expect(201)
  }, 30_000)
})
