// When live content next changes by itself, with no write: a scheduled article's publication time
// or a collection item's expiry. The response cache keeps nothing past that instant. The same SQL on
// both engines.
import type { SqlRunner } from '../db/sql-runner.js'

export interface ScheduleRepository {
  // the soonest instant after `now` at which live content changes by itself (Infinity: none)
  nextChange (now: number): Promise<number>
}

const NEXT_PUBLICATION = "select min(published_at) as t from articles where status = 'published' and published_at > :now"
const NEXT_EXPIRY = 'select min(expires_at) as t from collection_items where expires_at > :now'

export function scheduleRepository ({ sql }: { sql: SqlRunner }): ScheduleRepository {
  return {
    async nextChange (now) {
      const [publication, expiry] = await Promise.all([
        sql.get<{ t: number | null }>(NEXT_PUBLICATION, { now }),
        sql.get<{ t: number | null }>(NEXT_EXPIRY, { now }),
      ])
      return Math.min(publication?.t ?? Infinity, expiry?.t ?? Infinity)
    },
  }
}
