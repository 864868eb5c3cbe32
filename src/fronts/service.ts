// Builds a front: selected, latest and most viewed for a section (or the whole site), with each
// story in one module only (precedence: selected, latest, most viewed).
import type { Visibility } from '../articles/summaries.js'
import { readRepos, type Store } from '../db/store.js'
import { rankMostViewed, windowStartHour } from '../views/ranking.js'
import type { FrontSectionRow } from './repository.js'
import type { Front } from './schemas.js'

export const DEFAULT_SELECTED_COLLECTION = 'selected'

export function findFrontSection (store: Store, path: string): Promise<FrontSectionRow | undefined> {
  return store.delivery.fronts.sectionByPath(path)
}

function selectedCollection (section: FrontSectionRow | undefined): string {
  const settings = section?.settings as { selectedCollection?: unknown } | null | undefined
  return typeof settings === 'object' && settings !== null && typeof settings.selectedCollection === 'string'
    ? settings.selectedCollection
    : DEFAULT_SELECTED_COLLECTION
}

// mostViewedMemoMs: how long the most-viewed ranking may be reused (MOST_VIEWED_CACHE_SECONDS)
export async function buildFront (store: Store, section: FrontSectionRow | undefined, limit: number, visibility: Visibility, mostViewedMemoMs = 0): Promise<Front> {
  const repos = readRepos(store, visibility.preview)
  const collection = await repos.collections.findShowable(selectedCollection(section), visibility.now, visibility.preview)
  const selected = (await repos.articles.summariesByIds([...new Set(collection?.articleIds ?? [])], visibility)).slice(0, limit)
  const seen = new Set(selected.map((a) => a.id))

  const sectionIds = section ? { root: section.id, all: await repos.articles.sectionDescendantIds(section.id) } : undefined
  const latest = (await repos.articles.list({ sectionIds }, { limit: limit + seen.size }, visibility)).data
    .filter((a) => !seen.has(a.id)).slice(0, limit)
  for (const a of latest) seen.add(a.id)

  const mostViewed = await rankMostViewed(store, {
    fromHour: windowStartHour(visibility.now, '24h'), sectionId: section?.id, limit, ...visibility, memoMs: mostViewedMemoMs,
  }, seen)

  return {
    section: section
      ? { slug: section.slug, name: section.name, path: section.path, description: section.description, breadcrumbs: await repos.fronts.breadcrumbs(section.id) }
      : null,
    selected,
    latest,
    mostViewed,
  }
}
