// What every feature reads about articles (the delivery article, summaries, the filtered latest
// list) and the article_listings upkeep every article write calls, on both engines:
// repository.sqlite.ts and repository.postgres.ts. Reached as `store.repos.articles` (or a
// transaction's `repos.articles`).
import type { ArticleFilterQuery, ArticleFilters, ArticleListPage, Position } from './list-query.js'
import type { ArticleRow } from './article.repository.sqlite.js'
import type { Article, ArticleSummary } from './schemas.js'
import type { Visibility } from './summaries.js'

export interface ArticlesRepository {
  // The full delivery article; unpublished and future articles only with preview. A live blog's
  // carries `liveBlog` (true running, false ended), which the route replaces with its `live` block.
  findBySlug (slug: string, visibility: Visibility): Promise<(Article & { liveBlog?: boolean }) | undefined>
  // Summaries for the given ids, in the order of `ids`; ids that are not visible are left out.
  summariesByIds (ids: readonly number[], visibility: Visibility): Promise<ArticleSummary[]>
  // The list filters resolved to ids; an unknown section, tag or author is a 400 problem.
  resolveFilters (query: ArticleFilterQuery): Promise<ArticleFilters>
  // Latest first with keyset paging on (publishedAt, id).
  list (filters: ArticleFilters, page: { limit: number, after?: Position | undefined }, visibility: Visibility): Promise<ArticleListPage>
  // The section and every section under it.
  sectionDescendantIds (rootId: number): Promise<number[]>
  // Keeps article_listings in step with one article; call in the write's transaction after every
  // change to its status, published_at or section.
  syncListing (articleId: number): Promise<void>
  // After a section moves under another parent: every listing row of the articles under it.
  rebuildListingsUnderSection (sectionId: number): Promise<void>
  // The live article's row for the rendering fast path (fast-render.ts, before Fastify), its JSON
  // columns as text in schema order: synchronously where the engine reads synchronously (SQLite),
  // else a promise (PostgreSQL).
  liveArticleRow (slug: string, now: number): ArticleRow | undefined | Promise<ArticleRow | undefined>
}
