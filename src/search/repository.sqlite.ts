// Search on SQLite: FTS5 (migrations/sqlite/0001_search.sql), ranked by bm25 blended with recency
// (repository.ts), with the /v1/articles filters and a (score, id) keyset.
//
// Search over a very large match set. bm25() first counts every match of every term over the whole
// index (its IDF), which at a million articles costs 20 to 200 ms per query whatever the LIMIT. When
// a search matches more than `rankLimit` stories, only the newest `rankLimit`
// matches (by id, in index order, a cheap seek) are ranked, with a relevance that needs no counts:
// per query term 10 for a headline match, 4 for the standfirst, 1 for the body (bm25's column
// weights), averaged over the terms, times the same freshness as the full ranking.
// A filtered search over such a match set ranks the same way the newest `rankLimit`
// matches that pass its filters: the matches are walked newest first and tested against each
// filter's id set, read once per statement from an index (newestFilteredMatches). Ranking
// every match instead took 43 s for `q=election&section=news` at 1,000,000 articles (bm25 and an
// article row for each of 969,907 matches), with the event loop held throughout. A preview search
// (drafts included) ranks by publication or else creation time, read with the candidates.
import { and, inArray, sql, type SQL } from 'drizzle-orm'
import type { ArticleFilters } from '../articles/list-query.js'
import type { Visibility } from '../articles/summaries.js'
import { articleFilterConditions, sectionDescendantIds } from '../articles/list.repository.sqlite.js'
import { liveArticle } from '../articles/summaries.repository.sqlite.js'
import type { Db } from '../db/connection.js'
import type { SqliteConn } from '../db/repositories.js'
import { articles } from '../db/schema.js'
import { statement } from '../db/statements.js'
import { quote } from './query.js'
import { FRESHNESS_MS, unfiltered, WEIGHED_TERMS, type IndexedText, type Scored, type SearchRepository } from './repository.js'

// candidates whose liveness and publication time are read per statement
const BATCH = 48

const NEWEST = 'select rowid from articles_fts where articles_fts match :fts order by rowid desc limit :limit'
const NTH_NEWEST = 'select rowid from articles_fts where articles_fts match :fts order by rowid desc limit 1 offset :offset'
// the cast matters: a JS number is bound as a REAL, and FTS5 then scans the whole doclist (17 ms vs 0.1 ms)
const SINCE = 'select rowid from articles_fts where articles_fts match :fts and rowid >= cast(:from as integer)'
const SINCE_AMONG = `${SINCE} and +rowid in (select value from json_each(:ids))`
// `+:now`: a bare parameter against an indexed column is re-planned at every run once sqlite_stat4
// exists (see articles/article.repository.sqlite.ts): 12.8 -> 6.3 us for ten ids
const LIVE = `select id, published_at as publishedAt from articles
  where id in (select value from json_each(:ids)) and status = 'published' and published_at <= +:now`
// a preview search ranks every status by publication time, or creation time before publication
const ANY_STATUS = `select id, coalesce(published_at, created_at) as publishedAt from articles
  where id in (select value from json_each(:ids))`

interface Candidates {
  fts: string
  // the candidates are some of the matches since `from` (a filtered search), not all of them
  among?: boolean
  // the oldest candidate, the rankLimit-th newest match
  from: number
  // the candidates, newest first; null for a one-term query, where every column hit is a candidate
  // and the rest are read only when needed (handing 1,000 ids to JS costs ~100 µs)
  ids: number[] | null
}

// The newest `rankLimit` matches, or null when there are fewer (then the full ranking is cheap enough).
function newestMatches (db: Db, fts: string, terms: string[][], rankLimit: number): Candidates | null {
  if (terms.length === 1) {
    const from = statement(db, NTH_NEWEST).pluck().get({ fts, offset: rankLimit - 1 }) as number | undefined
    return from === undefined ? null : { fts, from, ids: null }
  }
  const ids = statement(db, NEWEST).pluck().all({ fts, limit: rankLimit }) as number[]
  return ids.length < rankLimit ? null : { fts, from: ids.at(-1)!, ids }
}

const sectionListing = 'select article_id from article_listings where section_id = :sectionId'
// a section's listing tested per match, for the newest SECTION_WINDOW × rankLimit matches
const SECTION_WINDOW = 8
const IN_SECTION = 'exists (select 1 from article_listings where article_id = articles_fts.rowid and section_id = :sectionId)'

