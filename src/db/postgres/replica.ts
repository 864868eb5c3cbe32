// Delivery reads from a streaming replica (DATABASE_READ_URL), never older than a change this node
// has seen. A replica replays the primary's WAL some time after the commit (milliseconds, or more
// under load or with recovery_min_apply_delay). A node that refilled its cache from a replica that
// had not yet replayed a write would keep the old answer until the next change, so:
// - the moment the change feed delivers a change (this node's own commit, or another node's
//   notification, both after the commit), reads go to the primary;
// - the primary's current WAL position is taken (at or past that commit), and the replica is polled
//   until pg_last_wal_replay_lsn() has reached it; only then do reads go back to the replica (if no
//   newer change arrived meanwhile).
// A replica that does not answer is simply not used (reads stay on the primary) until it does.
import type { ChangeFeed } from '../changes.js'
import { postgresRepositories, type Repositories } from '../repositories.js'
import { closePg, type PgDb } from './connection.js'
import type { SectionIds } from './section-ids.js'
import { pgConn } from './store.js'

const POLL_MS = 20
const RETRY_MS = 1_000

export class ReplicaReads {
  readonly repos: Repositories
  // true when the replica has replayed every change this node has seen
  caughtUp = false
  // bumped by every change: a catch-up counts only if no change arrived while it was checked
  #generation = 0
  #checking = false
  #closed = false
  #timer: NodeJS.Timeout | undefined

  constructor (private readonly replica: PgDb, private readonly primary: PgDb, feed: ChangeFeed, sectionIds?: SectionIds) {
    this.repos = postgresRepositories(pgConn(replica.$client, replica, undefined, sectionIds))
    // subscribed before any cache: reads leave the replica before a cache can refill
    feed.subscribe(() => this.changed())
    this.changed()
  }

  changed (): void {
    this.caughtUp = false
    this.#generation++
    if (!this.#checking) this.#check().catch(() => {})
  }

  async #check (): Promise<void> {
    this.#checking = true
    try {
      while (!this.#closed) {
        const generation = this.#generation
        try {
          const [position] = await this.primary.$client<Array<{ lsn: string }>>`select pg_current_wal_lsn()::text as lsn`
          const lsn = position!.lsn
          for (;;) {
            if (this.#closed) return
            // null: not a replica (the URL names a primary), which is as current as the primary
            const [row] = await this.replica.$client<Array<{ replayed: boolean | null }>>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as replayed`
            if (row!.replayed !== false) break
            await this.#wait(POLL_MS)
          }
        } catch {
          await this.#wait(RETRY_MS)
          continue
        }
        if (generation === this.#generation) {
          this.caughtUp = true
          return
        }
      }
    } finally {
      this.#checking = false
    }
  }

  #wait (ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#timer = setTimeout(resolve, ms)
      this.#timer.unref()
    })
  }

  async close (): Promise<void> {
    this.#closed = true
    if (this.#timer) clearTimeout(this.#timer)
    await closePg(this.replica)
  }
}
