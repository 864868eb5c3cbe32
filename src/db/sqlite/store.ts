// The SQLite store: better-sqlite3 on two connections to one WAL file. Reads outside transactions run
// on the read connection; transactions run on the write connection, one at a time (an in-process
// queue, then BEGIN IMMEDIATE for other processes such as the CLI). A transaction's statements run
// synchronously but `work` is async, so other requests run between its awaits: on the read
// connection they see only committed data, as on PostgreSQL. An in-memory database (`:memory:`, the
// openapi command and a few tests) cannot be opened twice and uses one connection for both.
import { closeDb, openDb, type Db } from '../connection.js'
import { sqliteRepositories, type Repositories } from '../repositories.js'
import { statement } from '../statements.js'
import type { SqlParams, SqlRunner } from '../sql-runner.js'
import type { Store } from '../store.js'
import { timeSqliteStatements, untimed } from './timing.js'

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const
  readonly repos: Repositories
  readonly #writeRepos: Repositories
  #queue: Promise<unknown> = Promise.resolve()

  // `db` is the read connection; `write` the transactions' connection (the same for :memory:)
  constructor (readonly db: Db, readonly write: Db = db) {
    this.repos = sqliteRepositories(db)
    this.#writeRepos = write === db ? this.repos : sqliteRepositories(write)
  }

  static open (path: string): SqliteStore {
    const db = openDb({ path })
    if (path === ':memory:' || path.startsWith('file::memory:')) return new SqliteStore(db)
    // transactions are short and touch pages the read connection has cached anyway
    return new SqliteStore(db, openDb({ path, cacheKiB: 4_000 }))
  }

  tx<T> (work: (repos: Repositories) => Promise<T>): Promise<T> {
    const client = this.write.$client
    const run = async (): Promise<T> => {
      client.exec('BEGIN IMMEDIATE')
      try {
        const result = await work(this.#writeRepos)
        client.exec('COMMIT')
        return result
      } catch (error) {
        if (client.inTransaction) client.exec('ROLLBACK')
        throw error
      }
    }
    const result = this.#queue.then(run, run)
    this.#queue = result.catch(() => {})
    return result
  }

  async ping (): Promise<void> {
    statement(this.db, 'select 1').get()
  }

  // PRAGMA data_version on the write connection changes when a commit from any other connection
  // lands (another process, or code still writing through the read connection), never for its own.
  // The statement is prepared before timeStatements wraps the driver, so it is never timed.
  #dataVersion: (() => number) | undefined
  #seenVersion = 0
  changedElsewhere (): boolean {
    if (!this.#dataVersion) {
      const pragma = this.write.$client.prepare('pragma data_version').pluck()
      const get = untimed(pragma)
      this.#dataVersion = () => get() as number
      this.#seenVersion = this.#dataVersion()
      return false
    }
    const version = this.#dataVersion()
    if (version === this.#seenVersion) return false
    this.#seenVersion = version
    return true
  }

  async sizeBytes (): Promise<number> {
    const pageCount = statement(this.db, 'pragma page_count').pluck().get() as number
    const pageSize = statement(this.db, 'pragma page_size').pluck().get() as number
    return pageCount * pageSize
  }

  timeStatements (observe: (ms: number) => void): void {
    timeSqliteStatements(this.db.$client, observe)
  }

  async close (): Promise<void> {
    await this.#queue
    if (this.write !== this.db) closeDb(this.write)
    closeDb(this.db)
  }
}

// Parameters as better-sqlite3 binds them: booleans as 1/0, objects and arrays (JSON columns) as JSON
// text, as PostgreSQL's jsonb columns take them from postgres.js.
export function sqliteParams (params: SqlParams | undefined): [] | [SqlParams] {
  if (params === undefined) return []
  const out: SqlParams = {}
  for (const [name, value] of Object.entries(params)) {
    out[name] = typeof value === 'boolean'
      ? Number(value)
      : value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? JSON.stringify(value) : value
  }
  return [out]
}

// Raw SQL on one connection, prepared once per text (db/statements.ts).
export function sqliteRunner (db: Db): SqlRunner {
  const bind = sqliteParams
  return {
    all: async <T>(text: string, params?: SqlParams) => statement(db, text).all(...bind(params)) as T[],
    get: async <T>(text: string, params?: SqlParams) => statement(db, text).get(...bind(params)) as T | undefined,
    run: async (text: string, params?: SqlParams) => statement(db, text).run(...bind(params)).changes,
  }
}
