// The real server with DATABASE_URL on a real PostgreSQL server: it migrates, loads the demo content
// and serves (test/e2e/postgres-demo.test.ts compares its answers with SQLite's); a database it
// cannot use stops it with one line naming DATABASE_URL, exit 1, and nothing half-migrated.
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { closePg, openPg } from '../../src/db/postgres/connection.js'
import { MIGRATION_LOCK_KEY, runPostgresMigrations } from '../../src/db/postgres/migrate.js'
import { postgresPortMissing } from '../e2e/pending.js'
import { startServer, startWithDatabaseUrl, stopServer } from '../e2e/process.js'
import { eventually } from '../helpers.js'
import { asAdmin, createPlainRole, createTestDatabase, testPostgresUrl, withDatabase } from '../postgres.js'

const serverUrl = await testPostgresUrl()

// A transaction of `admin` holding the articles table (access exclusive) until released: every
// statement that reads articles waits on it. Releasing again is harmless.
async function holdArticles (admin: postgres.Sql): Promise<{ release: () => Promise<void> }> {
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let locked = () => {}
  const lockTaken = new Promise<void>((resolve) => { locked = resolve })
  const holding = admin.begin(async (tx) => {
    await tx`lock table articles in access exclusive mode`
    locked()
    await held
  })
  // a failed begin or lock rejects here instead of waiting forever
  await Promise.race([lockTaken, holding])
  return {
    release: async () => {
      release()
      await holding
    },
  }
}

