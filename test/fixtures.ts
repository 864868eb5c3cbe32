// Test data inserted straight into the database (no HTTP), for every feature's tests: the one place
// that writes rows for tests, so a schema change touches only this file. insertArticle keeps
// article_listings in step, as every real write must. Pass what a test asserts on; the defaults
// only make a valid row.
import { eq } from 'drizzle-orm'
import type { Db } from '../src/db/connection.js'
import {
  articleAuthors, articleRelated, articles, articleTags, authors, collectionItems, collections, pageViews, sections, tags,
} from '../src/db/schema.js'
import { syncArticleListing } from '../src/articles/listing.js'
import type { Block, HeroImage } from '../src/articles/schemas.js'
import { countWords } from '../src/articles/word-count.js'

export const T0 = Date.parse('2026-11-01T00:00:00.000Z')
export const HOUR = 3_600_000
export const DAY = 24 * HOUR
const ms = (value: number | string) => typeof value === 'string' ? Date.parse(value) : value

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface SectionInput {
  slug: string
  // path of the parent section
  parent?: string
  name?: string
  position?: number
  description?: string | null
  // front settings, e.g. { selectedCollection: 'news-picks' }
  settings?: Record<string, unknown>
}

export function insertSection (db: Db, input: SectionInput): number {
  const parent = input.parent === undefined
    ? undefined
    : db.select().from(sections).where(eq(sections.path, input.parent)).get()
  if (input.parent !== undefined && !parent) throw new Error(`fixture: no section ${input.parent}`)
  return db.insert(sections).values({
    slug: input.slug,
    name: input.name ?? titleCase(input.slug),
    path: parent ? `${parent.path}/${input.slug}` : input.slug,
    parentId: parent?.id ?? null,
    position: input.position ?? 0,
    description: input.description ?? null,
    settings: JSON.stringify(input.settings ?? {}),
    createdAt: T0,
    updatedAt: T0,
  }).returning({ id: sections.id }).get().id
}

export interface TagInput {
  slug: string
  name?: string
  type?: 'topic' | 'place' | 'person' | 'organisation'
  description?: string | null
}

export function insertTag (db: Db | Tx, input: TagInput): number {
  return db.insert(tags).values({
    slug: input.slug,
    name: input.name ?? titleCase(input.slug),
    type: input.type ?? 'topic',
    description: input.description ?? null,
    createdAt: T0,
    updatedAt: T0,
  }).returning({ id: tags.id }).get().id
}

export function insertAuthor (db: Db, input: { slug: string, name?: string, kind?: 'staff' | 'contributor' | 'agency', bio?: string | null, avatarUrl?: string | null }): number {
  return db.insert(authors).values({
    slug: input.slug,
    name: input.name ?? titleCase(input.slug),
    kind: input.kind ?? 'staff',
    bio: input.bio ?? null,
    avatarUrl: input.avatarUrl ?? null,
    createdAt: T0,
    updatedAt: T0,
  }).returning({ id: authors.id }).get().id
}

export interface ArticleInput {
  // default: the next id
  id?: number
  slug: string
  // path of the section
  section: string
  headline?: string
  standfirst?: string | null
  body?: Block[]
  byline?: string | null
  heroImage?: HeroImage | null
  status?: 'draft' | 'published'
  // RFC 3339 or ms; null for a draft that was never published. Defaults to T0.
  publishedAt?: number | string | null
  // default T0
  createdAt?: number | string
  // default publishedAt, else createdAt
  updatedAt?: number | string
  // tag slugs; a tag not inserted yet is made (a topic named after its slug)
  tags?: string[]
  // author slugs, which must exist
  authors?: string[]
  related?: number[]
  wordCount?: number
}

