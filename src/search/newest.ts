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
// candidates whose liveness and publication time are read per statement
const BATCH = 48

const NEWEST = 'select rowid from articles_fts where articles_fts match :fts order by rowid desc limit :limit'
// the cast matters: a JS number is bound as a REAL, and FTS5 then scans the whole doclist (17 ms vs 0.1 ms)
const IN_COLUMN = 'select rowid from articles_fts where articles_fts match :fts and rowid >= cast(:from as integer)'
const LIVE = `select id, published_at as publishedAt from articles
  where id in (select value from json_each(:ids)) and status = 'published' and published_at <= :now`

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`

export interface Scored { id: number, score: number }

// The newest `rankLimit` matching ids, or null when there are fewer (then the full ranking is cheap enough).
export function newestMatches (db: Db, fts: string, rankLimit: number): number[] | null {
  const ids = statement(db, NEWEST).pluck().all({ fts, limit: rankLimit }) as number[]
  return ids.length < rankLimit ? null : ids
}

const better = (a: Scored, b: Scored) => b.score - a.score || b.id - a.id

// The best `count` live candidates that rank after `after` (score desc, id desc); `at` is the
// freshness reference time. Freshness is at most 1, so a candidate's relevance bounds its score:
// candidates are read from `articles` (a row seek each, the costly part) in order of relevance, and
// the reading stops once no unread candidate can reach the `count`-th score.
export function rankCandidates (db: Db, ids: number[], terms: string[][], at: number, now: number, count: number, after?: Scored): Scored[] {
  const weighed = terms.slice(0, WEIGHED_TERMS).map((term) => quote(term.join(' ')))
  // ids are newest first; the column queries answer oldest first: walk both in step
  const ascending = ids.slice().reverse()
  // relevance × weighed.length, an integer: weighed.length + 10 per headline and 4 per standfirst term
  const sums = new Int32Array(ascending.length).fill(weighed.length)
  const add = (fts: string, weight: number) => {
    let k = 0
    for (const id of statement(db, IN_COLUMN).pluck().all({ fts, from: ascending[0] }) as number[]) {
      while (k < ascending.length && ascending[k]! < id) k++
      if (k === ascending.length) break
      if (ascending[k] === id) sums[k]! += weight
    }
  }
  for (const term of weighed) {
    add(`{headline} : ${term}`, 10)
    add(`{standfirst} : ${term}`, 4)
  }
  // candidates grouped by relevance, best group first (the order within a group does not matter)
  const groups = new Map<number, number[]>()
  for (let k = ascending.length - 1; k >= 0; k--) {
    const group = groups.get(sums[k]!)
    if (group) group.push(ascending[k]!)
    else groups.set(sums[k]!, [ascending[k]!])
  }
  const best: Scored[] = []
  for (const sum of [...groups.keys()].sort((a, b) => b - a)) {
    const relevance = sum / weighed.length
    const group = groups.get(sum)!
    for (let start = 0; start < group.length; start += BATCH) {
      if (best.length === count && relevance < best[count - 1]!.score) return best
      const batch = group.slice(start, start + BATCH)
      for (const { id, publishedAt } of statement(db, LIVE).all({ ids: JSON.stringify(batch), now }) as Array<{ id: number, publishedAt: number }>) {
        const score = relevance / (1.0 + Math.max(0, at - publishedAt) / (DAY_MS * 30))
        if (after && !(score < after.score || (score === after.score && id < after.id))) continue
        best.push({ id, score })
      }
      best.sort(better).splice(count)
    }
  }
  return best
}
