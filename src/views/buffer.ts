// Page-view counting: views are added up in memory per (hour, article) and written to page_views
// in one transaction per flush interval, and once more when the app closes. The write adds to the
// stored counts, so several nodes on one PostgreSQL database add up.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Store } from '../db/store.js'
import type { ViewRow } from './repository.js'

export const HOUR_MS = 3_600_000
// Buckets older than the longest period (30 days) plus the partial hour at its start are pruned.
export const RETENTION_HOURS = 30 * 24 + 1

// How long a flush waits for the previous one before it goes ahead.
export const PREVIOUS_FLUSH_WAIT_MS = 10_000

export interface ViewBufferOptions {
  previousFlushWaitMs?: number
  // called when a flush goes ahead of a previous one that has not settled
  onStalled?: (waitedMs: number) => void
}

export class ViewBuffer {
  private counts = new Map<number, Map<number, number>>()
  private lastPruneHour = -1
  // flushes run one after another (the interval's and the one at close), each waiting for the
  // previous one at most previousFlushWaitMs: a transaction that never settles (a pooled
  // PostgreSQL connection the driver stranded across a server restart, as the change listener's
  // and the response cache's reads were, porsager/postgres#1193) would otherwise hold every later
  // flush while views piled up in memory. The stalled flush's views stay with it: written if it
  // ever commits, back in the buffer if it fails, lost only if it never settles (its transaction
  // never reached the server, or died with the connection).
  private flushing: Promise<unknown> = Promise.resolve()
  private readonly previousFlushWaitMs: number
  private readonly onStalled: (waitedMs: number) => void

  constructor (private readonly store: Store, private readonly clock: () => number, options: ViewBufferOptions = {}) {
    this.previousFlushWaitMs = options.previousFlushWaitMs ?? PREVIOUS_FLUSH_WAIT_MS
    this.onStalled = options.onStalled ?? (() => {})
  }

  record (articleId: number, at: number): void {
    const hour = Math.floor(at / HOUR_MS)
    const bucket = this.counts.get(hour) ?? new Map<number, number>()
    bucket.set(articleId, (bucket.get(articleId) ?? 0) + 1)
    this.counts.set(hour, bucket)
  }

  pending (): number {
    let n = 0
    for (const bucket of this.counts.values()) for (const count of bucket.values()) n += count
    return n
  }

  // Writes every buffered view in one transaction (the upsert is one statement on PostgreSQL) and
  // resolves to how many; on failure the views go back into the buffer and it rejects.
  flush (): Promise<number> {
    const run = this.afterPrevious().then(() => this.write())
    this.flushing = run.catch(() => {})
    return run
  }

  private afterPrevious (): Promise<void> {
    const previous = this.flushing
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.onStalled(this.previousFlushWaitMs)
        resolve()
      }, this.previousFlushWaitMs)
      timer.unref()
      const settled = () => {
        clearTimeout(timer)
        resolve()
      }
      previous.then(settled, settled)
    })
  }

  private async write (): Promise<number> {
    const hour = Math.floor(this.clock() / HOUR_MS)
    const prune = hour !== this.lastPruneHour
    if (this.counts.size === 0 && !prune) return 0
    const taken = this.counts
    this.counts = new Map()
    const rows: ViewRow[] = [...taken].flatMap(([h, bucket]) => [...bucket].map(([articleId, views]) => ({ articleId, hour: h, views })))
    try {
      await this.store.tx(async (repos) => {
        await repos.views.add(rows)
        if (prune) await repos.views.prune(hour - RETENTION_HOURS)
      })
      if (prune) this.lastPruneHour = hour
    } catch (error) {
      for (const row of rows) {
        const bucket = this.counts.get(row.hour) ?? new Map<number, number>()
        bucket.set(row.articleId, (bucket.get(row.articleId) ?? 0) + row.views)
        this.counts.set(row.hour, bucket)
      }
      throw error
    }
    return rows.reduce((sum, row) => sum + row.views, 0)
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    views: ViewBuffer
  }
}

async function viewBufferPlugin (app: FastifyInstance) {
  const buffer = new ViewBuffer(app.store, () => app.clock(), {
    onStalled: (waitedMs) => app.log.warn({ waitedMs, pending: buffer.pending() }, 'a page-view flush has not settled; the next one goes ahead'),
  })
  app.decorate('views', buffer)
  const flushSafely = () => {
    buffer.flush().catch((err: unknown) => {
      app.log.error({ err, pending: buffer.pending() }, 'page views not written; kept for the next flush')
    })
  }
  const timer = setInterval(flushSafely, app.config.viewsFlushIntervalMs)
  timer.unref()
  // onClose runs after in-flight requests have finished, so this flush writes the last accepted view
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await buffer.flush()
  })
}

export default fp(viewBufferPlugin, { name: 'view-buffer' })
