// Small test data inserted straight into the database (no HTTP), for any feature's tests.
// insertArticle keeps article_listings in step, as every real write must.
import { eq } from 'drizzle-orm'
import type { Db } from '../src/db/connection.js'
import { articleAuthors, articleRelated, articles, articleTags, authors, sections, tags } from '../src/db/schema.js'
import { syncArticleListing } from '../src/articles/listing.js'
import type { Block, HeroImage } from '../src/articles/schemas.js'

export const T0 = Date.parse('2026-11-01T00:00:00.000Z')
const ms = (value: number | string) => typeof value === 'string' ? Date.parse(value) : value

export interface SectionInput {
  slug: string
  name?: string
  parent?: string
  position?: number
  description?: string | null
}

export function insertSection (db: Db, input: SectionInput): { id: number, path: string } {
  const parent = input.parent === undefined
    ? undefined
    : db.select().from(sections).where(eq(sections.path, input.parent)).get()
  if (input.parent !== undefined && !parent) throw new Error(`fixture: no section ${input.parent}`)
  const path = parent ? `${parent.path}/${input.slug}` : input.slug
  const row = db.insert(sections).values({
    slug: input.slug,
    name: input.name ?? titleCase(input.slug),
    path,
    parentId: parent?.id ?? null,
    position: input.position ?? 0,
    description: input.description ?? null,
    createdAt: T0,
    updatedAt: T0,
  }).returning({ id: sections.id }).get()
  return { id: row.id, path }
}

export function insertTag (db: Db, input: { slug: string, name?: string, type?: 'topic' | 'place' | 'person' | 'organisation', description?: string | null }): number {
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
  slug: string
  section: string
  headline?: string
  standfirst?: string | null
  body?: Block[]
  byline?: string | null
  heroImage?: HeroImage | null
  status?: 'draft' | 'published'
  // RFC 3339 or ms; null for a draft that was never published. Defaults to T0.
  publishedAt?: number | string | null
  updatedAt?: number | string
  tags?: string[]
  authors?: string[]
  related?: number[]
  wordCount?: number
}

export function insertArticle (db: Db, input: ArticleInput): number {
  const section = db.select({ id: sections.id }).from(sections).where(eq(sections.path, input.section)).get()
  if (!section) throw new Error(`fixture: no section ${input.section}`)
  const headline = input.headline ?? titleCase(input.slug)
  const body = input.body ?? [{ type: 'paragraph', text: `The story of ${input.slug}.` }]
  const status = input.status ?? 'published'
  const publishedAt = input.publishedAt === undefined ? (status === 'published' ? T0 : null) : input.publishedAt === null ? null : ms(input.publishedAt)
  return db.transaction((tx) => {
    const id = tx.insert(articles).values({
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
      wordCount: input.wordCount ?? countWords([headline, input.standfirst ?? '', ...body.flatMap(blockText)]),
      createdAt: T0,
      updatedAt: input.updatedAt === undefined ? (publishedAt ?? T0) : ms(input.updatedAt),
    }).returning({ id: articles.id }).get().id
    for (const [position, slug] of (input.tags ?? []).entries()) {
      const tag = tx.select({ id: tags.id }).from(tags).where(eq(tags.slug, slug)).get()
      if (!tag) throw new Error(`fixture: no tag ${slug}`)
      tx.insert(articleTags).values({ articleId: id, tagId: tag.id, position }).run()
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
  })
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

function blockText (block: Block): string[] {
  switch (block.type) {
    case 'paragraph': case 'heading': case 'quote': return [block.text]
    case 'list': return block.items
    case 'image': return [block.caption ?? '']
    case 'embed': return [block.title ?? '']
  }
}

function countWords (texts: string[]): number {
  return texts.join(' ').split(/\s+/).filter(Boolean).length
}

function titleCase (slug: string): string {
  return slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')
}
