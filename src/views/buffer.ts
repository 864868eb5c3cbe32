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

export class ViewBuffer {
  private counts = new Map<number, Map<number, number>>()
  private lastPruneHour = -1
  // flushes run one after another (the interval's and the one at close)
  private flushing: Promise<unknown> = Promise.resolve()

  constructor (private readonly store: Store, private readonly clock: () => number) {}

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
    const run = this.flushing.then(() => this.write(), () => this.write())
    this.flushing = run.catch(() => {})
    return run
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
  const buffer = new ViewBuffer(app.store, () => app.clock())
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
