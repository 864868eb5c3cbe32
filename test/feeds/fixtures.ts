// Small direct inserts for feed and sitemap tests (drizzle, with syncArticleListing on every write).
import { eq } from 'drizzle-orm'
import { XMLParser } from 'fast-xml-parser'
import type { Db } from '../../src/db/connection.js'
import { articleAuthors, articles, articleTags, authors, sections, tags } from '../../src/db/schema.js'
import { syncArticleListing } from '../../src/articles/listing.js'
import type { Block, HeroImage } from '../../src/articles/schemas.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

export function insertSection (db: Db, path: string, name = path.split('/').at(-1)!, description: string | null = null): number {
  const slug = path.split('/').at(-1)!
  const parentPath = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : null
  const parent = parentPath === null ? null : db.select().from(sections).where(eq(sections.path, parentPath)).get()
  return db.insert(sections).values({ slug, name, path, parentId: parent?.id ?? null, description, createdAt: T0, updatedAt: T0 })
    .returning({ id: sections.id }).get().id
}

export function insertTag (db: Db, slug: string, name = slug): number {
  return db.insert(tags).values({ slug, name, type: 'topic', createdAt: T0, updatedAt: T0 }).returning({ id: tags.id }).get().id
}

export function insertAuthor (db: Db, slug: string, name = slug): number {
  return db.insert(authors).values({ slug, name, kind: 'staff', createdAt: T0, updatedAt: T0 }).returning({ id: authors.id }).get().id
}

export interface ArticleInput {
  slug: string
  section: string
  headline?: string
  standfirst?: string | null
  body?: Block[]
  byline?: string | null
  heroImage?: HeroImage | null
  status?: 'draft' | 'published'
  publishedAt?: string | null
  updatedAt?: string
  tags?: string[]
  authors?: string[]
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

function insertArticleIn (tx: Tx | Db, input: ArticleInput): number {
  const section = tx.select().from(sections).where(eq(sections.path, input.section)).get()
  if (!section) throw new Error(`fixture: no section ${input.section}`)
  const publishedAt = input.publishedAt === undefined ? '2026-11-24T09:00:00.000Z' : input.publishedAt
  const published = publishedAt === null ? null : Date.parse(publishedAt)
  const id = tx.insert(articles).values({
    slug: input.slug,
    headline: input.headline ?? `Headline ${input.slug}`,
    standfirst: input.standfirst === undefined ? `Standfirst ${input.slug}` : input.standfirst,
    body: JSON.stringify(input.body ?? [{ type: 'paragraph', text: `Body of ${input.slug}` }]),
    byline: input.byline ?? null,
    sectionId: section.id,
    heroImage: input.heroImage ? JSON.stringify(input.heroImage) : null,
    status: input.status ?? 'published',
    publishedAt: published,
    firstPublishedAt: published,
    createdAt: Date.parse('2026-11-01T08:00:00.000Z'),
    updatedAt: input.updatedAt ? Date.parse(input.updatedAt) : (published ?? T0),
  }).returning({ id: articles.id }).get().id
  for (const [position, slug] of (input.tags ?? []).entries()) {
    const tag = tx.select().from(tags).where(eq(tags.slug, slug)).get()!
    tx.insert(articleTags).values({ articleId: id, tagId: tag.id, position }).run()
  }
  for (const [position, slug] of (input.authors ?? []).entries()) {
    const author = tx.select().from(authors).where(eq(authors.slug, slug)).get()!
    tx.insert(articleAuthors).values({ articleId: id, authorId: author.id, position }).run()
  }
  syncArticleListing(tx, id)
  return id
}

export function insertArticle (db: Db, input: ArticleInput): number {
  return db.transaction((tx) => insertArticleIn(tx, input))
}

export function insertArticles (db: Db, inputs: ArticleInput[]): number[] {
  return db.transaction((tx) => inputs.map((input) => insertArticleIn(tx, input)))
}

// Keeps every element that may repeat as an array, so assertions need no special cases.
const repeating = new Set(['item', 'entry', 'url', 'sitemap', 'category', 'author', 'enclosure', 'feed.link', 'feed.entry.link'])
export const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name, jpath) => repeating.has(name) || repeating.has(String(jpath)),
})

export function parseXml (text: string): any {
  return xml.parse(text, true)
}
