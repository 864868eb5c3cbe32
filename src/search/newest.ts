// Search over a very large match set. bm25() first counts every match of every term over the whole
// index (its IDF), which at a million articles costs 20 to 200 ms per query whatever the LIMIT. When
// an unfiltered delivery search matches more than `rankLimit` stories, only the newest `rankLimit`
// matches (by id, in index order, a cheap seek) are ranked, with a relevance that needs no counts:
// per query term 10 for a headline match, 4 for the standfirst, 1 for the body (bm25's column
// weights), averaged over the terms, times the same freshness as the full ranking.
import type { Db } from '../db/connection.js'
import { statement } from '../db/statements.js'

const DAY_MS = 86_400_000
// terms beyond this count are matched but not weighed by column
const WEIGHED_TERMS = 8

const NEWEST = 'select rowid from articles_fts where articles_fts match :fts order by rowid desc limit :limit'
// the cast matters: a JS number is bound as a REAL, and FTS5 then scans the whole doclist (17 ms vs 0.1 ms)
const IN_COLUMN = 'select rowid from articles_fts where articles_fts match :fts and rowid >= cast(:from as integer)'
// `+:now`: a bare parameter against an indexed column is re-planned at every run once sqlite_stat4
// exists (see articles/repository.ts): 12.8 -> 6.3 us for ten ids
const LIVE = `select id, published_at as publishedAt from articles
  where id in (select value from json_each(:ids)) and status = 'published' and published_at <= +:now`

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`

export interface Scored { id: number, score: number }

// The newest `rankLimit` matching ids, or null when there are fewer (then the full ranking is cheap enough).
export function newestMatches (db: Db, fts: string, rankLimit: number): number[] | null {
  const ids = statement(db, NEWEST).pluck().all({ fts, limit: rankLimit }) as number[]
  return ids.length < rankLimit ? null : ids
}

// Live candidates scored and sorted best first (score desc, id desc); `at` is the freshness reference time.
export function rankCandidates (db: Db, ids: number[], terms: string[][], at: number, now: number): Scored[] {
  const from = ids.at(-1)!
  const weighed = terms.slice(0, WEIGHED_TERMS).map((term) => quote(term.join(' ')))
  const hits = (column: string, term: string) => new Set(statement(db, IN_COLUMN).pluck().all({ fts: `{${column}} : ${term}`, from }) as number[])
  const headline = weighed.map((term) => hits('headline', term))
  const standfirst = weighed.map((term) => hits('standfirst', term))
  const live = statement(db, LIVE).all({ ids: JSON.stringify(ids), now }) as Array<{ id: number, publishedAt: number }>
  return live.map(({ id, publishedAt }) => {
    let relevance = 0
    for (let t = 0; t < weighed.length; t++) relevance += 1 + (headline[t]!.has(id) ? 10 : 0) + (standfirst[t]!.has(id) ? 4 : 0)
    relevance /= weighed.length
    return { id, score: relevance / (1.0 + Math.max(0, at - publishedAt) / (DAY_MS * 30)) }
  }).sort((a, b) => b.score - a.score || b.id - a.id)
}
