// makeApp: the real app on a fresh database with the real migrations and an injectable clock. The
// engine is TEST_ENGINE (`sqlite`, the default, or `postgres`: vitest.config.ts runs the files that
// work on both a second time with it): SQLite in a temp file, or a fresh PostgreSQL database on
// TEST_DATABASE_URL's server (copied from a migrated template, one per test process).
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import supertest from 'supertest'
import { afterEach } from 'vitest'
import { buildApp, type App, type AppDeps } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import type { Db } from '../src/db/connection.js'
import { runMigrations } from '../src/db/migrate.js'
import { PostgresStore } from '../src/db/postgres/store.js'
import { SqliteStore } from '../src/db/sqlite/store.js'
import type { Engine, Store } from '../src/db/store.js'
import { seedStore, type Seed } from './fixtures.js'
import { postgresTestStore } from './postgres.js'

export const TEST_ENGINE: Engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite'

export interface TestClock {
  (): number
  set: (value: number | string) => void
  advance: (ms: number) => void
}

export function makeClock (start: number | string = '2026-11-24T12:00:00.000Z'): TestClock {
  let now = typeof start === 'string' ? Date.parse(start) : start
  const clock = (() => now) as TestClock
  clock.set = (value) => { now = typeof value === 'string' ? Date.parse(value) : value }
  clock.advance = (ms) => { now += ms }
  return clock
}

export interface TestContext {
  app: App
  store: Store
  // SQLite's read connection (tests that look inside SQLite; on PostgreSQL any use throws)
  db: Db
  config: Config
  clock: TestClock
  request: ReturnType<typeof supertest>
  dir: string
}

// A local port nothing listens on (bound once, then closed).
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

// A fresh, migrated store of the engine under test, closed (and its database removed) after the test.
export async function makeStore (engine: Engine = TEST_ENGINE): Promise<{ store: Store, dir: string, env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-test-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  if (engine === 'postgres') {
    const { store, url } = await postgresTestStore()
    cleanups.push(() => store.close())
    return { store, dir, env: { DATABASE_URL: url } }
  }
  const path = join(dir, 'test.db')
  const store = SqliteStore.open(path)
  runMigrations(store.write)
  cleanups.push(() => store.close())
  return { store, dir, env: { DATABASE_PATH: path } }
}

// Another store on the test's database (another process or node), closed after the test.
export async function reopenStore (ctx: Pick<TestContext, 'store' | 'config'>): Promise<Store> {
  const store = ctx.store.engine === 'postgres'
    ? PostgresStore.open({ url: ctx.config.databaseUrl!, max: 2 })
    : SqliteStore.open(ctx.config.databasePath)
  cleanups.push(() => store.close())
  return store
}

// SQLite's read connection under a store, for the tests that look inside SQLite; on PostgreSQL any
// use throws, naming the test's mistake.
function sqliteReadConnection (store: Store): Db {
  if (store instanceof SqliteStore) return store.db
  return new Proxy({} as Db, {
    get (_target, property) {
      if (typeof property === 'symbol' || property === 'then') return undefined
      throw new Error(`ctx.db.${String(property)}: ctx.db is SQLite's connection; on ${store.engine} use ctx.store`)
    },
  })
}

export async function makeApp (overrides: { env?: Record<string, string>, clock?: TestClock, seed?: (seed: Seed) => unknown, prepare?: (store: Store) => unknown, routes?: (app: App) => void | Promise<void>, engine?: Engine, logger?: AppDeps['logger'] } = {}): Promise<TestContext> {
  const { store, dir, env } = await makeStore(overrides.engine)
  // event-loop shedding off unless a test asks for it: a test's own synchronous seeding (thousands of
  // rows in one transaction) would otherwise trip it on a loaded CI machine
  const config = loadConfig({ DATABASE_PATH: join(dir, 'test.db'), DEMO_CONTENT: 'false', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', ...env, ...overrides.env })
  // prepare: anything else a test writes before the app starts (the demo content)
  await overrides.prepare?.(store)
  if (overrides.seed) await seedStore(store, overrides.seed)
  const clock = overrides.clock ?? makeClock()
  const app = await buildApp({ store, config, clock, logger: overrides.logger ?? false })
  await overrides.routes?.(app)
  await app.ready()
  // closed before the store (cleanups run last-pushed first)
  cleanups.push(async () => { await app.close() })
  return { app, store, db: sqliteReadConnection(store), config, clock, request: supertest(app.server), dir }
}

// Records a change as a write transaction does (repos.changes.record): every cache on every
// process serving the database drops responses carrying these keys.
export async function announce (store: Store, keys: string[]): Promise<void> {
  await store.tx((repos) => repos.changes.record(keys))
}

// Polls `check` until it returns a value other than undefined/false, or fails after `ms` (for what
// another process or node does asynchronously; never a fixed sleep).
export async function eventually<T> (check: () => Promise<T | undefined | false>, ms = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
