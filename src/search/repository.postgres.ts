// Search on PostgreSQL: the weighted tsvector in articles_search (headline A, standfirst B, body C;
// migrations/postgres/0001_search.sql, kept current by triggers in the writing transaction), with
// the `dateline` configuration (unaccent, then the English Snowball stemmer and stop words).
// The reader's words reach PostgreSQL only as quoted terms inside websearch_to_tsquery's text (the
// parsed query has letters, marks and digits only), never as to_tsquery syntax. Ranking, filters,
// paging and the large-match-set strategy are SQLite's (repository.ts, repository.sqlite.ts):
// - the full ranking is ts_rank with the weights {body 0.1, standfirst 0.4, headline 1} (bm25's
//   1 : 4 : 10) times freshness;
// - above `rankLimit` matches an unfiltered search ranks the newest `rankLimit` matches
//   with the same per-term column relevance as SQLite's (the same scores for the same rows);
//   a filtered one the newest `rankLimit` matches that pass its filters (newestFilteredSql).
// The statements are prepared like every other, so after five runs PostgreSQL may serve one with a
// generic plan, made without knowing the terms. Each is written to have one good plan whatever the
// terms: the tsqueries are made once per run (the `queries` CTE; in a generic plan an expression of
// the parameters is otherwise evaluated for every row), and where the newest articles are to be
// walked by id the match test is kept from the GIN index (`coalesce(... , false)`), whose generic
// plan read every match of a term found in nearly every article (100–250 ms at 1,000,000 articles,
// where the walk takes 2 ms).
import type { ArticleFilters } from '../articles/list-query.js'
import type { PgConn } from '../db/postgres/store.js'
import { indexedBodyText } from './body-text.js'
import { FRESHNESS_MS, unfiltered, WEIGHED_TERMS, type IndexedText, type Scored, type SearchPosition, type SearchRepository } from './repository.js'

// the whole query: every term (a word or a phrase) quoted, all required
const websearchText = (terms: string[][]) => terms.map((term) => `"${term.join(' ')}"`).join(' ')
const WEIGHTS = "'{0.0, 0.1, 0.4, 1.0}'::float4[]"
const freshness = (recencyKey: string) =>
  `(1.0::float8 + greatest(0, :at::bigint - ${recencyKey})::float8 / ${FRESHNESS_MS}.0::float8)`
const AFTER = 'where score < :afterS::float8 or (score = :afterS::float8 and id < :afterI::int)'

// The query of term `param` matching only lexemes of one weight (headline A, standfirst B): the
// same matches as the query against ts_filter(document, '{a}'), phrases included, without building
// the filtered vector for every row (ranking the newest 1,000 matches took half the time). The
// query's text quotes every lexeme ('ceasefir' <-> 'talk'), so each quoted lexeme gets the label.
const ofWeight = (param: string, weight: 'A' | 'B') =>
  `regexp_replace(websearch_to_tsquery('dateline', :${param}::text)::text, '''(?:[^'']|'''')*''', '\\&:${weight}', 'g')::tsquery`

// One row: `q`, the whole query, and for each of the first `weighed` terms its headline (a0, a1, ...)
// and standfirst (b0, b1, ...) queries.
function queries (weighed = 0): string {
  const columns = Array.from({ length: weighed }, (_, i) => `, ${ofWeight(`t${i}`, 'A')} as a${i}, ${ofWeight(`t${i}`, 'B')} as b${i}`).join('')
  return `queries as materialized (select websearch_to_tsquery('dateline', :q::text) as q${columns})`
}
// a match, tested row by row (never through the GIN index)
const MATCHES_WALKED = 'coalesce(document @@ (select q from queries), false)'

