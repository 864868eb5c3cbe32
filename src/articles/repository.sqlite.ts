// The articles repository on SQLite: the tuned statements of article.repository.sqlite.ts,
// summaries.repository.sqlite.ts and list.repository.sqlite.ts (planner hints, prepared once, raw
// rows) behind the async interface; listings are kept with the neutral SQL of listing.repository.ts.
import type { SqliteConn } from '../db/repositories.js'
import type { ArticlesRepository } from './articles-repository.js'
import { findArticleBySlug, findLiveArticleRow } from './article.repository.sqlite.js'
import { listArticles, resolveArticleFilters, sectionDescendantIds } from './list.repository.sqlite.js'
import { rebuildListingsUnderSection, syncListing } from './listing.repository.js'
import { findSummariesByIds } from './summaries.repository.sqlite.js'

export function sqliteArticlesRepository ({ db, sql }: SqliteConn): ArticlesRepository {
  return {
    findBySlug: async (slug, visibility) => findArticleBySlug(db, slug, visibility),
    summariesByIds: async (ids, visibility) => findSummariesByIds(db, ids, visibility),
    resolveFilters: async (query) => resolveArticleFilters(db, query),
    list: async (filters, page, visibility) => listArticles(db, filters, page, visibility),
    sectionDescendantIds: async (rootId) => sectionDescendantIds(db, rootId),
    syncListing: (articleId) => syncListing(sql, articleId),
    rebuildListingsUnderSection: (sectionId) => rebuildListingsUnderSection(sql, sectionId),
    liveArticleRow: (slug, now) => findLiveArticleRow(db, slug, now),
  }
}
