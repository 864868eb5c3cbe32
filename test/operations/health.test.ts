import { describe, expect, it } from 'vitest'
import { makeApp, TEST_ENGINE, type TestContext } from '../helpers.js'
import { asAdmin } from '../postgres.js'
import { skipOnPostgresUntilPorted } from '../e2e/pending.js'

skipOnPostgresUntilPorted()

// Asks /readyz until it answers `status` (each answer awaited, no sleeping), for at most 20 s.
async function readyzUntil (t: TestContext, status: number) {
  const deadline = Date.now() + 20_000
  for (;;) {
    const res = await t.request.get('/readyz')
    if (res.status === status) return res
    if (Date.now() > deadline) throw new Error(`/readyz still answers ${res.status}, not ${status}`)
  }
}

describe('operations', () => {
  it('answers /healthz and /readyz', async () => {
    const { request } = await makeApp()
    await request.get('/healthz').expect(200, { status: 'ok' })
    await request.get('/readyz').expect(200, { status: 'ok' })
  })

  it('answers an unknown route with a 404 problem', async () => {
    const { request } = await makeApp()
    const res = await request.get('/v1/nope').expect(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ type: '/problems/not-found', title: 'Not Found', status: 404, instance: '/v1/nope' })
  })

  // PostgreSQL is a server that can go away and come back: the database stops accepting connections
  // (and drops the ones open), then accepts them again, with no restart of the app
  it.skipIf(TEST_ENGINE !== 'postgres')('answers /readyz 503 while the database is unreachable and 200 again by itself', async () => {
    const t = await makeApp()
    await t.request.get('/readyz').expect(200)
    const database = new URL(t.config.databaseUrl!).pathname.slice(1)
    const accept = (allow: boolean) => asAdmin(process.env.TEST_DATABASE_URL!, async (sql) => {
      await sql.unsafe(`alter database ${database} allow_connections ${allow}`)
      if (!allow) await sql.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}'`)
    })
    await accept(false)
    try {
      const down = await readyzUntil(t, 503)
      expect(down.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(down.headers['cache-control']).toBe('no-store')
      expect(down.body).toMatchObject({ type: '/problems/unavailable', status: 503, detail: 'The database does not answer.' })
      await t.request.get('/healthz').expect(200, { status: 'ok' })
    } finally {
      await accept(true)
    }
    await readyzUntil(t, 200)
    await t.request.get('/readyz').expect(200, { status: 'ok' })
  })
})
