// page_views: hourly per-article counters, and the most-viewed ranking over a window of hours.
import { sql } from 'drizzle-orm'
import { findSummariesByIds } from '../articles/summaries.js'
import type { Db } from '../db/connection.js'
import { HOUR_MS } from './buffer.js'
import { PERIOD_HOURS, type MostViewedItem } from './schemas.js'

type Tx = Pick<Db, 'run'>

// An article deleted since its views were buffered is skipped (no foreign-key failure).
export function addPageViews (tx: Tx, rows: Array<{ articleId: number, hour: number, views: number }>): void {
  for (const row of rows) {
    tx.run(sql`
      insert into page_views (article_id, hour, views)
      select ${row.articleId}, ${row.hour}, ${row.views} where exists (select 1 from articles where id = ${row.articleId})
      on conflict (article_id, hour) do update set views = views + excluded.views`)
  }
}

export function prunePageViews (tx: Tx, beforeHour: number): void {
  tx.run(sql`delete from page_views where hour < ${beforeHour}`)
}

export interface ViewCount { articleId: number, views: number }

// Views since `fromHour` (inclusive), highest first; ties: newest publication, then highest id.
// Reads the window from the covering index page_views_hour_idx (hour, article_id, views); INDEXED BY
// because when the window covers most rows the planner prefers the primary key to skip a sort.
export function mostViewedArticles (db: Db, options: { fromHour: number, sectionId?: number, limit: number, now: number, preview?: boolean }): ViewCount[] {
  const { fromHour, sectionId, limit, now, preview = false } = options
  return db.all<ViewCount>(sql`
    with counts as (
      select article_id, sum(views) as views from page_views indexed by page_views_hour_idx where hour >= ${fromHour} group by article_id
    )
    select c.article_id as articleId, c.views as views
    from counts c join articles a on a.id = c.article_id
    ${sectionId !== undefined ? sql`join article_listings l on l.article_id = c.article_id and l.section_id = ${sectionId}` : sql``}
    ${preview ? sql`` : sql`where a.status = 'published' and a.published_at <= ${now}`}
    order by c.views desc, coalesce(a.published_at, a.created_at) desc, a.id desc
    limit ${limit}`)
}

// The aggregate reads every view row in the window (~90 ms for 24 h, ~330 ms for 30 days at
// 1,000,000 articles), so delivery ranks from a memo per window and section, recomputed at most
// every MOST_VIEWED_CACHE_SECONDS (memoMs) whatever the limit or the response cache: a client
// varying `limit` or turning the cache off cannot make each request pay for the aggregate.
// Liveness and section membership are checked again on every read, so an unpublished or moved story
// leaves at once.
const MEMO_SIZE = 200
const memos = new WeakMap<object, Map<string, { computedAt: number, counts: ViewCount[] }>>()

function rankedCounts (db: Db, options: RankOptions, wanted: number): ViewCount[] {
  const { memoMs = 0, preview = false, now } = options
  if (memoMs <= 0 || preview || wanted > MEMO_SIZE) return mostViewedArticles(db, { ...options, limit: wanted })
  let memo = memos.get(db.$client)
  if (!memo) memos.set(db.$client, memo = new Map())
  const key = `${options.fromHour}:${options.sectionId ?? ''}`
  let entry = memo.get(key)
  if (!entry || now - entry.computedAt >= memoMs || now < entry.computedAt) {
    for (const [k, e] of memo) if (now - e.computedAt >= memoMs) memo.delete(k)
    memo.set(key, entry = { computedAt: now, counts: mostViewedArticles(db, { ...options, limit: MEMO_SIZE }) })
  }
  return entry.counts
}

type RankOptions = Parameters<typeof mostViewedArticles>[1] & { memoMs?: number }

// A memo for a section may name stories moved out of it since: keep those still listed in it.
function stillInSection (db: Db, sectionId: number, counts: ViewCount[]): ViewCount[] {
  const ids = counts.map((c) => c.articleId)
  const listed = new Set(db.all<{ id: number }>(sql`
    select article_id as id from article_listings
    where section_id = ${sectionId} and article_id in (select value from json_each(${JSON.stringify(ids)}))`).map((r) => r.id))
  return counts.filter((c) => listed.has(c.articleId))
}

// Ranked summaries; `exclude` (articles shown elsewhere on a front) are skipped and the list filled up.
export function rankMostViewed (db: Db, options: RankOptions, exclude: ReadonlySet<number> = new Set()): MostViewedItem[] {
  // a few spare candidates fill the places of stories unpublished or moved since the memo was computed
  const wanted = options.limit + exclude.size
  let counts = rankedCounts(db, options, wanted).filter((c) => !exclude.has(c.articleId)).slice(0, options.limit + 10)
  if (options.sectionId !== undefined && !options.preview) counts = stillInSection(db, options.sectionId, counts)
  const views = new Map(counts.map((c) => [c.articleId, c.views]))
  return findSummariesByIds(db, counts.map((c) => c.articleId), options).slice(0, options.limit)
    .map((article, index) => ({ rank: index + 1, views: views.get(article.id)!, article }))
}

// The window starts at the clock hour that contains now - period, so "24h" is the current hour and
// the 24 full hours before it.
export const windowStartHour = (now: number, period: keyof typeof PERIOD_HOURS) =>
  Math.floor((now - PERIOD_HOURS[period] * HOUR_MS) / HOUR_MS)
