// PostgreSQL connection pool (postgres.js) wrapped in drizzle, and one-line descriptions of the
// errors a wrong DATABASE_URL gives.
import postgres from 'postgres'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import * as schema from './schema.js'

export type PgDb = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql }

export interface OpenPgOptions {
  url: string
  // the most connections this pool opens (postgres.js opens them lazily); when all are busy, further
  // statements are pipelined on them (sent without waiting for the previous answers)
  max?: number
  // seconds to wait for a connection (TCP, TLS and authentication) before failing
  connectTimeout?: number
  // milliseconds after which PostgreSQL cancels a statement of this pool (statement_timeout, waits
  // for locks included; SQLSTATE 57014, answered 503); 0 or absent: no limit
  statementTimeout?: number
}

// 64-bit integers (count(*), sum(), bigint millisecond timestamps) are read as numbers, as from
// SQLite: every value Dateline stores is far below 2^53.
const int8AsNumber = { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) }

// Settings of every pooled session, sent at connection start-up. Dateline's statements are short
// index walks, measured at 1,000,000 articles (README, "PostgreSQL"):
// - jit: JIT compilation pays off for long analytical queries; an inflated cost estimate made it
//   add ~80 ms to a search plan.
// - max_parallel_workers_per_gather: a parallel plan starts worker processes for a LIMIT 60
//   listing: 100–300 ms a statement under load, where the serial plan takes under 1 ms.
// - plan_cache_mode: postgres.js prepares every statement; PostgreSQL would plan most of them
//   again at every run (0.6–0.9 ms for a section list, more than running it) and may switch any of
//   them to a generic plan by itself after five runs. Forcing generic plans makes that switch
//   deliberate: every statement is written so that its generic plan is the right one (checked by
//   test/postgres/plans.test.ts and search.test.ts).
export const SESSION_SETTINGS = { jit: 'off', max_parallel_workers_per_gather: '0', plan_cache_mode: 'force_generic_plan' } as const

export function openPg ({ url, max = 10, connectTimeout = 10, statementTimeout = 0 }: OpenPgOptions): PgDb {
  const client = postgres(url, {
    max,
    connect_timeout: connectTimeout,
    idle_timeout: 60,
    types: { int8: int8AsNumber },
    // server notices ("relation ... already exists, skipping") are not the application's output
    onnotice: () => {},
    connection: { application_name: 'dateline', ...SESSION_SETTINGS, ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}) },
  })
  return drizzle(client, { schema }) as PgDb
}

export async function closePg (db: PgDb): Promise<void> {
  await db.$client.end({ timeout: 5 })
}

// Where a URL points, without its password: host:port/database.
export function describeTarget (url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname.length > 1 ? u.pathname : ''}`
  } catch {
    return 'the server'
  }
}

// One line for an error met while connecting or migrating, naming the variable (never the password).
export function describePgError (error: unknown, url: string, variable = 'DATABASE_URL'): string {
  const target = describeTarget(url)
  const e = error as { code?: string, message?: string, errors?: Array<{ code?: string }> }
  // Node reports a refused localhost (tried as ::1 and 127.0.0.1) as an AggregateError
  const code = e.code ?? e.errors?.[0]?.code
  const reason = (() => {
    switch (code) {
      case 'ECONNREFUSED': return 'connection refused (is PostgreSQL running and listening there?)'
      case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found'
      case 'CONNECT_TIMEOUT': return 'no answer in time (wrong host or port, or a firewall?)'
      case 'ECONNRESET': case 'CONNECTION_CLOSED': case 'CONNECTION_ENDED': return 'the server closed the connection'
      case '28P01': return `authentication failed (${e.message})`
      case '28000': return `access refused (${e.message})`
      case '3D000': return `${e.message}`
      case 'SASL_SIGNATURE_MISMATCH': return 'the server\'s SCRAM signature did not match'
      default: return e.message?.split('\n')[0] ?? String(error)
    }
  })()
  return `${variable}: cannot use PostgreSQL at ${target}: ${reason}`
}

// Connects once and checks the server is PostgreSQL 15 or newer. Throws PgUnavailableError with a
// one-line message.
export async function checkPostgres (url: string, variable = 'DATABASE_URL'): Promise<{ version: string }> {
  const db = openPg({ url, max: 1 })
  try {
    const [row] = await db.$client<Array<{ num: string, version: string }>>`select current_setting('server_version_num') as num, current_setting('server_version') as version`
    if (!row || Number(row.num) < 150000) {
      throw new PgUnavailableError(`${variable}: PostgreSQL at ${describeTarget(url)} is version ${row?.version ?? 'unknown'}; Dateline needs 15 or newer`)
    }
    return { version: row.version }
  } catch (error) {
    if (error instanceof PgUnavailableError) throw error
    throw new PgUnavailableError(describePgError(error, url, variable), { cause: error })
  } finally {
    await closePg(db).catch(() => {})
  }
}

export class PgUnavailableError extends Error {
  override name = 'PgUnavailableError'
}