// Where the newest rankLimit matches start: `from`, the rankLimit-th newest match (by id), or,
// when there are fewer matches, `ids`, all of them. A GIN index yields matches in no useful order,
// and left to itself the planner picks between walking the primary key backwards (cheap when
// matches are common, the case this strategy is for) and the GIN index over every match (cheap
// when they are rare) from an estimate that is often far off for phrases. So the newest articles
// are probed first (PROBE_FACTOR × rankLimit of them, then a window sized from the density found,
// at most twice more); when the matches are too sparse for that, every match is read through the
// GIN index (a materialised CTE: the plan cannot be turned into the backward walk).
// The first probe is made by the statement that ranks what it found (firstProbeSql): a term common
// enough to fill it, the usual case at scale, is searched in one round trip that reads each
// matching document once.
const PROBE_FACTOR = 5
// SEARCH_RANK_LIMIT, the same for every run, is written into the statements rather than passed:
// their generic plan then knows how few rows the probe keeps, costs about what a custom plan does,
// and PostgreSQL stops planning the statement on every run (0.8 ms of each search at 1,000,000)
const count = (n: number) => {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`not a row count: ${n}`)
  return String(n)
}
const RECENT_MATCHES = `with ${queries()} select article_id as id from articles_search
  where article_id > :from::int and ${MATCHES_WALKED} order by article_id desc limit :limit::int`
const ALL_MATCHES = `with ${queries()}, matches as materialized (
    select article_id from articles_search where document @@ (select q from queries))
  select article_id as id from matches order by article_id desc limit :limit::int`

// what the first probe found: the newest id, the window probed below it and the matches in it
interface Probe { top: number, window: number, ids: number[] }

// Goes on from a first probe that came up short.
async function newestMatches (sql: PgConn['sql'], q: string, rankLimit: number, first: Probe): Promise<{ from: number } | { ids: number[] }> {
  const { top } = first
  let { window, ids } = first
  for (let attempt = 0; ; attempt++) {
    if (ids.length === rankLimit) return { from: ids.at(-1)! }
    // every article probed: these are all the matches
    if (window >= top) return { ids }
    if (attempt === 2 || ids.length === 0 || ids.length / window * top < rankLimit * 1.5) break
    window = Math.ceil(window * rankLimit / ids.length * 1.25)
    ids = (await sql.all<{ id: number }>(RECENT_MATCHES, { q, from: Math.max(0, top - window), limit: rankLimit })).map((r) => r.id)
  }
  ids = (await sql.all<{ id: number }>(ALL_MATCHES, { q, limit: rankLimit })).map((r) => r.id)
  return ids.length === rankLimit ? { from: ids.at(-1)! } : { ids }
}

// SQLite's per-term column relevance of a match, computed where the match is walked: the CTEs
// that hold the newest matches keep (article_id, live_at, relevance), never the document. A
// materialised CTE of 1,000 documents (2 KB each, 4 KB of memory) outgrew the default work_mem
// (4 MB) and was written to a temporary file and read back: 10 ms of a 12 ms statement.
function relevance (weighed: number): string {
  const sum = Array.from({ length: weighed }, (_, i) =>
    `1 + 10 * (document @@ (select a${i} from queries))::int + 4 * (document @@ (select b${i} from queries))::int`).join(' + ')
  return `(${sum})::float8 / ${weighed}.0::float8`
}
const walked = (weighed: number) => `article_id, live_at, ${relevance(weighed)} as relevance`

// The newest matches (the CTE `newest`, walked with their relevance) ranked, live ones only.
// Liveness and age come from the search row's live_at (migration 0008): reading each match's
// article by primary key was most of the statement's time.
// A preview ranks every status by publication time, or creation time before publication: read from
// each candidate's article.
function newestRanking (after: boolean, preview = false): string {
  const hits = preview
    ? `select n.article_id as id, n.relevance / ${freshness('coalesce(a.published_at, a.created_at)')} as score
      from newest n join articles a on a.id = n.article_id`
    : `select article_id as id, relevance / ${freshness('live_at')} as score
      from newest where live_at <= :now::bigint`
  return `select id, score from (${hits}) hits ${after ? AFTER : ''} order by score desc, id desc limit :limit::int`
}

// the rankLimit matches from `from`, the newest first
const newestRankingSql = (weighed: number, after: boolean, rankLimit: number, preview = false) => `with ${queries(weighed)},
  newest as materialized (select ${walked(weighed)} from articles_search
    where article_id >= :from::int and ${MATCHES_WALKED} order by article_id desc limit ${count(rankLimit)})
  ${newestRanking(after, preview)}`