function insertArticleIn (tx: Tx, input: ArticleInput): number {
  const section = tx.select({ id: sections.id }).from(sections).where(eq(sections.path, input.section)).get()
  if (!section) throw new Error(`fixture: no section ${input.section}`)
  const headline = input.headline ?? titleCase(input.slug)
  const body = input.body ?? [{ type: 'paragraph', text: `The story of ${input.slug}.` }]
  const status = input.status ?? 'published'
  const publishedAt = input.publishedAt === undefined ? (status === 'published' ? T0 : null) : input.publishedAt === null ? null : ms(input.publishedAt)
  const createdAt = input.createdAt === undefined ? T0 : ms(input.createdAt)
  const id = tx.insert(articles).values({
    ...(input.id === undefined ? {} : { id: input.id }),
    slug: input.slug,
    headline,
    standfirst: input.standfirst ?? null,
    body: JSON.stringify(body),
    byline: input.byline ?? null,
    sectionId: section.id,
    heroImage: input.heroImage ? JSON.stringify(input.heroImage) : null,
    status,
    publishedAt,
    firstPublishedAt: publishedAt,
    wordCount: input.wordCount ?? countWords(headline, input.standfirst, body),
    createdAt,
    updatedAt: input.updatedAt === undefined ? (publishedAt ?? createdAt) : ms(input.updatedAt),
  }).returning({ id: articles.id }).get().id
  for (const [position, slug] of (input.tags ?? []).entries()) {
    const tagId = tx.select({ id: tags.id }).from(tags).where(eq(tags.slug, slug)).get()?.id ?? insertTag(tx, { slug, name: slug })
    tx.insert(articleTags).values({ articleId: id, tagId, position }).run()
  }
  for (const [position, slug] of (input.authors ?? []).entries()) {
    const author = tx.select({ id: authors.id }).from(authors).where(eq(authors.slug, slug)).get()
    if (!author) throw new Error(`fixture: no author ${slug}`)
    tx.insert(articleAuthors).values({ articleId: id, authorId: author.id, position }).run()
  }
  for (const [position, relatedId] of (input.related ?? []).entries()) {
    tx.insert(articleRelated).values({ articleId: id, relatedId, position }).run()
  }
  syncArticleListing(tx, id)
  return id
}

export function insertArticle (db: Db, input: ArticleInput): number {
  return db.transaction((tx) => insertArticleIn(tx, input))
}

// Many articles in one transaction (large seeds).
export function insertArticles (db: Db, inputs: ArticleInput[]): number[] {
  return db.transaction((tx) => inputs.map((input) => insertArticleIn(tx, input)))
}

export function setStatus (db: Db, id: number, status: 'draft' | 'published'): void {
  db.transaction((tx) => {
    tx.update(articles).set({ status }).where(eq(articles.id, id)).run()
    syncArticleListing(tx, id)
  })
}

export function insertCollection (db: Db, slug: string, items: Array<{ articleId: number, expiresAt?: number | string }>): void {
  const id = db.insert(collections).values({ slug, name: `The ${slug}`, description: null, createdAt: T0, updatedAt: T0 }).returning({ id: collections.id }).get().id
  for (const [position, item] of items.entries()) {
    db.insert(collectionItems).values({ collectionId: id, position, articleId: item.articleId, expiresAt: item.expiresAt === undefined ? null : ms(item.expiresAt) }).run()
  }
}

// Sets the page views of an article in the clock hour that contains `at`.
export function insertViews (db: Db, articleId: number, at: number | string, views: number): void {
  db.insert(pageViews).values({ articleId, hour: Math.floor(ms(at) / HOUR), views })
    .onConflictDoUpdate({ target: [pageViews.articleId, pageViews.hour], set: { views } }).run()
}

// The News > World News > Middle East branch plus Sport > Football: the tree most tests need.
export function insertSectionTree (db: Db): void {
  insertSection(db, { slug: 'news', name: 'News', position: 0, description: 'The day\'s news.' })
  insertSection(db, { slug: 'world-news', name: 'World News', parent: 'news', position: 1 })
  insertSection(db, { slug: 'uk-news', name: 'UK News', parent: 'news', position: 0 })
  insertSection(db, { slug: 'middle-east', name: 'Middle East', parent: 'news/world-news' })
  insertSection(db, { slug: 'sport', name: 'Sport', position: 1 })
  insertSection(db, { slug: 'football', name: 'Football', parent: 'sport' })
}

function titleCase (slug: string): string {
  return slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')
}
