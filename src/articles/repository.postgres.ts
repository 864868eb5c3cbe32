// The articles repository on PostgreSQL. Not ported yet: each method says so.
import type { PgConn } from '../db/postgres/store.js'
import type { ArticlesRepository } from './articles-repository.js'

export function postgresArticlesRepository (_conn: PgConn): ArticlesRepository {
  const notYet = (name: string) => async (): Promise<never> => { throw new Error(`articles.${name} is not ported to PostgreSQL yet`) }
  return {
    findBySlug: notYet('findBySlug'),
    summariesByIds: notYet('summariesByIds'),
    resolveFilters: notYet('resolveFilters'),
    list: notYet('list'),
    sectionDescendantIds: notYet('sectionDescendantIds'),
    syncListing: notYet('syncListing'),
    rebuildListingsUnderSection: notYet('rebuildListingsUnderSection'),
  }
}
