// Search on PostgreSQL: the weighted tsvector in articles_search (headline A, standfirst B, body C;
// migrations/postgres/0001_search.sql, kept current by triggers in the writing transaction), with
// the `dateline` configuration (unaccent, then the English Snowball stemmer and stop words).
// The reader's words reach PostgreSQL only as quoted terms inside websearch_to_tsquery's text (the
// parsed query has letters, marks and digits only), never as to_tsquery syntax. Ranking, filters,
// paging and the large-match-set strategy are SQLite's (repository.ts, repository.sqlite.ts):
// - the full ranking is ts_rank with the weights {body 0.1, standfirst 0.4, headline 1} (bm25's
//   1 : 4 : 10) times freshness;
// - above `rankLimit` matches an unfiltered delivery search ranks the newest `rankLimit` matches
//   with the same per-term column relevance as SQLite's (the same scores for the same rows).
import type { ArticleFilters } from '../articles/list-query.js'
import type { PgConn } from '../db/postgres/store.js'
import { FRESHNESS_MS, unfiltered, WEIGHED_TERMS, type IndexedText, type Scored, type SearchPosition, type SearchRepository } from './repository.js'

// the whole query: every term (a word or a phrase) quoted, all required
const websearchText = (terms: string[][]) => terms.map((term) => `"${term.join(' ')}"`).join(' ')
const TSQUERY = "websearch_to_tsquery('dateline', :q)"
const WEIGHTS = "'{0.0, 0.1, 0.4, 1.0}'::float4[]"
const freshness = (recencyKey: string) =>
  `(1.0::float8 + greatest(0, :at::bigint - ${recencyKey})::float8 / ${FRESHNESS_MS}.0::float8)`
const AFTER = 'where score < :afterS::float8 or (score = :afterS::float8 and id < :afterI::int)'

// Where the newest rankLimit matches start: `from`, the rankLimit-th newest match (by id), or,
// when there are fewer matches, `ids`, all of them. A GIN index yields matches in no useful order,
// and left to itself the planner picks between walking the primary key backwards (cheap when
// matches are common, the case this strategy is for) and the GIN index over every match (cheap
// when they are rare) from an estimate that is often far off for phrases. So the newest articles
// are probed first (PROBE_FACTOR × rankLimit of them, then a window sized from the density found,
// at most twice more); when the matches are too sparse for that, every match is read through the
// GIN index (a materialised CTE: the plan cannot be turned into the backward walk).
const PROBE_FACTOR = 5
const TOP_ID = 'select coalesce(max(article_id), 0) as top from articles_search'
const RECENT_MATCHES = `select article_id as id from articles_search where article_id > :from::int and document @@ ${TSQUERY}
  order by article_id desc limit :limit`
const ALL_MATCHES = `with matches as materialized (select article_id from articles_search where document @@ ${TSQUERY})
  select article_id as id from matches order by article_id desc limit :limit`

async function newestMatches (sql: PgConn['sql'], q: string, rankLimit: number): Promise<{ from: number } | { ids: number[] }> {
  const { top } = (await sql.get<{ top: number }>(TOP_ID))!
  let window = rankLimit * PROBE_FACTOR
  for (let attempt = 0; attempt < 3; attempt++) {
    const ids = (await sql.all<{ id: number }>(RECENT_MATCHES, { q, from: Math.max(0, top - window), limit: rankLimit })).map((r) => r.id)
    if (ids.length === rankLimit) return { from: ids.at(-1)! }
    // every article probed: these are all the matches
    if (window >= top) return { ids }
    if (ids.length === 0 || ids.length / window * top < rankLimit * 1.5) break
    window = Math.ceil(window * rankLimit / ids.length * 1.25)
  }
  const ids = (await sql.all<{ id: number }>(ALL_MATCHES, { q, limit: rankLimit })).map((r) => r.id)
  return ids.length === rankLimit ? { from: ids.at(-1)! } : { ids }
}

function newestRankingSql (weighed: number, after: boolean): string {
  const terms = Array.from({ length: weighed }, (_, i) => `websearch_to_tsquery('dateline', :t${i})`)
  const sum = terms.map((t) => `1 + 10 * (f.headline @@ ${t})::int + 4 * (f.standfirst @@ ${t})::int`).join(' + ')
  return `select id, score from (
      select a.id, ((${sum})::float8 / ${weighed}.0::float8) / ${freshness('a.published_at')} as score
      from articles_search s join articles a on a.id = s.article_id
        cross join lateral (select ts_filter(s.document, '{a}') as headline, ts_filter(s.document, '{b}') as standfirst) f
      where s.article_id >= :from and s.document @@ ${TSQUERY} and a.status = 'published' and a.published_at <= :now
    ) hits ${after ? AFTER : ''} order by score desc, id desc limit :limit`
}

const INDEXED_TEXT = `select id, headline, coalesce(standfirst, '') as standfirst, articles_body_text(body) as body from articles
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
  // the matches through the GIN index, or the given ids (a small match set already read), then each
  // match's article by primary key: left to itself the planner may read every document or every
  // article when it overestimates the matches of a phrase
  const matches = params.ids !== undefined
    ? `select article_id, document from articles_search
        where article_id in (select value::int from jsonb_array_elements_text(:ids::jsonb)) and document @@ ${TSQUERY}`
    : `select article_id, document from articles_search where document @@ ${TSQUERY}`
  return `with matches as materialized (${matches})
    select id, score from (
      select a.id, ts_rank(${WEIGHTS}, s.document, ${TSQUERY})::float8 / ${freshness(recencyKey)} as score
      from matches s cross join lateral (
        select id, section_id, status, published_at, created_at from articles where id = s.article_id offset 0) a
      ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
    ) hits ${after ? AFTER : ''} order by score desc, id desc limit :limit`
}

const afterParams = (after: SearchPosition | undefined) => after ? { afterS: after.s, afterI: after.i } : {}

export function postgresSearchRepository ({ sql }: PgConn): SearchRepository {
  return {
    async rank ({ terms }, filters, page, visibility, rankLimit) {
      const preview = visibility.preview === true
      const at = page.after?.t ?? visibility.now
      const q = websearchText(terms)
      const params: Record<string, unknown> = { q, at, limit: page.limit + 1, ...afterParams(page.after) }
      if (!preview && rankLimit && unfiltered(filters)) {
        const newest = await newestMatches(sql, q, rankLimit)
        if ('from' in newest) {
          const weighed = terms.slice(0, WEIGHED_TERMS)
          weighed.forEach((term, i) => { params[`t${i}`] = websearchText([term]) })
          return await sql.all<Scored>(newestRankingSql(weighed.length, page.after !== undefined), { ...params, from: newest.from, now: visibility.now })
        }
        if (newest.ids.length === 0) return []
        params.ids = newest.ids
      }
      return await sql.all<Scored>(fullRanking(filters, preview, page.after !== undefined, visibility.now, params), params)
    },
    indexedText: async (ids) => ids.length === 0 ? [] : await sql.all<IndexedText>(INDEXED_TEXT, { ids }),
  }
}