describe.skipIf(!serverUrl)('server and CLI with DATABASE_URL', () => {
  it('a reachable, empty PostgreSQL database: migrated, demo content loaded, ready; SIGTERM exits 0', async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
    const url = await createTestDatabase(serverUrl!)
    const server = await startServer('/nonexistent/never-used.db', { DATABASE_URL: url, DEMO_CONTENT: 'true' })
    try {
      expect(await (await fetch(`${server.baseUrl}/readyz`)).json()).toEqual({ status: 'ok' })
      const list = await (await fetch(`${server.baseUrl}/v1/articles?limit=1`)).json() as { data: unknown[] }
      expect(list.data).toHaveLength(1)
    } finally {
      expect(await stopServer(server, 'SIGTERM')).toEqual({ code: 0, signal: null })
    }
  })

  it('DATABASE_POOL_SIZE caps the connections a node opens: 80 concurrent uncached reads answer on 3 (plus LISTEN)', async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
    const url = await createTestDatabase(serverUrl!)
    const server = await startServer('/nonexistent/never-used.db', { DATABASE_URL: url, DEMO_CONTENT: 'true', RESPONSE_CACHE: 'false', DATABASE_POOL_SIZE: '3' })
    try {
      const list = await (await fetch(`${server.baseUrl}/v1/articles?limit=20`)).json() as { data: Array<{ slug: string }> }
      const paths = list.data.flatMap(({ slug }) => [`/v1/articles/${slug}`, `/v1/articles/${slug}/related`, '/v1/articles?limit=50', '/v1/search?q=news'])
      const statuses = await Promise.all(paths.map(async (path) => (await fetch(`${server.baseUrl}${path}`)).status))
      expect(statuses).toHaveLength(80)
      expect(statuses.every((status) => status === 200)).toBe(true)
      // idle connections stay open for 60 s: what the burst opened is still there
      const connections = await asAdmin(url, (sql) => sql<Array<{ app: string, n: number }>>`
        select application_name as app, count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name like 'dateline%' group by 1 order by 1`)
      expect(connections).toEqual([{ app: 'dateline', n: 3 }, { app: 'dateline-listen', n: 1 }])
    } finally {
      expect(await stopServer(server, 'SIGTERM')).toEqual({ code: 0, signal: null })
    }
  })

  it('STATEMENT_TIMEOUT_MS: a statement held past it is cancelled and its request answered 503 at once; migrations wait as long as they must', async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
    const url = await createTestDatabase(serverUrl!)
    const admin = postgres(url, { max: 2, onnotice: () => {} })
    try {
      // another process's migrations hold the lock: this server's migrations wait past the timeout
      const holder = await admin.reserve()
      await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`
      const starting = startServer('/nonexistent/never-used.db', { DATABASE_URL: url, DEMO_CONTENT: 'true', RESPONSE_CACHE: 'false', STATEMENT_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '20000' })
      await eventually(async () => {
        const [waiting] = await admin<Array<{ ms: number }>>`
          select (extract(epoch from clock_timestamp() - a.query_start) * 1000)::int as ms
          from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and not l.granted and a.datname = current_database()`
        return waiting !== undefined && waiting.ms > 900
      }, 10_000, "the server's migrations waiting on the lock for three timeouts")
      await holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`
      holder.release()
      const server = await starting
      let lock: { release: () => Promise<void> } | undefined
      try {
        expect((await fetch(`${server.baseUrl}/v1/articles?limit=5`)).status).toBe(200)
        // the listing's statement waits on this lock
        lock = await holdArticles(admin)
        const started = Date.now()
        const res = await fetch(`${server.baseUrl}/v1/articles?limit=5`)
        const elapsed = Date.now() - started
        expect(res.status).toBe(503)
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(await res.json()).toMatchObject({ status: 503 })
        // cancelled by PostgreSQL, not given up at REQUEST_TIMEOUT_MS while it still ran
        expect(elapsed).toBeLessThan(10_000)
        const stillWaiting = await admin<Array<{ n: number }>>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and application_name = 'dateline' and wait_event_type = 'Lock'`
        expect(stillWaiting).toEqual([{ n: 0 }])
        await lock.release()
        expect((await fetch(`${server.baseUrl}/v1/articles?limit=5`)).status).toBe(200)
      } finally {
        await lock?.release()
        expect(await stopServer(server, 'SIGTERM')).toEqual({ code: 0, signal: null })
      }
    } finally {
      await admin.end({ timeout: 5 })
    }
  })

  it('demo content cancelled at STATEMENT_TIMEOUT_MS: exit 1, one line naming both variables', async () => {
    const url = await createTestDatabase(serverUrl!)
    const db = openPg({ url, max: 1 })
    await runPostgresMigrations(db, url)
    await closePg(db)
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    try {
      // the demo loader's first statement (is the database empty?) waits on this lock
      const lock = await holdArticles(admin)
      const result = await startWithDatabaseUrl(url, { DEMO_CONTENT: 'true', STATEMENT_TIMEOUT_MS: '300' })
      await lock.release()
      expect(result.code).toBe(1)
      expect(result.stderr.trim().split('\n')).toEqual(['DATABASE_URL: loading the demo content failed: canceling statement due to statement timeout (STATEMENT_TIMEOUT_MS is 300)'])
    } finally {
      await admin.end({ timeout: 5 })
    }
  })

  it('a wrong password: exit 1, one line naming DATABASE_URL', async () => {
    const url = await createTestDatabase(serverUrl!)
    const wrong = withDatabase(url, new URL(url).pathname.slice(1), { user: decodeURIComponent(new URL(url).username), password: 'not-the-password' })
    const result = await startWithDatabaseUrl(wrong)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual([
      `DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:5432${new URL(url).pathname}: authentication failed (password authentication failed for user "${decodeURIComponent(new URL(url).username)}")`,
    ])
    expect(result.sqliteCreated).toBe(false)
  })

  it('a database that does not exist: exit 1, one line naming DATABASE_URL', async () => {
    const missing = withDatabase(serverUrl!, 'dateline_test_never_created')
    const result = await startWithDatabaseUrl(missing)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual(['DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:5432/dateline_test_never_created: database "dateline_test_never_created" does not exist'])
  })

  it('a role that may not create the unaccent extension: exit 1, one line naming DATABASE_URL, nothing created', async () => {
    const url = await createTestDatabase(serverUrl!)
    const role = await createPlainRole(serverUrl!)
    const result = await startWithDatabaseUrl(withDatabase(url, new URL(url).pathname.slice(1), role))
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^DATABASE_URL: this role may not create the unaccent extension/)
    expect(result.stderr).not.toContain(role.password)
    expect(result.sqliteCreated).toBe(false)
    await asAdmin(url, async (sql) => {
      const [row] = await sql<Array<{ tables: number }>>`select count(*)::int as tables from pg_tables where schemaname in ('public', 'drizzle')`
      expect(row).toEqual({ tables: 0 })
    })
  })
})
