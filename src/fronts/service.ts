// Builds a front: selected, latest and most viewed for a section (or the whole site), with each
// story in one module only (precedence: selected, latest, most viewed).
import { eq, sql } from 'drizzle-orm'
import { listArticles, sectionDescendantIds } from '../articles/list-query.js'
import { findSummariesByIds, type Visibility } from '../articles/summaries.js'
import { collectionArticleIds } from '../collections/repository.js'
import type { Db } from '../db/connection.js'
import { sections } from '../db/schema.js'
import { rankMostViewed, windowStartHour } from '../views/repository.js'
import type { Front } from './schemas.js'

export const DEFAULT_SELECTED_COLLECTION = 'selected'

type FrontSectionRow = typeof sections.$inferSelect

export function findFrontSection (db: Db, path: string): FrontSectionRow | undefined {
  return db.select().from(sections).where(eq(sections.path, path)).get()
}

function breadcrumbs (db: Db, sectionId: number) {
  return db.all<{ slug: string, name: string, path: string }>(sql`
    with recursive chain(id, parent_id, slug, name, path, depth) as (
      select id, parent_id, slug, name, path, 0 from sections where id = ${sectionId}
      union all
      select s.id, s.parent_id, s.slug, s.name, s.path, c.depth + 1 from sections s join chain c on s.id = c.parent_id
    )
    select slug, name, path from chain order by depth desc`)
}

function selectedCollection (section: FrontSectionRow | undefined): string {
  if (!section) return DEFAULT_SELECTED_COLLECTION
  try {
    const settings = JSON.parse(section.settings) as { selectedCollection?: unknown }
    return typeof settings.selectedCollection === 'string' ? settings.selectedCollection : DEFAULT_SELECTED_COLLECTION
  } catch {
    return DEFAULT_SELECTED_COLLECTION
  }
}

// mostViewedMemoMs: how long the most-viewed ranking may be reused (MOST_VIEWED_CACHE_SECONDS)
export function buildFront (db: Db, section: FrontSectionRow | undefined, limit: number, visibility: Visibility, mostViewedMemoMs = 0): Front {
  const ids = collectionArticleIds(db, selectedCollection(section), visibility.now, visibility.preview) ?? []
  const selected = findSummariesByIds(db, [...new Set(ids)], visibility).slice(0, limit)
  const seen = new Set(selected.map((a) => a.id))

  const sectionIds = section ? { root: section.id, all: sectionDescendantIds(db, section.id) } : undefined
  const latest = listArticles(db, { sectionIds }, { limit: limit + seen.size }, visibility).data
    .filter((a) => !seen.has(a.id)).slice(0, limit)
  for (const a of latest) seen.add(a.id)

  const mostViewed = rankMostViewed(db, {
    fromHour: windowStartHour(visibility.now, '24h'), sectionId: section?.id, limit, ...visibility, memoMs: mostViewedMemoMs,
  }, seen)

  return {
    section: section
      ? { slug: section.slug, name: section.name, path: section.path, description: section.description, breadcrumbs: breadcrumbs(db, section.id) }
      : null,
    selected,
    latest,
    mostViewed,
  }
}
