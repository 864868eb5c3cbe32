// Full-text search over articles_fts (see migrations/sqlite/0001_search.sql), ranked by relevance blended
// with recency, with the /v1/articles filters and a (score, id) keyset cursor.
import escapeHtml from 'escape-html'
import { and, inArray, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { articleFilterConditions, sectionDescendantIds, type ArticleFilters } from '../articles/list-query.js'
import { findSummariesByIds, liveArticle, type Visibility } from '../articles/summaries.js'
import type { Db } from '../db/connection.js'
import { articles } from '../db/schema.js'
import type { Cursors } from '../http/cursor.js'
import { statement } from '../db/statements.js'
import { FRESHNESS_MS, newestMatches, rankCandidates } from './newest.js'
import { invalidField } from '../http/problem.js'
import type { ParsedQuery } from './query.js'
import type { SearchResults } from './schemas.js'
import { snippet, snippetQuery } from './snippet.js'

// Column weights for bm25: a headline match counts 10x a body match, a standfirst match 4x.
const BM25 = sql`bm25(articles_fts, 10.0, 4.0, 1.0)`
// score = relevance * freshness, where relevance = -bm25 (bm25 is negative, lower is better) and
// freshness = 1 / (1 + ageDays / 30): a month-old story needs twice the relevance of today's to
// rank level with it. Age is taken at the cursor's reference time so that later pages of one
// search rank with the same formula as the first.
const score = (at: number, recencyKey: SQL) =>
  sql`(-${BM25}) / (1.0 + max(0, ${at} - ${recencyKey}) / ${sql.raw(`${FRESHNESS_MS}.0`)})`

// Private markers around matches inside snippet(): they cannot be typed into HTML, and are turned
// into <mark> only after the text has been escaped.
const OPEN = '\u0002'
const CLOSE = '\u0003'

export function markSnippet (raw: string): string {
  const [head = '', ...rest] = escapeHtml(raw).split(OPEN)
  return head.replaceAll(CLOSE, '') + rest.map((part) => {
    const end = part.indexOf(CLOSE)
    return end < 0 ? part : `<mark>${part.slice(0, end)}</mark>${part.slice(end + 1).replaceAll(CLOSE, '')}`
  }).join('')
}

const SearchCursor = z.object({ s: z.number(), i: z.number().int(), t: z.number().int() })
type SearchPosition = z.infer<typeof SearchCursor>

export function decodeSearchCursor (cursors: Cursors, raw: string | undefined, scope: string): SearchPosition | undefined {
  if (raw === undefined) return undefined
  const parsed = SearchCursor.safeParse(cursors.decode(raw, scope))
  if (!parsed.success) throw invalidField('query', 'cursor', 'is malformed')
  return parsed.data
}

export const encodeSearchCursor = (cursors: Cursors, position: SearchPosition, scope: string) => cursors.encode(position, scope)

export interface SearchPage {
  results: SearchResults['data']
  next: SearchPosition | null
}

const unfiltered = (f: ArticleFilters) => f.sectionIds === undefined && f.tagIds === undefined && f.authorId === undefined &&
  f.since === undefined && f.until === undefined

// `rankLimit`: above this many matches an unfiltered delivery search ranks only the newest this many (newest.ts)
export function searchArticleIndex (db: Db, query: ParsedQuery, filters: ArticleFilters, page: { limit: number, after?: SearchPosition }, visibility: Visibility, rankLimit?: number): SearchPage {
  const { fts, terms } = query
  const preview = visibility.preview === true
  const at = page.after?.t ?? visibility.now
  if (!preview && rankLimit && unfiltered(filters)) {
    const newest = newestMatches(db, fts, terms, rankLimit)
    if (newest) {
      const after = page.after && { score: page.after.s, id: page.after.i }
      const ranked = rankCandidates(db, newest, terms, at, visibility.now, page.limit + 1, after)
      return pageOf(db, terms, ranked, page.limit, at, visibility)
    }
  }
  const recencyKey = preview ? sql`coalesce(${articles.publishedAt}, ${articles.createdAt})` : sql`${articles.publishedAt}`
  const conditions = articleFilterConditions(filters, recencyKey)
  if (filters.sectionIds) conditions.push(inArray(articles.sectionId, filters.sectionIds.all ?? sectionDescendantIds(db, filters.sectionIds.root)))
  if (!preview) conditions.push(liveArticle(visibility.now))
  const after = page.after ? sql`where score < ${page.after.s} or (score = ${page.after.s} and id < ${page.after.i})` : sql``
  // materialized: bm25() may only run inside the full-text query, not in the keyset's WHERE
  const rows = db.all<{ id: number, score: number }>(sql`
    with hits as materialized (
      select ${articles.id} as id, ${score(at, recencyKey)} as score
      from articles_fts join ${articles} on ${articles.id} = articles_fts.rowid
      where ${and(sql`articles_fts match ${fts}`, ...conditions)}
    )
    select id, score from hits ${after} order by score desc, id desc limit ${page.limit + 1}`)
  return pageOf(db, terms, rows, page.limit, at, visibility)
}

// One page from up to limit + 1 scored rows (best first): snippets, summaries and the next cursor.
// The snippets are made in JS from the indexed text (snippet.ts), the same as FTS5's snippet()
// with 24 tokens, at a fraction of its cost.
const INDEXED_TEXT = `select rowid as id, headline, standfirst, body_text as body from articles_fts
  where rowid in (select value from json_each(:ids))`
interface IndexedText { id: number, headline: string | null, standfirst: string | null, body: string | null }

function pageOf (db: Db, terms: string[][], rows: Array<{ id: number, score: number }>, limit: number, at: number, visibility: Visibility): SearchPage {
  const more = rows.length > limit
  const shown = more ? rows.slice(0, limit) : rows
  const ids = shown.map((row) => row.id)
  const query = snippetQuery(terms)
  const texts = new Map((ids.length === 0 ? [] : statement(db, INDEXED_TEXT).all({ ids: JSON.stringify(ids) }) as IndexedText[]).map((row) => [row.id, row]))
  const scores = new Map(shown.map((row) => [row.id, row.score]))
  const results = findSummariesByIds(db, ids, visibility).map((summary) => {
    const text = texts.get(summary.id)
    return {
      ...summary,
      snippet: text ? markSnippet(snippet([text.headline ?? '', text.standfirst ?? '', text.body ?? ''], query, OPEN, CLOSE, '…', 24)) : '',
      score: Number((scores.get(summary.id) ?? 0).toPrecision(6)),
    }
  })
  const last = shown.at(-1)
  return { results, next: more && last ? { s: last.score, i: last.id, t: at } : null }
}