// Each filter as a set of article ids, from an index that holds them (no article row is read: at
// 1,000,000 articles a row costs ~10 µs, an index entry ~0.3 µs). `+rowid` keeps the test out of
// FTS5's plan, which would otherwise seek the full-text index once per id (~80 µs each); the set is
// built once and probed as the matches go by. Liveness is left to the ranking, as for unfiltered
// searches. Measured at 1,000,000 (`election`, in 97 % of articles): 45 ms for the listing of a
// section with a third of the articles (see newestFilteredMatches for what comes first), 52 ms for
// an author with 604 stories (every match walked).
function filterSets (db: Db, filters: ArticleFilters, params: Record<string, unknown>, preview: boolean): string[] {
  const sets: string[] = []
  if (filters.sectionIds && !preview) {
    // the live listing of the section and its descendants: one index range (a third of 1,000,000
    // stories: 45 ms, against 110 ms through articles_section_idx, one range per section)
    sets.push(sectionListing)
    params.sectionId = filters.sectionIds.root
  } else if (filters.sectionIds) {
    sets.push('select id from articles where section_id in (select value from json_each(:sectionIds))')
    params.sectionIds = JSON.stringify(filters.sectionIds.all ?? sectionDescendantIds(db, filters.sectionIds.root))
  }
  if (filters.tagIds) {
    sets.push('select article_id from article_tags where tag_id in (select value from json_each(:tagIds))')
    params.tagIds = JSON.stringify(filters.tagIds)
  }
  if (filters.authorId !== undefined) {
    sets.push('select article_id from article_authors where author_id = :authorId')
    params.authorId = filters.authorId
  }
  if (filters.since !== undefined || filters.until !== undefined) {
    const range = (column: string) => [filters.since !== undefined && `${column} >= :since`, filters.until !== undefined && `${column} < :until`].filter(Boolean).join(' and ')
    // a preview's time is coalesce(published_at, created_at): the published-at range of either
    // status, and the creation time of the stories never given a publication time (drafts, few)
    sets.push(preview
      ? `select id from articles where status in ('draft', 'published') and ${range('published_at')}
        union all select id from articles where status in ('draft', 'published') and published_at is null and ${range('created_at')}`
      : `select id from articles where status = 'published' and ${range('published_at')}`)
    if (filters.since !== undefined) params.since = filters.since
    if (filters.until !== undefined) params.until = filters.until
  }
  return sets.map((set) => `+rowid in (${set})`)
}

// The newest `rankLimit` matches that pass the filters, newest first (fewer when fewer pass).
// A section is first tested match by match (an index seek each) over the newest SECTION_WINDOW ×
// rankLimit matches, which holds rankLimit of a section with an eighth of the stories: 2–4 ms at
// 1,000,000 articles, where building the set of a section with a third of them takes 40–60 ms.
function newestFilteredMatches (db: Db, fts: string, filters: ArticleFilters, rankLimit: number, preview: boolean): number[] {
  const params: Record<string, unknown> = { fts, limit: rankLimit }
  const sets = filterSets(db, filters, params, preview)
  if (sets[0] === `+rowid in (${sectionListing})`) {
    const lower = statement(db, NTH_NEWEST).pluck().get({ fts, offset: rankLimit * SECTION_WINDOW - 1 }) as number | undefined
    const tests = [IN_SECTION, ...sets.slice(1)]
    const text = `select rowid from articles_fts where articles_fts match :fts and rowid >= cast(:lower as integer) and ${tests.join(' and ')} order by rowid desc limit :limit`
    const ids = statement(db, text).pluck().all({ ...params, lower: lower ?? 0 }) as number[]
    // enough, or every match tested
    if (ids.length === rankLimit || lower === undefined) return ids
  }
  const text = `select rowid from articles_fts where articles_fts match :fts and ${sets.join(' and ')} order by rowid desc limit :limit`
  return statement(db, text).pluck().all(params) as number[]
}

const better = (a: Scored, b: Scored) => b.score - a.score || b.id - a.id

// Candidates grouped by relevance × terms (an integer: 1 per term, 10 more per headline and 4 per
// standfirst term), best group first; the order within a group does not matter. The group of
// body-only matches of a one-term query comes last and is listed only when asked for.
function relevanceGroups (db: Db, { fts, from, ids, among }: Candidates, weighed: string[]): Array<[number, () => number[]]> {
  // a filtered search's candidates may reach far back: only their own column hits are read
  const only = among && ids ? JSON.stringify(ids) : undefined
  const hits = (column: string, term: string) => only === undefined
    ? statement(db, SINCE).pluck().all({ fts: `{${column}} : ${term}`, from }) as number[]
    : statement(db, SINCE_AMONG).pluck().all({ fts: `{${column}} : ${term}`, from, ids: only }) as number[]
  if (!ids) {
    const sums = new Map<number, number>()
    for (const [column, weight] of [['headline', 10], ['standfirst', 4]] as const) {
      for (const id of hits(column, weighed[0]!)) sums.set(id, (sums.get(id) ?? 1) + weight)
    }
    const groups = new Map<number, number[]>()
    for (const [id, sum] of sums) groups.get(sum)?.push(id) ?? groups.set(sum, [id])
    const bodyOnly = () => (statement(db, SINCE).pluck().all({ fts, from }) as number[]).filter((id) => !sums.has(id))
    return [...[...groups].sort((a, b) => b[0] - a[0]).map(([sum, list]): [number, () => number[]] => [sum, () => list]), [1, bodyOnly]]
  }
  // ids are newest first; the column queries answer oldest first: walk both in step
  const ascending = ids.slice().reverse()
  const sums = new Int32Array(ascending.length).fill(weighed.length)
  for (const term of weighed) {
    for (const [column, weight] of [['headline', 10], ['standfirst', 4]] as const) {
      let k = 0
      for (const id of hits(column, term)) {
        while (k < ascending.length && ascending[k]! < id) k++
        if (k === ascending.length) break
        if (ascending[k] === id) sums[k]! += weight
      }
    }
  }
  const groups = new Map<number, number[]>()
  for (let k = ascending.length - 1; k >= 0; k--) groups.get(sums[k]!)?.push(ascending[k]!) ?? groups.set(sums[k]!, [ascending[k]!])
  return [...groups].sort((a, b) => b[0] - a[0]).map(([sum, list]) => [sum, () => list])
}

