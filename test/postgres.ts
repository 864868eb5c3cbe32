// PostgreSQL for tests: TEST_DATABASE_URL names a role that may create databases and roles on a
// PostgreSQL 15+ server (`export TEST_DATABASE_URL=$(bash .ci/postgres)` sets one up; .ci/run does).
// Each test file gets databases of its own (createTestDatabase), dropped after the file.
// Without TEST_DATABASE_URL, or with a server that does not answer, the PostgreSQL tests are skipped
// with a printed reason, except under CI=true, where that fails the file.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll } from 'vitest'
import { closePg, openPg } from '../src/db/postgres/connection.js'
import { runPostgresMigrations } from '../src/db/postgres/migrate.js'
import { PostgresStore } from '../src/db/postgres/store.js'

const onCi = process.env.CI === 'true' || process.env.CI === '1'

// The server URL to test against, or undefined (reason printed) when there is none outside CI.
export async function testPostgresUrl (): Promise<string | undefined> {
  const url = process.env.TEST_DATABASE_URL
  const unavailable = (reason: string) => {
    if (onCi) throw new Error(`CI=true but ${reason}: .ci/run must start PostgreSQL (bash .ci/postgres)`)
    console.warn(`PostgreSQL tests skipped: ${reason} (export TEST_DATABASE_URL=$(bash .ci/postgres) to run them)`)
    return undefined
  }
  if (!url) return unavailable('TEST_DATABASE_URL is not set')
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    await sql`select 1`
    return url
  } catch (error) {
    return unavailable(`PostgreSQL at TEST_DATABASE_URL does not answer (${(error as Error).message})`)
  } finally {
    await sql.end({ timeout: 1 })
  }
}

// The same server and credentials, another database (or role and password).
export function withDatabase (url: string, database: string, credentials?: { user: string, password: string }): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  if (credentials) {
    u.username = encodeURIComponent(credentials.user)
    u.password = encodeURIComponent(credentials.password)
  }
  return u.toString()
}

// registered when a test file imports this module (a hook registered inside a test never runs)
const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

function registerCleanup (cleanup: () => Promise<void>) {
  cleanups.push(cleanup)
}

// Runs statements as the TEST_DATABASE_URL role on its own database.
export async function asAdmin<T> (url: string, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 2, onnotice: () => {} })
  try {
    return await run(sql)
  } finally {
    await sql.end({ timeout: 5 })
  }
}

// A new empty database (dateline_test_<random>), dropped (with any connection left) after the file.
// Call it in beforeAll or in a test.
export async function createTestDatabase (url: string): Promise<string> {
  const name = `dateline_test_${randomBytes(6).toString('hex')}`
  await asAdmin(url, (sql) => sql.unsafe(`create database ${name}`))
  registerCleanup(() => asAdmin(url, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).then(() => {}))
  return withDatabase(url, name)
}

// A login role with no privilege beyond PUBLIC's (so no CREATE on any database), dropped after the file.
export async function createPlainRole (url: string): Promise<{ user: string, password: string }> {
  const user = `dateline_test_role_${randomBytes(6).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await asAdmin(url, (sql) => sql.unsafe(`create role ${user} login password '${password}'`))
  registerCleanup(() => asAdmin(url, (sql) => sql.unsafe(`drop role if exists ${user}`)).then(() => {}))
  return { user, password }
}

// One admin connection per test process for making and dropping the tests' databases.
let admin: postgres.Sql | undefined
function adminSql (url: string): postgres.Sql {
  if (!admin) {
    admin = postgres(url, { max: 2, onnotice: () => {} })
    const sql = admin
    registerCleanup(async () => { await sql.end({ timeout: 5 }); admin = undefined })
  }
  return admin
}

let template: Promise<string> | undefined

// DROP DATABASE ... WITH (FORCE), tried again a few times: a session still ending (or one the role
// may not signal) makes it fail now and then.
async function dropDatabase (url: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminSql(url).unsafe(`drop database if exists ${name} with (force)`)
      return
    } catch (error) {
      if (attempt >= 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
    }
  }
}

// A store on a new database copied from a migrated template (made once per test process): copying is
// much faster than migrating. Its database is dropped when the store closes.
export async function postgresTestStore (): Promise<{ store: PostgresStore, url: string }> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL (export TEST_DATABASE_URL=$(bash .ci/postgres))')
  template ??= (async () => {
    const name = `dateline_tpl_${randomBytes(6).toString('hex')}`
    await adminSql(url).unsafe(`create database ${name}`)
    registerCleanup(async () => { await asAdmin(url, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`)) })
    const target = withDatabase(url, name)
    const db = openPg({ url: target, max: 1 })
    try {
      await runPostgresMigrations(db, target)
    } finally {
      await closePg(db)
    }
    return name
  })()
  const tpl = await template
  const name = `dateline_test_${randomBytes(6).toString('hex')}`
  await adminSql(url).unsafe(`create database ${name} template ${tpl}`)
  const target = withDatabase(url, name)
  const store = PostgresStore.open({ url: target, max: 4 })
  const close = store.close.bind(store)
  store.close = async () => {
    await close()
    await dropDatabase(url, name)
  }
  return { store, url: target }
}
