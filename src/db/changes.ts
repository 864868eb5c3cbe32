// The change feed: how every process serving one database learns what another one changed.
//
// A write transaction calls `repos.changes.record(keys)` with the surrogate keys it touched
// (http/surrogate-keys.ts). The keys are stored in the `changes` table in the same transaction, under
// a number `seq` that is max + 1 taken under the write lock, so numbers follow commit order without
// gaps. After the commit:
// - the process that wrote delivers the keys to its own listeners at once (before its response);
// - other processes get them from the database: PostgreSQL sends them with NOTIFY on the channel
//   `dateline_changes` (delivered at commit, in commit order; long key lists are split into payloads
//   under 8,000 bytes); on one SQLite file another process reads the new rows when `PRAGMA
//   data_version` says a commit it did not make has landed (store.catchUp, once per event-loop turn).
// Each process keeps the highest seq up to which it has seen every change (the watermark). A change
// that arrives with a number beyond the next one, while the ones between were never seen, means a
// notification was lost (or pruned before it was read): listeners then get `null`, "drop
// everything", as they do when the LISTEN connection is re-established after an outage.
import type { SqlRunner } from './sql-runner.js'

export const CHANGES_CHANNEL = 'dateline_changes'
// NOTIFY payloads must stay under 8,000 bytes
export const MAX_PAYLOAD_BYTES = 7_900
// rows kept in the changes table (a process further behind than this drops its caches)
export const CHANGES_KEPT = 10_000
// keys in a change that means "everything" (a section moved, a tag renamed, an import)
export const EVERYTHING = '*'

export interface Change { seq: number, keys: string[] }

// null: drop everything (a gap, or a reconnect after which changes may have been missed)
export type ChangeListener = (keys: readonly string[] | null) => void

// The changes of one transaction, delivered to the writing process's listeners after its commit.
export interface ChangeRecorder { pending: Change[] }

export interface ChangesRepository {
  // Stores the keys as the next change; call it last in a write transaction (on PostgreSQL it takes
  // the change lock, held until the commit). Returns the change's seq.
  record(keys: readonly string[]): Promise<number>
  // the changes after `seq`, oldest first (at most `limit`)
  since(seq: number, limit: number): Promise<Change[]>
  // the newest change's seq (0 when there is none)
  latest(): Promise<number>
}

interface Dialect {
  // run before taking seq (PostgreSQL: a transaction advisory lock; SQLite's write lock is held)
  lock?: string
  notify?: (sql: SqlRunner, seq: number, keys: readonly string[]) => Promise<void>
}

// The repository on either engine: the SQL is shared, the lock and NOTIFY are PostgreSQL's.
export function changesRepository (sql: SqlRunner, recorder: ChangeRecorder | undefined, dialect: Dialect): ChangesRepository {
  return {
    async record (keys) {
      if (!recorder) throw new Error('changes.record runs only inside store.tx')
      const unique = [...new Set(keys)]
      if (dialect.lock) await sql.get(dialect.lock)
      const row = await sql.get<{ seq: number | string }>(
        'insert into changes (seq, at, keys) select coalesce(max(seq), 0) + 1, :at, :keys from changes returning seq',
        { at: Date.now(), keys: unique.join(' ') })
      const seq = Number(row?.seq)
      if (seq % 100 === 0) await sql.run('delete from changes where seq <= :oldest', { oldest: seq - CHANGES_KEPT })
      if (dialect.notify) await dialect.notify(sql, seq, unique)
      recorder.pending.push({ seq, keys: unique })
      return seq
    },
    async since (seq, limit) {
      const rows = await sql.all<{ seq: number | string, keys: string }>(
        'select seq, keys from changes where seq > :seq order by seq limit :limit', { seq, limit })
      return rows.map((row) => ({ seq: Number(row.seq), keys: row.keys === '' ? [] : row.keys.split(' ') }))
    },
    async latest () {
      const row = await sql.get<{ seq: number | string | null }>('select max(seq) as seq from changes')
      return Number(row?.seq ?? 0)
    },
  }
}

export const sqliteChangesDialect: Dialect = {}

// 'dateline changes' as a fixed advisory lock key (hashtext is stable across versions)
export const postgresChangesDialect: Dialect = {
  lock: "select pg_advisory_xact_lock(hashtext('dateline changes'))",
  async notify (sql, seq, keys) {
    for (const payload of notificationPayloads(seq, keys)) {
      await sql.get('select pg_notify(:channel, :payload)', { channel: CHANGES_CHANNEL, payload })
    }
  },
}