// The ids of the articles that pass the filters, each filter read from its own index (the
// publication time from articles_live_idx: published stories only, as delivery shows).
function filterIds (filters: ArticleFilters, params: Record<string, unknown>, preview = false): string {
  const sets: string[] = []
  if (filters.sectionIds && !preview) {
    // the live listing of the section and its descendants: one index range
    sets.push('select article_id as id from article_listings where section_id = :sectionRoot::int')
    params.sectionRoot = filters.sectionIds.root
  } else if (filters.sectionIds) {
    // `= any(array(...))`: one index range per section (`in (...)` read the whole index, 1,000,000 entries)
    sets.push(`select id from articles where section_id = any(array(with recursive sub(id) as (
      select :sectionRoot::int union all select c.id from sections c join sub on c.parent_id = sub.id) select id from sub))`)
    params.sectionRoot = filters.sectionIds.root
  }
  if (filters.tagIds) {
    sets.push('select distinct article_id as id from article_tags where tag_id in (select value::int from jsonb_array_elements_text(:tagIds::jsonb))')
    params.tagIds = filters.tagIds
  }
  if (filters.authorId !== undefined) {
    sets.push('select article_id as id from article_authors where author_id = :authorId::int')
    params.authorId = filters.authorId
  }
  if (filters.since !== undefined || filters.until !== undefined) {
    const range = (column: string) => [filters.since !== undefined && `${column} >= :since::bigint`, filters.until !== undefined && `${column} < :until::bigint`].filter(Boolean).join(' and ')
    // a preview's time is coalesce(published_at, created_at): the published-at range of either
    // status, and the creation time of the stories never given a publication time (drafts, few)
    sets.push(preview
      ? `(select id from articles where status = any('{draft,published}'::text[]) and ${range('published_at')}
        union all select id from articles where status = any('{draft,published}'::text[]) and published_at is null and ${range('created_at')})`
      : `select id from articles where status = 'published' and ${range('published_at')}`)
    if (filters.since !== undefined) params.since = filters.since
    if (filters.until !== undefined) params.until = filters.until
  }
  return sets.join(' intersect ')
}

// A filtered search over more than rankLimit matches ranks the newest rankLimit matches that pass
// its filters, as the unfiltered newest matches are ranked. Ranking every match of a common word
// instead took 24 s for `q=election&section=news` at 1,000,000 articles (ts_rank over 969,907
// documents), and the statement went on after the request's 503. Two ways to find them, chosen
// from how dense the matches are (`span`: how many of the newest ids hold rankLimit matches):
// - dense matches: the filter's newest DENSE_SPAN × rankLimit ids, newest first, each tested
//   against the query until rankLimit match (a walk of the articles by id that tested the filter
//   per row tested the query first: 38 s for a tag of 318 stories, every row's document read). The
//   bound keeps the sort of the ids in memory (a third of 1,000,000 ids: 33 ms instead of 263, the
//   sort spilled to disk); with matches this dense, that many of the filter's stories hold
//   rankLimit matches unless the filter and the query avoid each other;
// - sparse matches (a span over DENSE_SPAN × rankLimit): every match through the GIN index, then
//   the filter.
const DENSE_SPAN = 50
function newestFilteredSql (weighed: number, after: boolean, rankLimit: number, filtered: string, dense: boolean, preview = false): string {
  const newest = dense
    ? `select s.article_id, s.live_at, ${relevance(weighed)} as relevance
        from (select id from ids order by id desc limit ${count(rankLimit * DENSE_SPAN)}) f
        cross join lateral (select article_id, live_at, document from articles_search where article_id = f.id offset 0) s
        where ${MATCHES_WALKED} order by f.id desc limit ${count(rankLimit)}`
    : `select ${walked(weighed)} from articles_search where article_id in (
          select article_id from matches where article_id in (select id from ids) order by article_id desc limit ${count(rankLimit)})`
  return `with ${queries(weighed)}, ids as (${filtered}),
    ${dense ? '' : 'matches as materialized (select article_id from articles_search where document @@ (select q from queries)),'}
    newest as materialized (${newest})
    ${newestRanking(after, preview)}`
}

