// Delivery of a collection: its showable items (live, not expired) as summaries, renumbered.
import type { Visibility } from '../articles/summaries.js'
import type { Repositories } from '../db/repositories.js'
import type { Collection } from './schemas.js'

export async function findCollection (repos: Repositories, slug: string, visibility: Visibility): Promise<Collection | undefined> {
  const collection = await repos.collections.findShowable(slug, visibility.now, visibility.preview)
  if (!collection) return undefined
  // an article may appear once only, even if an editor listed it twice
  const summaries = await repos.articles.summariesByIds([...new Set(collection.articleIds)], visibility)
  return {
    slug: collection.slug,
    name: collection.name,
    description: collection.description,
    items: summaries.map((article, position) => ({ position, article })),
  }
}
