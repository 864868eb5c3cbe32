// The storage seam: everything outside repositories reaches the database through a Store, on
// SQLite (one file, the embedded default) or PostgreSQL (DATABASE_URL, several nodes).
// - `store.repos` reads (and writes single statements) outside a transaction.
// - `store.tx(work)` is the one way to run a transaction: `work` gets the same repositories bound to
//   the transaction; it commits when the promise resolves and rolls back when it rejects. Never call
//   `store` (or start another tx) inside `work`: use the repositories it was given.
// Both engines give a transaction the same view: reads outside it (other requests) never see its
// uncommitted rows (SQLite: the transaction runs on a second connection, see sqlite/store.ts;
// PostgreSQL: its own pooled connection, READ COMMITTED).
import type { ChangeFeed } from './changes.js'
import type { Repositories } from './repositories.js'

export type Engine = 'sqlite' | 'postgres'

export interface Store {
  readonly engine: Engine
  readonly repos: Repositories
  // Public delivery reads (published content, not previews): on PostgreSQL with DATABASE_READ_URL a
  // streaming replica once it has replayed every change this process has seen, else `repos`.
  // Management reads, previews and writes use `repos` and `tx`.
  readonly delivery: Repositories
  // PostgreSQL with DATABASE_READ_URL: true while `delivery` reads the replica
  readonly readingReplica?: boolean
  tx<T>(work: (repos: Repositories) => Promise<T>): Promise<T>
  // resolves when the database answers a trivial query (readiness)
  ping(): Promise<void>
  // What other processes change reaches this one here (db/changes.ts): caches subscribe to it.
  readonly feed: ChangeFeed
  // SQLite: delivers to the feed the changes other processes (the CLI, a second server) committed
  // since the last call; one PRAGMA when there are none, so cheap enough to ask once per event-loop
  // turn. PostgreSQL: nothing to do (notifications push them).
  catchUp(): void
  // Resolves once this process receives other processes' changes (PostgreSQL: LISTEN established).
  // After a lost connection `following` is false until it is back: caches must not answer then.
  follow(): Promise<void>
  readonly following: boolean
  // the database's size on disk in bytes (metrics)
  sizeBytes(): Promise<number>
  // calls `observe` with the duration in ms of each statement run from now on (Server-Timing)
  timeStatements(observe: (ms: number) => void): void
  close(): Promise<void>
}

// The repositories a read uses: the delivery ones (a replica when configured and caught up) for
// published content, the primary's for previews (drafts an editor just saved).
export function readRepos (store: Store, preview = false): Repositories {
  return preview ? store.repos : store.delivery
}
