// The PostgreSQL schema and its migrations on a real PostgreSQL 15 server (TEST_DATABASE_URL; see
// test/postgres.ts): migrations on an empty database, concurrent migrating processes, the schema
// mirroring SQLite's, and a role that may not create the unaccent extension.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core'
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import { closePg, openPg, type PgDb } from '../../src/db/postgres/connection.js'
import { MIGRATION_LOCK_KEY, MigrationError, postgresMigrationsFolder, runPostgresMigrations } from '../../src/db/postgres/migrate.js'
import * as pgSchema from '../../src/db/postgres/schema.js'
import * as sqliteSchema from '../../src/db/schema.js'
import { asAdmin, createPlainRole, createTestDatabase, testPostgresUrl, withDatabase } from '../postgres.js'

const serverUrl = await testPostgresUrl()

const journal = JSON.parse(readFileSync(join(postgresMigrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> }
const tags = journal.entries.map((e) => e.tag)

// SQLite tables the PostgreSQL schema leaves out (none since the article documents were retired)
const notMirrored = new Set<string>()
// PostgreSQL tables SQLite does not have (or has under another form: articles_fts is FTS5)
const postgresOnly = new Set(['articles_search'])

async function withDb<T> (url: string, run: (db: PgDb) => Promise<T>): Promise<T> {
  const db = openPg({ url, max: 2 })
  try {
    return await run(db)
  } finally {
    await closePg(db)
  }
}

function runCli (args: string[], env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

async function pollUntil (check: () => Promise<boolean>, what: string, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.skipIf(!serverUrl)('PostgreSQL migrations', () => {
  const admin = serverUrl!

  it('apply to an empty database, once: every table, column and index of the drizzle schema exists', async () => {
    const url = await createTestDatabase(admin)
    await withDb(url, async (db) => {
      expect(await runPostgresMigrations(db, url)).toEqual({ applied: tags })
      expect(await runPostgresMigrations(db, url)).toEqual({ applied: [] })
      const sql = db.$client
      const rows = await sql<Array<{ hash: string }>>`select hash from drizzle.__drizzle_migrations`
      expect(rows).toHaveLength(tags.length)

      const columns = await sql<Array<{ table_name: string, column_name: string, is_nullable: string, data_type: string, collation_name: string | null }>>`
        select table_name, column_name, is_nullable, data_type, collation_name from information_schema.columns where table_schema = 'public'`
      const indexes = await sql<Array<{ indexname: string }>>`select indexname from pg_indexes where schemaname = 'public'`
      const indexNames = new Set(indexes.map((i) => i.indexname))
      const tables = Object.values(pgSchema).filter((t) => t instanceof PgTable).map((t) => pgTableConfig(t))
      expect(new Set(columns.map((c) => c.table_name))).toEqual(new Set(tables.map((t) => t.name)))
      for (const table of tables) {
        const live = columns.filter((c) => c.table_name === table.name)
        expect(live.map((c) => `${c.column_name} ${c.is_nullable === 'NO' ? 'not null' : 'null'}`).sort(), table.name)
          .toEqual(table.columns.map((c) => `${c.name} ${c.notNull ? 'not null' : 'null'}`).sort())
        for (const index of table.indexes) expect(indexNames, table.name).toContain(index.config.name)
      }
      // text compares and sorts bytewise (SQLite's BINARY), whatever the database's locale
      expect(columns.filter((c) => c.data_type === 'text' && c.collation_name !== 'C')).toEqual([])
      expect(columns.find((c) => c.column_name === 'published_at' && c.table_name === 'articles')?.data_type).toBe('bigint')
      expect(columns.find((c) => c.column_name === 'body' && c.table_name === 'articles')?.data_type).toBe('jsonb')
      const [config] = await sql`select cfgname from pg_ts_config where cfgname = 'dateline'`
      expect(config).toBeDefined()
    })
  })

  it('mirror the SQLite schema table for table: same columns, nullability and index names', () => {
    const pgTables = new Map(Object.values(pgSchema).filter((t) => t instanceof PgTable).map((t) => [pgTableConfig(t).name, pgTableConfig(t)]))
    const sqliteTables = Object.values(sqliteSchema).filter((t) => t instanceof SQLiteTable).map((t) => sqliteTableConfig(t))
    for (const table of sqliteTables.filter((t) => !notMirrored.has(t.name))) {
      const pg = pgTables.get(table.name)
      expect(pg, `PostgreSQL table ${table.name}`).toBeDefined()
      expect(pg!.columns.map((c) => `${c.name} ${c.notNull}`).sort(), table.name).toEqual(table.columns.map((c) => `${c.name} ${c.notNull}`).sort())
      expect(pg!.indexes.map((i) => i.config.name).sort(), table.name).toEqual(table.indexes.map((i) => i.config.name).sort())
      expect(pg!.foreignKeys.map((f) => `${f.reference().columns.map((c) => c.name)} ${f.onDelete}`).sort(), table.name)
        .toEqual(table.foreignKeys.map((f) => `${f.reference().columns.map((c) => c.name)} ${f.onDelete}`).sort())
    }
    const mirrored = new Set(sqliteTables.map((t) => t.name))
    expect([...pgTables.keys()].filter((name) => !mirrored.has(name) && !postgresOnly.has(name))).toEqual([])
  })

  it('three processes migrating one empty database at once: each migration is applied exactly once', async () => {
    const url = await createTestDatabase(admin)
    // the test holds the migration lock until all three processes wait for it, so they really
    // start migrating at the same moment
    await asAdmin(url, async (sql) => {
      const holder = await sql.reserve()
      await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`
      const processes = [1, 2, 3].map(() => runCli(['migrate'], { DATABASE_URL: url }))
      await pollUntil(async () => {
        const [row] = await sql<Array<{ waiting: number }>>`
          select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`
        return row!.waiting === 3
      }, 'three migrating processes waiting for the lock')
      await holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`
      holder.release()
      const results = await Promise.all(processes)
      for (const r of results) {
        expect(r.stderr).toBe('')
        expect(r.code).toBe(0)
      }
      // one process applied everything, the others found nothing pending
      const outputs = results.map((r) => r.stdout.trim())
      expect(outputs.filter((o) => o.endsWith(`(this run: ${tags.join(', ')})`))).toHaveLength(1)
      expect(outputs.filter((o) => o.endsWith('(none pending)'))).toHaveLength(2)
      const rows = await sql<Array<{ hash: string, n: number }>>`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`
      expect(rows).toHaveLength(tags.length)
      expect(rows.every((r) => r.n === 1)).toBe(true)
    })
  })

  it('a role that may not create the unaccent extension gets a one-line error and an untouched database', async () => {
    const url = await createTestDatabase(admin)
    const role = await createPlainRole(admin)
    const asRole = withDatabase(url, new URL(url).pathname.slice(1), role)
    await withDb(asRole, async (db) => {
      const failure = await runPostgresMigrations(db, asRole).then(() => undefined, (error: unknown) => error)
      expect(failure).toBeInstanceOf(MigrationError)
      expect((failure as Error).message).toMatch(/^DATABASE_URL: this role may not create the unaccent extension .*CREATE EXTENSION unaccent/)
      expect((failure as Error).message).not.toContain('\n')
      expect((failure as Error).message).not.toContain(role.password)
    })
    // the real command: exit 1, one line on stderr
    const cli = await runCli(['migrate'], { DATABASE_URL: asRole })
    expect(cli.code).toBe(1)
    expect(cli.stderr.trim().split('\n')).toHaveLength(1)
    expect(cli.stderr).toMatch(/^DATABASE_URL: this role may not create the unaccent extension/)
    expect(cli.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/)
    // nothing was created
    await asAdmin(url, async (sql) => {
      const [row] = await sql<Array<{ schemas: number, tables: number, extensions: number }>>`
        select (select count(*)::int from pg_namespace where nspname = 'drizzle') as schemas,
               (select count(*)::int from pg_tables where schemaname = 'public') as tables,
               (select count(*)::int from pg_extension where extname = 'unaccent') as extensions`
      expect(row).toEqual({ schemas: 0, tables: 0, extensions: 0 })
    })
  })

  it('a failing migration is rolled back whole, with a one-line error naming it', async () => {
    const url = await createTestDatabase(admin)
    // the search migration's text search configuration exists already: that statement fails
    await asAdmin(url, (sql) => sql.unsafe('create text search configuration dateline (copy = pg_catalog.simple)'))
    await withDb(url, async (db) => {
      const failure = await runPostgresMigrations(db, url).then(() => undefined, (error: unknown) => error)
      expect((failure as Error).message).toMatch(/^DATABASE_URL: migration 0001_search failed and was rolled back: [^\n]+$/)
      const sql = db.$client
      const applied = await sql<Array<{ n: number }>>`select count(*) as n from drizzle.__drizzle_migrations`
      expect(applied[0]!.n).toBe(1)
      const [state] = await sql<Array<{ extensions: number, functions: number }>>`
        select (select count(*) from pg_extension where extname = 'unaccent') as extensions,
               (select count(*) from pg_proc where proname like 'articles_%') as functions`
      expect(state).toEqual({ extensions: 0, functions: 0 })
    })
  })
})
