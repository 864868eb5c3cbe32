// Full-text search on both engines: FTS5 on SQLite (repository.sqlite.ts, migrations/sqlite/0001_search.sql)
// and a weighted tsvector on PostgreSQL (repository.postgres.ts, migrations/postgres/0001_search.sql).
// Both rank the same way: score = relevance × freshness, freshness = 1 / (1 + age / FRESHNESS_MS)
// (a month-old story needs twice the relevance of today's to rank level with it), age taken at the
// cursor's reference time so that later pages of one search rank with the same formula as the
// first; ties by id, highest first. Relevance weighs a headline match 10, a standfirst match 4 and
// a body match 1 (SQLite: bm25 with those column weights; PostgreSQL: ts_rank with those weights).
// Above `rankLimit` matches, a search ranks only the newest `rankLimit` matches (that pass its
// filters) with a relevance that needs no corpus statistics (see repository.sqlite.ts).
import type { ArticleFilters } from '../articles/list-query.js'
import type { Visibility } from '../articles/summaries.js'
import type { ParsedQuery } from './query.js'

// freshness = 1 / (1 + age / FRESHNESS_MS)
export const FRESHNESS_MS = 30 * 86_400_000
// in the newest-matches ranking, terms beyond this count are matched but not weighed by column
export const WEIGHED_TERMS = 8

export interface Scored { id: number, score: number }

// Where a page ends: the last score and id, and the reference time of the freshness.
export interface SearchPosition { s: number, i: number, t: number }

export interface IndexedText { id: number, headline: string | null, standfirst: string | null, body: string | null }

export interface SearchRepository {
  // Up to page.limit + 1 scored matches after `page.after`, best first. `rankLimit`: above this
  // many matches only the newest this many (that pass the filters) are ranked.
  rank (query: ParsedQuery, filters: ArticleFilters, page: { limit: number, after?: SearchPosition | undefined }, visibility: Visibility, rankLimit?: number): Promise<Scored[]>
  // The indexed text of these articles (headline, standfirst, body text), for snippets.
  indexedText (ids: readonly number[]): Promise<IndexedText[]>
}

export const unfiltered = (f: ArticleFilters) => f.sectionIds === undefined && f.tagIds === undefined && f.authorId === undefined &&
  f.since === undefined && f.until === undefined
