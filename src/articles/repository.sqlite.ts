// The articles repository on SQLite: the tuned statements of repository.ts, summaries.ts,
// list-query.ts and listing.ts (planner hints, prepared once, raw rows) behind the async interface.
import type { SqliteConn } from '../db/repositories.js'
import type { ArticlesRepository } from './articles-repository.js'
import { listArticles, resolveArticleFilters, sectionDescendantIds } from './list-query.js'
import { rebuildListingsUnderSection, syncArticleListing } from './listing.js'
import { findArticleBySlug, findLiveArticleRow } from './repository.js'
import { findSummariesByIds } from './summaries.js'

export function sqliteArticlesRepository ({ db }: SqliteConn): ArticlesRepository {
  return {
    findBySlug: async (slug, visibility) => findArticleBySlug(db, slug, visibility),
    summariesByIds: async (ids, visibility) => findSummariesByIds(db, ids, visibility),
    resolveFilters: async (query) => resolveArticleFilters(db, query),
    list: async (filters, page, visibility) => listArticles(db, filters, page, visibility),
    sectionDescendantIds: async (rootId) => sectionDescendantIds(db, rootId),
    syncListing: async (articleId) => syncArticleListing(db, articleId),
    rebuildListingsUnderSection: async (sectionId) => rebuildListingsUnderSection(db, sectionId),
    liveArticleRow: (slug, now) => findLiveArticleRow(db, slug, now),
  }
}
