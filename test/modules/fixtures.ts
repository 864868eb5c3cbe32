// Small insert helpers for the page-module tests: sections, tags, articles, collections, views.
import { eq } from 'drizzle-orm'
import { syncArticleListing } from '../../src/articles/listing.js'
import type { Db } from '../../src/db/connection.js'
import { articleRelated, articles, articleTags, collectionItems, collections, pageViews, sections, tags } from '../../src/db/schema.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export function insertSection (db: Db, path: string, settings: Record<string, unknown> = {}): number {
  const slugs = path.split('/')
  const parent = slugs.length > 1 ? db.select().from(sections).where(eq(sections.path, slugs.slice(0, -1).join('/'))).get() : undefined
  const slug = slugs.at(-1)!
  return db.insert(sections).values({
    slug, name: slug.replace(/-/g, ' '), path, parentId: parent?.id ?? null, settings: JSON.stringify(settings), createdAt: 0, updatedAt: 0,
  }).returning({ id: sections.id }).get().id
}

export function insertTag (db: Db, slug: string): number {
  return db.insert(tags).values({ slug, name: slug, type: 'topic', createdAt: 0, updatedAt: 0 }).returning({ id: tags.id }).get().id
}

export interface ArticleInput {
  slug: string
  section: string
  headline?: string
  standfirst?: string | null
  body?: unknown[]
  tags?: string[]
  status?: 'draft' | 'published'
  publishedAt?: number | string | null
  related?: number[]
}

const time = (t: number | string) => typeof t === 'string' ? Date.parse(t) : t

export function insertArticle (db: Db, input: ArticleInput): number {
  return db.transaction((tx) => {
    const section = tx.select().from(sections).where(eq(sections.path, input.section)).get()
    if (!section) throw new Error(`fixture: no section ${input.section}`)
    const publishedAt = input.publishedAt === null ? null : time(input.publishedAt ?? '2026-11-20T12:00:00.000Z')
    const id = tx.insert(articles).values({
      slug: input.slug,
      headline: input.headline ?? `Story ${input.slug}`,
      standfirst: input.standfirst ?? null,
      body: JSON.stringify(input.body ?? [{ type: 'paragraph', text: 'Filler text.' }]),
      sectionId: section.id,
      status: input.status ?? 'published',
      publishedAt,
      createdAt: publishedAt ?? 0,
      updatedAt: publishedAt ?? 0,
    }).returning({ id: articles.id }).get().id
    for (const [position, slug] of (input.tags ?? []).entries()) {
      const tag = tx.select().from(tags).where(eq(tags.slug, slug)).get()
      const tagId = tag?.id ?? tx.insert(tags).values({ slug, name: slug, type: 'topic', createdAt: 0, updatedAt: 0 }).returning({ id: tags.id }).get().id
      tx.insert(articleTags).values({ articleId: id, tagId, position }).run()
    }
    for (const [position, relatedId] of (input.related ?? []).entries()) {
      tx.insert(articleRelated).values({ articleId: id, relatedId, position }).run()
    }
    syncArticleListing(tx, id)
    return id
  })
}

export function setStatus (db: Db, id: number, status: 'draft' | 'published'): void {
  db.transaction((tx) => {
    tx.update(articles).set({ status }).where(eq(articles.id, id)).run()
    syncArticleListing(tx, id)
  })
}

export function insertCollection (db: Db, slug: string, items: Array<{ articleId: number, expiresAt?: number | string }>): void {
  const id = db.insert(collections).values({ slug, name: `The ${slug}`, description: null, createdAt: 0, updatedAt: 0 }).returning({ id: collections.id }).get().id
  for (const [position, item] of items.entries()) {
    db.insert(collectionItems).values({ collectionId: id, position, articleId: item.articleId, expiresAt: item.expiresAt === undefined ? null : time(item.expiresAt) }).run()
  }
}

export function insertViews (db: Db, articleId: number, at: number | string, views: number): void {
  db.insert(pageViews).values({ articleId, hour: Math.floor(time(at) / HOUR), views })
    .onConflictDoUpdate({ target: [pageViews.articleId, pageViews.hour], set: { views } }).run()
}
