// makeApp: the real app on a fresh SQLite file with the real migrations and an injectable clock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import supertest from 'supertest'
import { afterEach } from 'vitest'
import { buildApp, type App } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import { closeDb, openDb, type Db } from '../src/db/connection.js'
import { runMigrations } from '../src/db/migrate.js'

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
  db: Db
  config: Config
  clock: TestClock
  request: ReturnType<typeof supertest>
  dir: string
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

export async function makeApp (overrides: { env?: Record<string, string>, clock?: TestClock, seed?: (db: Db) => void, routes?: (app: App) => void | Promise<void> } = {}): Promise<TestContext> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-test-'))
  // event-loop shedding off unless a test asks for it: a test's own synchronous seeding (thousands of
  // rows in one transaction) would otherwise trip it on a loaded CI machine
  const config = loadConfig({ DATABASE_PATH: join(dir, 'test.db'), DEMO_CONTENT: 'false', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', ...overrides.env })
  const db = openDb({ path: config.databasePath })
  runMigrations(db)
  overrides.seed?.(db)
  const clock = overrides.clock ?? makeClock()
  const app = await buildApp({ db, config, clock })
  await overrides.routes?.(app)
  await app.ready()
  cleanups.push(async () => {
    await app.close()
    closeDb(db)
    rmSync(dir, { recursive: true, force: true })
  })
  return { app, db, config, clock, request: supertest(app.server), dir }
}
