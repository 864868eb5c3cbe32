// Reads curated collections: the items still showable at `now` (live article, not expired), in order.
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm'
import { findSummariesByIds, liveArticle, type Visibility } from '../articles/summaries.js'
import type { Db } from '../db/connection.js'
import { articles, collectionItems, collections } from '../db/schema.js'
import type { Collection } from './schemas.js'

// The ids of the collection's showable articles in position order; undefined for an unknown slug.
export function collectionArticleIds (db: Db, slug: string, now: number, preview = false): number[] | undefined {
  const collection = db.select({ id: collections.id }).from(collections).where(eq(collections.slug, slug)).get()
  if (!collection) return undefined
  return db.select({ id: collectionItems.articleId }).from(collectionItems)
    .innerJoin(articles, eq(articles.id, collectionItems.articleId))
    .where(and(
      eq(collectionItems.collectionId, collection.id),
      or(isNull(collectionItems.expiresAt), gt(collectionItems.expiresAt, now)),
      preview ? undefined : liveArticle(now)
    ))
    .orderBy(asc(collectionItems.position))
    .all()
    .map((row) => row.id)
}

export function findCollection (db: Db, slug: string, visibility: Visibility): Collection | undefined {
  const collection = db.select().from(collections).where(eq(collections.slug, slug)).get()
  if (!collection) return undefined
  const ids = collectionArticleIds(db, slug, visibility.now, visibility.preview) ?? []
  // an article may appear once only, even if an editor listed it twice
  const summaries = findSummariesByIds(db, [...new Set(ids)], visibility)
  return {
    slug: collection.slug,
    name: collection.name,
    description: collection.description,
    items: summaries.map((article, position) => ({ position, article })),
  }
}