// `<seq> <part> <parts> <key> <key> ...`, each under MAX_PAYLOAD_BYTES (keys are ASCII-safe: slugs
// and paths; a key alone over the limit is replaced by EVERYTHING)
export function notificationPayloads (seq: number, keys: readonly string[]): string[] {
  const chunks: string[][] = [[]]
  let size = 0
  for (const raw of keys) {
    const key = Buffer.byteLength(raw) > MAX_PAYLOAD_BYTES - 64 ? EVERYTHING : raw
    const bytes = Buffer.byteLength(key) + 1
    if (size + bytes > MAX_PAYLOAD_BYTES - 64 && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([])
      size = 0
    }
    chunks[chunks.length - 1]!.push(key)
    size += bytes
  }
  return chunks.map((chunk, i) => [seq, i + 1, chunks.length, ...chunk].join(' '))
}

// What the feed reports for the log: why caches dropped everything, and the LISTEN connection's
// losses and recoveries (PostgreSQL).
export type FeedEvent =
  | { event: 'reset', reason: 'gap' | 'malformed notification' | 'reconnected' | 'connection lost', watermark: number, seq?: number }
  | { event: 'connection lost', error?: string }
  | { event: 'listening', retries: number }

// One per process: orders what arrives (own commits, notifications, rows read back) by seq and
// tells the listeners.
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>()
  // every change up to here has been delivered; undefined until the starting point is known
  #watermark: number | undefined
  // delivered out of order (this process's own commits, ahead of other nodes' notifications)
  readonly #ahead = new Set<number>()
  // notification parts of a change split over several payloads
  readonly #parts = new Map<number, { keys: string[], seen: number }>()
  readonly #watchers = new Set<(event: FeedEvent) => void>()
  // counters for metrics and tests
  delivered = 0
  resets = 0

  subscribe (listener: ChangeListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  // Reports resets and connection events (the app logs them).
  watch (watcher: (event: FeedEvent) => void): () => void {
    this.#watchers.add(watcher)
    return () => { this.#watchers.delete(watcher) }
  }

  report (event: FeedEvent): void {
    for (const watcher of this.#watchers) watcher(event)
  }

  get watermark (): number | undefined { return this.#watermark }

  // The starting point: every change up to `seq` is reflected in what the caller will read next.
  // With a reason, listeners drop everything (a reconnect: changes may have been missed).
  start (seq: number, reset?: Extract<FeedEvent, { event: 'reset' }>['reason']): void {
    const watermark = this.#watermark
    this.#watermark = seq
    this.#ahead.clear()
    this.#parts.clear()
    if (!reset) return
    this.resets++
    this.report({ event: 'reset', reason: reset, watermark: watermark ?? seq, ...(reset === 'gap' ? { seq } : {}) })
    for (const listener of this.#listeners) listener(null)
  }

  // This process committed the change: delivered at once.
  local (change: Change): void {
    if (this.#watermark !== undefined && change.seq <= this.#watermark) return
    if (this.#ahead.has(change.seq)) return
    this.#ahead.add(change.seq)
    this.#emit(change.keys)
    this.#advance()
  }

  // Another process committed it (a notification, or a row read back), in commit order.
  remote (change: Change): void {
    if (this.#watermark === undefined || change.seq <= this.#watermark) return
    // changes arrive in commit order: one between that was never seen is lost (this process's own
    // commits are already delivered, so they do not count as seen here until their turn)
    if (change.seq > this.#watermark + 1 && !this.#contiguousBefore(change.seq)) {
      this.start(change.seq, 'gap')
      return
    }
    if (this.#ahead.has(change.seq)) {
      this.#advance()
      return
    }
    this.#ahead.add(change.seq)
    this.#emit(change.keys)
    this.#advance()
  }

  // A NOTIFY payload (notificationPayloads); malformed payloads drop everything.
  notification (payload: string): void {
    const [seqText, partText, partsText, ...keys] = payload.split(' ')
    const seq = Number(seqText)
    const part = Number(partText)
    const parts = Number(partsText)
    if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(part) || !Number.isSafeInteger(parts) || parts < 1) {
      if (this.#watermark !== undefined) this.start(this.#watermark, 'malformed notification')
      return
    }
    if (parts === 1) {
      this.remote({ seq, keys })
      return
    }
    const gathered = this.#parts.get(seq) ?? { keys: [], seen: 0 }
    gathered.keys.push(...keys)
    gathered.seen++
    this.#parts.set(seq, gathered)
    if (gathered.seen < parts) return
    this.#parts.delete(seq)
    this.remote({ seq, keys: gathered.keys })
  }

  // changes read back from the table (SQLite: another process's commits); a first row beyond the
  // next number means rows were pruned before this process read them
  catchUp (changes: readonly Change[]): void {
    for (const change of changes) this.remote(change)
  }

  #contiguousBefore (seq: number): boolean {
    for (let s = this.#watermark! + 1; s < seq; s++) if (!this.#ahead.has(s)) return false
    return true
  }

  #advance (): void {
    if (this.#watermark === undefined) return
    while (this.#ahead.delete(this.#watermark + 1)) this.#watermark++
  }

  #emit (keys: readonly string[]): void {
    this.delivered++
    const all = keys.includes(EVERYTHING)
    for (const listener of this.#listeners) listener(all ? null : keys)
  }
}
