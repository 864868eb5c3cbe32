// The most-viewed ranking as delivery serves it (GET /v1/most-viewed and the fronts' module): ranked
// counts from the views repository, memoised, then live summaries.
import { readRepos, type Store } from '../db/store.js'
import { HOUR_MS } from './buffer.js'
import type { MostViewedOptions, ViewCount } from './repository.js'
import { PERIOD_HOURS, type MostViewedItem } from './schemas.js'

// The aggregate reads every view row in the window (~90 ms for 24 h, ~330 ms for 30 days at
// 1,000,000 articles on SQLite), so delivery ranks from a memo per window and section, recomputed at
// most every MOST_VIEWED_CACHE_SECONDS (memoMs) whatever the limit or the response cache: a client
// varying `limit` or turning the cache off cannot make each request pay for the aggregate.
// Liveness and section membership are checked again on every read, so an unpublished or moved story
// leaves at once.
const MEMO_SIZE = 200
const memos = new WeakMap<Store, Map<string, { computedAt: number, counts: Promise<ViewCount[]> }>>()

export type RankOptions = MostViewedOptions & { memoMs?: number }

function rankedCounts (store: Store, options: RankOptions, wanted: number): Promise<ViewCount[]> {
  const { memoMs = 0, preview = false, now } = options
  if (memoMs <= 0 || preview || wanted > MEMO_SIZE) return readRepos(store, preview).views.mostViewed({ ...options, limit: wanted })
  let memo = memos.get(store)
  if (!memo) memos.set(store, memo = new Map())
  const key = `${options.fromHour}:${options.sectionId ?? ''}`
  let entry = memo.get(key)
  if (!entry || now - entry.computedAt >= memoMs || now < entry.computedAt) {
    for (const [k, e] of memo) if (now - e.computedAt >= memoMs) memo.delete(k)
    // the promise is remembered, so requests arriving while it runs share one aggregate
    const counts = store.delivery.views.mostViewed({ ...options, limit: MEMO_SIZE })
    const computed = entry = { computedAt: now, counts }
    memo.set(key, computed)
    counts.catch(() => { if (memo.get(key) === computed) memo.delete(key) })
  }
  return entry.counts
}

// Ranked summaries; `exclude` (articles shown elsewhere on a front) are skipped and the list filled up.
export async function rankMostViewed (store: Store, options: RankOptions, exclude: ReadonlySet<number> = new Set()): Promise<MostViewedItem[]> {
  // a few spare candidates fill the places of stories unpublished or moved since the memo was computed
  const wanted = options.limit + exclude.size
  let counts = (await rankedCounts(store, options, wanted)).filter((c) => !exclude.has(c.articleId)).slice(0, options.limit + 10)
  // a memo for a section may name stories moved out of it since: keep those still listed in it
  if (options.sectionId !== undefined && !options.preview && counts.length > 0) {
    const listed = new Set(await readRepos(store, options.preview).views.listedInSection(options.sectionId, counts.map((c) => c.articleId)))
    counts = counts.filter((c) => listed.has(c.articleId))
  }
  const views = new Map(counts.map((c) => [c.articleId, c.views]))
  const summaries = await readRepos(store, options.preview).articles.summariesByIds(counts.map((c) => c.articleId), options)
  return summaries.slice(0, options.limit).map((article, index) => ({ rank: index + 1, views: views.get(article.id)!, article }))
}

// The window starts at the clock hour that contains now - period, so "24h" is the current hour and
// the 24 full hours before it.
export const windowStartHour = (now: number, period: keyof typeof PERIOD_HOURS) =>
  Math.floor((now - PERIOD_HOURS[period] * HOUR_MS) / HOUR_MS)