const TOP = 'select coalesce(max(article_id), 0)::int as top from articles_search'

// The first probe (matches among the newest PROBE_FACTOR × rankLimit articles) and, when it found
// rankLimit, their ranking: first a row with id null giving the newest id, the count found and,
// when short, the ids found; then the ranked rows, in no particular order.
function firstProbeSql (weighed: number, after: boolean, rankLimit: number, preview = false): string {
  return `with ${queries(weighed)},
    top as materialized (select coalesce(max(article_id), 0) as top from articles_search),
    probe as materialized (select ${walked(weighed)} from articles_search
      where article_id > (select top from top) - ${count(rankLimit * PROBE_FACTOR)} and ${MATCHES_WALKED}
      order by article_id desc limit ${count(rankLimit)}),
    found as materialized (select count(*)::int as n from probe),
    newest as (select * from probe where (select n from found) = ${count(rankLimit)})
    select (select top from top) as top, (select n from found) as n,
      case when (select n from found) < ${count(rankLimit)} then (select coalesce(jsonb_agg(article_id order by article_id desc), '[]') from probe) end as ids,
      null::int as id, null::float8 as score
    union all
    select null, null, null, id, score from (${newestRanking(after, preview)}) ranked`
}

// The statements that walk the newest articles by id, for test/postgres/search.test.ts (their
// generic plans must not read the GIN index).
export const walkingStatements = (): string[] => [RECENT_MATCHES, firstProbeSql(2, true, 1000), newestRankingSql(2, true, 1000)]

// Every ranking statement, for test/postgres/search.test.ts (their CTEs must hold no documents).
export const rankingStatements = (): string[] => {
  const every = filterIds({ sectionIds: { root: 0 }, tagIds: [], authorId: 0, since: 0, until: 0 }, {})
  const everyPreview = filterIds({ sectionIds: { root: 0 }, tagIds: [], authorId: 0, since: 0, until: 0 }, {}, true)
  return [...walkingStatements(), fullRanking({}, false, true, 0, {}), fullRanking({ since: 0 }, true, false, 0, { ids: [] }),
    newestFilteredSql(2, true, 1000, every, true), newestFilteredSql(2, false, 1000, everyPreview, false, true), newestFilteredSql(2, true, 1000, everyPreview, true, true),
    firstProbeSql(2, false, 1000, true), newestRankingSql(2, true, 1000, true)]
}

interface FirstProbe { top: number | null, n: number | null, ids: number[] | null, id: number | null, score: number | null }
const byScore = (a: Scored, b: Scored) => b.score - a.score || b.id - a.id

// the body as stored: its text is made in JS (body-text.ts)
const INDEXED_TEXT = `select id, headline, coalesce(standfirst, '') as standfirst, body from articles
  where id in (select value::int from jsonb_array_elements_text(:ids::jsonb))`

function fullRanking (filters: ArticleFilters, preview: boolean, after: boolean, now: number, params: Record<string, unknown>): string {
  const recencyKey = preview ? 'coalesce(a.published_at, a.created_at)' : 'a.published_at'
  const where: string[] = []
  if (filters.tagIds) {
    where.push('a.id in (select article_id from article_tags where tag_id in (select value::int from jsonb_array_elements_text(:tagIds::jsonb)))')
    params.tagIds = filters.tagIds
  }
  if (filters.authorId !== undefined) {
    where.push('a.id in (select article_id from article_authors where author_id = :authorId::int)')
    params.authorId = filters.authorId
  }
  if (filters.since !== undefined) { where.push(`${recencyKey} >= :since::bigint`); params.since = filters.since }
  if (filters.until !== undefined) { where.push(`${recencyKey} < :until::bigint`); params.until = filters.until }
  if (filters.sectionIds) {
    where.push(`a.section_id in (with recursive sub(id) as (
      select :sectionRoot::int union all select c.id from sections c join sub on c.parent_id = sub.id) select id from sub)`)
    params.sectionRoot = filters.sectionIds.root
  }
  if (!preview) { where.push('a.status = \'published\' and a.published_at <= :now::bigint'); params.now = now }
  // the matches through the GIN index, or the given ids (a small match set already read), each
  // ranked as it is read (the CTE keeps no documents: see relevance()), then each match's article by
  // primary key: left to itself the planner may read every document or every article when it
  // overestimates the matches of a phrase
  const rank = `ts_rank(${WEIGHTS}, document, (select q from queries))::float8 as rank`
  const matches = params.ids !== undefined
    ? `select article_id, ${rank} from articles_search
        where article_id in (select value::int from jsonb_array_elements_text(:ids::jsonb)) and ${MATCHES_WALKED}`
    : `select article_id, ${rank} from articles_search where document @@ (select q from queries)`
  return `with ${queries()}, matches as materialized (${matches})
    select id, score from (
      select a.id, s.rank / ${freshness(recencyKey)} as score
      from matches s cross join lateral (
        select id, section_id, status, published_at, created_at from articles where id = s.article_id offset 0) a
      ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
    ) hits ${after ? AFTER : ''} order by score desc, id desc limit :limit::int`
}

