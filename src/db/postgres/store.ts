// The PostgreSQL store: a postgres.js pool. Reads outside transactions take any pooled connection;
// `tx` runs `work` on one connection inside BEGIN ... COMMIT (READ COMMITTED, PostgreSQL's default:
// writers that must not interleave lock their rows with SELECT ... FOR UPDATE in the repository).
import type postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { postgresRepositories, type Repositories } from '../repositories.js'
import { positionalValues, toPositional, type SqlParams, type SqlRunner } from '../sql-runner.js'
import type { Store } from '../store.js'
import { closePg, openPg, type OpenPgOptions, type PgDb } from './connection.js'
import * as schema from './schema.js'
import { timePostgresQueries } from './timing.js'

// What a PostgreSQL repository is given: the postgres.js client (the pool, or one transaction's
// connection), drizzle over the same client, and the neutral raw-SQL runner.
export interface PgConn {
  readonly client: postgres.Sql | postgres.TransactionSql
  readonly db: PgDb
  readonly sql: SqlRunner
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const
  readonly repos: Repositories

  constructor (readonly pg: PgDb) {
    this.repos = postgresRepositories(pgConn(pg.$client, pg))
  }

  static open (options: OpenPgOptions): PostgresStore {
    return new PostgresStore(openPg(options))
  }

  async tx<T> (work: (repos: Repositories) => Promise<T>): Promise<T> {
    return await this.pg.$client.begin((client) => work(postgresRepositories(pgConn(client)))) as T
  }

  async ping (): Promise<void> {
    await this.pg.$client`select 1`
  }

  changedElsewhere (): boolean {
    return false
  }

  async sizeBytes (): Promise<number> {
    const [row] = await this.pg.$client<Array<{ size: number }>>`select pg_database_size(current_database()) as size`
    return row?.size ?? 0
  }

  timeStatements (observe: (ms: number) => void): void {
    timePostgresQueries(this.pg.$client, observe)
  }

  async close (): Promise<void> {
    await closePg(this.pg)
  }
}

function pgConn (client: postgres.Sql | postgres.TransactionSql, db?: PgDb): PgConn {
  let drizzleDb = db
  return {
    client,
    // built on first use: most transactions use raw SQL only
    get db () {
      drizzleDb ??= drizzle(client as postgres.Sql, { schema }) as PgDb
      return drizzleDb
    },
    sql: postgresRunner(client),
  }
}

// Objects and arrays are JSON (jsonb columns), sent as JSON text as the SQLite runner binds them:
// postgres.js has no jsonb serializer of its own. Write `:ids` arrays in SQL as jsonb
// (`jsonb_array_elements_text(:ids)`), never as PostgreSQL arrays.
const jsonParam = (value: unknown) =>
  value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value) ? JSON.stringify(value) : value

export function postgresRunner (client: postgres.Sql | postgres.TransactionSql): SqlRunner {
  const query = <T>(text: string, params?: SqlParams) => {
    const positional = toPositional(text)
    const values = positionalValues(positional.names, params).map(jsonParam)
    return client.unsafe(positional.text, values as postgres.ParameterOrJSON<never>[], { prepare: true }) as unknown as Promise<T[] & { count: number }>
  }
  return {
    all: async <T>(text: string, params?: SqlParams) => [...await query<T>(text, params)],
    get: async <T>(text: string, params?: SqlParams) => (await query<T>(text, params))[0],
    run: async (text: string, params?: SqlParams) => (await query(text, params)).count,
  }
}
