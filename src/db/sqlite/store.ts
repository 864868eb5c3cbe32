// The SQLite store: better-sqlite3 on two connections to one WAL file. Reads outside transactions run
// on the read connection; transactions run on the write connection, one at a time (an in-process
// queue, then BEGIN IMMEDIATE for other processes such as the CLI). A transaction's statements run
// synchronously but `work` is async, so other requests run between its awaits: on the read
// connection they see only committed data, as on PostgreSQL. An in-memory database (`:memory:`, the
// openapi command and a few tests) cannot be opened twice and uses one connection for both.
import { ChangeFeed, type Change, type ChangeRecorder } from '../changes.js'
import { closeDb, openDb, type Db } from '../connection.js'
import { sqliteRepositories, type Repositories } from '../repositories.js'
import { statement } from '../statements.js'
import type { SqlParams, SqlRunner } from '../sql-runner.js'
import type { Store } from '../store.js'
import { timeSqliteStatements, untimed } from './timing.js'

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const
  readonly repos: Repositories
  readonly feed = new ChangeFeed()
  readonly following = true
  readonly #writeRepos: Repositories
  // one file: delivery reads the same connection as everything else
  get delivery (): Repositories { return this.repos }
  readonly #recorder: ChangeRecorder = { pending: [] }
  #queue: Promise<unknown> = Promise.resolve()

  // `db` is the read connection; `write` the transactions' connection (the same for :memory:)
  constructor (readonly db: Db, readonly write: Db = db) {
    this.#writeRepos = sqliteRepositories(write, this.#recorder)
    this.repos = write === db ? this.#writeRepos : sqliteRepositories(db)
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
      this.#recorder.pending = []
      try {
        const result = await work(this.#writeRepos)
        client.exec('COMMIT')
        const changes = this.#recorder.pending
        this.#recorder.pending = []
        for (const change of changes) this.feed.local(change)
        return result
      } catch (error) {
        this.#recorder.pending = []
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
  // lands (another process), never for its own. Then the changes table says what changed. The
  // statements are prepared before timeStatements wraps the driver, so they are never timed.
  #dataVersion: (() => number) | undefined
  #changesSince: ((seq: number) => Array<{ seq: number, keys: string }>) | undefined
  #seenVersion = 0
  catchUp (): void {
    if (!this.#dataVersion) {
      this.#start()
      return
    }
    const version = this.#dataVersion()
    if (version === this.#seenVersion) return
    this.#seenVersion = version
    for (;;) {
      const rows = this.#changesSince!(this.feed.watermark ?? 0)
      this.feed.catchUp(rows.map(toChange))
      if (rows.length < CATCH_UP_BATCH) return
    }
  }

  #start (): void {
    const client = this.write.$client
    const get = untimed(client.prepare('pragma data_version').pluck())
    const since = client.prepare(`select seq, keys from changes where seq > ? order by seq limit ${CATCH_UP_BATCH}`)
    this.#dataVersion = () => get() as number
    this.#changesSince = (seq) => since.all(seq) as Array<{ seq: number, keys: string }>
    this.#seenVersion = this.#dataVersion()
    const latest = client.prepare('select coalesce(max(seq), 0) from changes').pluck().get() as number
    this.feed.start(latest)
  }

  async follow (): Promise<void> {
    if (!this.#dataVersion) this.#start()
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

const CATCH_UP_BATCH = 500
const toChange = (row: { seq: number, keys: string }): Change => ({ seq: row.seq, keys: row.keys === '' ? [] : row.keys.split(' ') })

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
