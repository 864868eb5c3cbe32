// Applies the drizzle-kit migrations in migrations/postgres/ to a PostgreSQL database.
// - Several processes may start at once on one database: each takes the same session advisory lock
//   first, so one migrates and the others then find nothing left to do.
// - Each migration runs in its own transaction with its row in drizzle.__drizzle_migrations (the
//   table and layout of drizzle's own migrator, so drizzle-kit sees the same history): a failing
//   migration leaves the database as it was before that migration.
// - The unaccent extension (search) is checked before anything is applied, so a server without it,
//   or a role that may not create it, gets a one-line error and an untouched database.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import type { PgDb } from './connection.js'
import { describePgError } from './connection.js'

export const postgresMigrationsFolder = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url))

// pg_advisory_lock key of Dateline's migrations ('dateline' in ASCII, as a signed 64-bit integer)
export const MIGRATION_LOCK_KEY = '7233190455493095013'

export class MigrationError extends Error {
  override name = 'MigrationError'
}

export interface MigrationResult {
  // tags of the migrations this call applied (e.g. 0001_search), in order
  applied: string[]
}

export async function runPostgresMigrations (db: PgDb, url: string, folder = postgresMigrationsFolder): Promise<MigrationResult> {
  const migrations = readMigrationFiles({ migrationsFolder: folder })
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string, when: number }> }
  const tagOf = new Map(journal.entries.map((e) => [e.when, e.tag]))
  let conn: Conn
  try {
    conn = await db.$client.reserve()
  } catch (error) {
    throw new MigrationError(describePgError(error, url), { cause: error })
  }
  const applied: string[] = []
  let current = 'the migrations table'
  try {
    // the pool's statement_timeout (STATEMENT_TIMEOUT_MS) is not for migrations: an index on
    // 1,000,000 articles takes longer, and so may the wait for another process's migrations
    await conn.unsafe('set statement_timeout = 0')
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`
    try {
      await checkUnaccent(conn, url)
      await conn.unsafe('create schema if not exists drizzle')
      await conn.unsafe('create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)')
      const [last] = await conn<Array<{ created_at: number }>>`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`
      for (const migration of migrations) {
        if (last && last.created_at >= migration.folderMillis) continue
        current = tagOf.get(migration.folderMillis) ?? String(migration.folderMillis)
        await conn.unsafe('begin')
        try {
          for (const statement of migration.sql) {
            if (statement.trim()) await conn.unsafe(statement)
          }
          await conn`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`
          await conn.unsafe('commit')
        } catch (error) {
          await conn.unsafe('rollback').catch(() => {})
          throw error
        }
        applied.push(current)
      }
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`.catch(() => {})
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error
    const code = (error as { code?: string }).code
    // a server error (five-character SQLSTATE) is the migration's; anything else is the connection
    const message = code && /^[0-9A-Z]{5}$/.test(code) && code !== '28P01' && code !== '3D000'
      ? `DATABASE_URL: migration ${current} failed and was rolled back: ${(error as Error).message}`
      : describePgError(error, url)
    throw new MigrationError(message, { cause: error })
  } finally {
    // back to the pool's own setting (the start-up parameter) before the connection is reused
    await conn.unsafe('reset statement_timeout').catch(() => {})
    conn.release()
  }
  return { applied }
}

type Conn = Awaited<ReturnType<PgDb['$client']['reserve']>>

// unaccent must be installed, or installable by this role, before any migration runs.
async function checkUnaccent (conn: Conn, url: string): Promise<void> {
  const [state] = await conn<Array<{ installed: boolean, available: boolean }>>`
    select exists (select from pg_extension where extname = 'unaccent') as installed,
           exists (select from pg_available_extensions where name = 'unaccent') as available`
  if (state?.installed) return
  if (!state?.available) {
    throw new MigrationError('DATABASE_URL: the PostgreSQL server has no unaccent extension, which search needs: install PostgreSQL\'s contrib modules on the server (Debian and Ubuntu: apt-get install postgresql-contrib)')
  }
  await conn.unsafe('begin')
  try {
    await conn.unsafe('create extension if not exists unaccent')
  } catch (error) {
    const { code, message } = error as { code?: string, message?: string }
    if (code === '42501') {
      throw new MigrationError(`DATABASE_URL: this role may not create the unaccent extension (${message}); run CREATE EXTENSION unaccent in that database as its owner or a superuser once, or grant CREATE on the database`)
    }
    throw new MigrationError(describePgError(error, url), { cause: error })
  } finally {
    // only a trial: the extension is created by the search migration, inside its transaction
    await conn.unsafe('rollback').catch(() => {})
  }
}
