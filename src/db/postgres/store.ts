// The PostgreSQL store: a postgres.js pool. Reads outside transactions take any pooled connection;
// `tx` runs `work` on one connection inside BEGIN ... COMMIT (READ COMMITTED, PostgreSQL's default:
// writers that must not interleave lock their rows with SELECT ... FOR UPDATE in the repository).
import type postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { postgresRepositories, type Repositories } from '../repositories.js'
import { positionalValues, toPositional, type SqlParams, type SqlRunner } from '../sql-runner.js'
import type { Store } from '../store.js'
import { ChangeFeed, type ChangeRecorder } from '../changes.js'
import { closePg, openPg, type OpenPgOptions, type PgDb } from './connection.js'
import { ChangeListener } from './listener.js'
import { ReplicaReads } from './replica.js'
import { SectionIds } from './section-ids.js'
import * as schema from './schema.js'
import { timePostgresQueries } from './timing.js'

// What a PostgreSQL repository is given: the postgres.js client (the pool, or one transaction's
// connection), drizzle over the same client, and the neutral raw-SQL runner.
export interface PgConn {
  readonly client: postgres.Sql | postgres.TransactionSql
  readonly db: PgDb
  readonly sql: SqlRunner
  // where a transaction's recorded changes go (transactions only)
  readonly recorder?: ChangeRecorder
  // the process's section ids by path (section-ids.ts; reads outside transactions only)
  readonly sectionIds?: SectionIds
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const
  readonly repos: Repositories
  readonly feed = new ChangeFeed()
  readonly #listener: ChangeListener | undefined
  readonly #replica: ReplicaReads | undefined

  // `url` is needed to follow other nodes' changes (a connection of its own for LISTEN);
  // `replica`, a streaming replica for delivery reads (replica.ts)
  constructor (readonly pg: PgDb, url?: string, replica?: PgDb) {
    const sectionIds = new SectionIds(this.feed, () => this.following)
    this.repos = postgresRepositories(pgConn(pg.$client, pg, undefined, sectionIds))
    this.#listener = url === undefined ? undefined : new ChangeListener(url, this.feed, (client) => postgresRepositories(pgConn(client)).changes.latest())
    this.#replica = replica && new ReplicaReads(replica, pg, this.feed, sectionIds)
  }

  static open (options: OpenPgOptions, readUrl?: string): PostgresStore {
    return new PostgresStore(openPg(options), options.url, readUrl === undefined ? undefined : openPg({ ...options, url: readUrl }))
  }

  get delivery (): Repositories {
    return this.#replica?.caughtUp === true ? this.#replica.repos : this.repos
  }

  // true while delivery reads go to the replica (tests, metrics)
  get readingReplica (): boolean {
    return this.#replica?.caughtUp === true
  }

  async tx<T> (work: (repos: Repositories) => Promise<T>): Promise<T> {
    const recorder: ChangeRecorder = { pending: [] }
    const result = await this.pg.$client.begin((client) => work(postgresRepositories(pgConn(client, undefined, recorder)))) as T
    for (const change of recorder.pending) this.feed.local(change)
    return result
  }

  catchUp (): void {}

  async follow (): Promise<void> {
    if (!this.#listener) throw new Error('this store was opened without a URL: it cannot follow other nodes')
    await this.#listener.start()
  }

  get following (): boolean {
    return this.#listener?.listening ?? false
  }

  async ping (): Promise<void> {
    await this.pg.$client`select 1`
  }

  async sizeBytes (): Promise<number> {
    const [row] = await this.pg.$client<Array<{ size: number }>>`select pg_database_size(current_database()) as size`
    return row?.size ?? 0
  }

  timeStatements (observe: (ms: number) => void): void {
    timePostgresQueries(this.pg.$client, observe)
  }

  async close (): Promise<void> {
    await this.#listener?.stop()
    await this.#replica?.close()
    await closePg(this.pg)
  }
}

export function pgConn (client: postgres.Sql | postgres.TransactionSql, db?: PgDb, recorder?: ChangeRecorder, sectionIds?: SectionIds): PgConn {
  let drizzleDb = db
  return {
    client,
    recorder,
    sectionIds,
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