// The best `count` live candidates that rank after `after` (score desc, id desc); `at` is the
// freshness reference time. Freshness is at most 1, so a candidate's relevance bounds its score:
// candidates are read from `articles` (a row seek each, the costly part) best relevance first, up
// to BATCH per statement, and the reading stops once no unread candidate can reach the `count`-th score.
function rankCandidates (db: Db, candidates: Candidates, terms: string[][], at: number, visibility: Visibility, count: number, after?: Scored): Scored[] {
  const times = visibility.preview === true ? statement(db, ANY_STATUS) : statement(db, LIVE)
  const params = visibility.preview === true ? {} : { now: visibility.now }
  const weighed = terms.slice(0, WEIGHED_TERMS).map((term) => quote(term.join(' ')))
  const groups = relevanceGroups(db, candidates, weighed)
  const best: Scored[] = []
  const threshold = () => best.length === count ? best[count - 1]!.score : -Infinity
  let group = 0
  let list: number[] | null = null
  let next = 0
  for (;;) {
    const batch = new Map<number, number>()
    while (batch.size < BATCH && group < groups.length) {
      const [sum, load] = groups[group]!
      const relevance = sum / weighed.length
      if (relevance < threshold()) break
      list ??= load()
      const end = Math.min(list.length, next + BATCH - batch.size)
      for (; next < end; next++) batch.set(list[next]!, relevance)
      if (next === list.length) [group, list, next] = [group + 1, null, 0]
    }
    if (batch.size === 0) return best
    for (const { id, publishedAt } of times.all({ ...params, ids: JSON.stringify([...batch.keys()]) }) as Array<{ id: number, publishedAt: number }>) {
      const score = batch.get(id)! / (1.0 + Math.max(0, at - publishedAt) / FRESHNESS_MS)
      if (after && !(score < after.score || (score === after.score && id < after.id))) continue
      best.push({ id, score })
    }
    best.sort(better).splice(count)
  }
}

// Column weights for bm25: a headline match counts 10x a body match, a standfirst match 4x.
const BM25 = sql`bm25(articles_fts, 10.0, 4.0, 1.0)`
// relevance = -bm25 (bm25 is negative, lower is better), times freshness (repository.ts)
const score = (at: number, recencyKey: SQL) =>
  sql`(-${BM25}) / (1.0 + max(0, ${at} - ${recencyKey}) / ${sql.raw(`${FRESHNESS_MS}.0`)})`

const INDEXED_TEXT = `select rowid as id, headline, standfirst, body_text as body from articles_fts
  where rowid in (select value from json_each(:ids))`

export function sqliteSearchRepository ({ db }: SqliteConn): SearchRepository {
  return {
    async rank ({ fts, terms }, filters, page, visibility, rankLimit) {
      const preview = visibility.preview === true
      const at = page.after?.t ?? visibility.now
      if (rankLimit) {
        const newest = newestMatches(db, fts, terms, rankLimit)
        if (newest) {
          const after = page.after && { score: page.after.s, id: page.after.i }
          if (unfiltered(filters)) return rankCandidates(db, newest, terms, at, visibility, page.limit + 1, after)
          const ids = newestFilteredMatches(db, fts, filters, rankLimit, preview)
          if (ids.length === 0) return []
          return rankCandidates(db, { fts, from: ids.at(-1)!, ids, among: true }, terms, at, visibility, page.limit + 1, after)
        }
      }
      const recencyKey = preview ? sql`coalesce(${articles.publishedAt}, ${articles.createdAt})` : sql`${articles.publishedAt}`
      const conditions = articleFilterConditions(filters, recencyKey)
      if (filters.sectionIds) conditions.push(inArray(articles.sectionId, filters.sectionIds.all ?? sectionDescendantIds(db, filters.sectionIds.root)))
      if (!preview) conditions.push(liveArticle(visibility.now))
      const after = page.after ? sql`where score < ${page.after.s} or (score = ${page.after.s} and id < ${page.after.i})` : sql``
      // materialized: bm25() may only run inside the full-text query, not in the keyset's WHERE
      return db.all<Scored>(sql`
        with hits as materialized (
          select ${articles.id} as id, ${score(at, recencyKey)} as score
          from articles_fts join ${articles} on ${articles.id} = articles_fts.rowid
          where ${and(sql`articles_fts match ${fts}`, ...conditions)}
        )
        select id, score from hits ${after} order by score desc, id desc limit ${page.limit + 1}`)
    },
    indexedText: async (ids) => ids.length === 0 ? [] : statement(db, INDEXED_TEXT).all({ ids: JSON.stringify(ids) }) as IndexedText[],
  }
}