const afterParams = (after: SearchPosition | undefined) => after ? { afterS: after.s, afterI: after.i } : {}

export function postgresSearchRepository ({ sql }: PgConn): SearchRepository {
  return {
    async rank ({ terms }, filters, page, visibility, rankLimit) {
      const preview = visibility.preview === true
      const at = page.after?.t ?? visibility.now
      const q = websearchText(terms)
      const params: Record<string, unknown> = { q, at, limit: page.limit + 1, ...afterParams(page.after) }
      if (rankLimit) {
        const weighed = terms.slice(0, WEIGHED_TERMS)
        const ranking: Record<string, unknown> = { ...params }
        if (!preview) ranking.now = visibility.now
        weighed.forEach((term, i) => { ranking[`t${i}`] = websearchText([term]) })
        if (!unfiltered(filters)) {
          // more than rankLimit matches in all? (the probes of an unfiltered search, without its ranking)
          const [{ top }] = await sql.all<{ top: number }>(TOP, {}) as [{ top: number }]
          const window = rankLimit * PROBE_FACTOR
          const ids = (await sql.all<{ id: number }>(RECENT_MATCHES, { q, from: Math.max(0, top - window), limit: rankLimit })).map((r) => r.id)
          const newest = await newestMatches(sql, q, rankLimit, { top, window, ids })
          if ('ids' in newest) {
            if (newest.ids.length === 0) return []
            params.ids = newest.ids
            return await sql.all<Scored>(fullRanking(filters, preview, page.after !== undefined, visibility.now, params), params)
          }
          const filtered = filterIds(filters, ranking, preview)
          const dense = top - newest.from < rankLimit * DENSE_SPAN
          return await sql.all<Scored>(newestFilteredSql(weighed.length, page.after !== undefined, rankLimit, filtered, dense, preview), ranking)
        }
        const rows = await sql.all<FirstProbe>(firstProbeSql(weighed.length, page.after !== undefined, rankLimit, preview), ranking)
        const head = rows.find((row) => row.id === null)!
        if (head.n === rankLimit) return rows.filter((row) => row !== head).map(({ id, score }) => ({ id: id!, score: score! })).sort(byScore)
        const newest = await newestMatches(sql, q, rankLimit, { top: head.top!, window: rankLimit * PROBE_FACTOR, ids: head.ids! })
        if ('from' in newest) return await sql.all<Scored>(newestRankingSql(weighed.length, page.after !== undefined, rankLimit, preview), { ...ranking, from: newest.from })
        if (newest.ids.length === 0) return []
        params.ids = newest.ids
      }
      return await sql.all<Scored>(fullRanking(filters, preview, page.after !== undefined, visibility.now, params), params)
    },
    async indexedText (ids) {
      if (ids.length === 0) return []
      const rows = await sql.all<Omit<IndexedText, 'body'> & { body: unknown }>(INDEXED_TEXT, { ids })
      return rows.map((row) => ({ ...row, body: indexedBodyText(row.body) }))
    },
  }
}
