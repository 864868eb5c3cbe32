// The latest-articles list: filters shared by /v1/articles, search, fronts and feeds, resolved to
// ids (unknown section/tag/author is a 400), and keyset paging on (publishedAt, id) descending.
import { and, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../db/connection.js'
import { articleAuthors, articleListings, articles, articleTags, authors, sections, tags } from '../db/schema.js'
import { decodeCursor, encodeCursor } from '../http/cursor.js'
import { invalidField } from '../http/problem.js'
import { SectionPath } from '../sections/schemas.js'
import { Slug } from '../tags/schemas.js'
import { summaryColumns, toSummary, type Visibility } from './summaries.js'
import type { ArticleSummary } from './schemas.js'

const Instant = z.iso.datetime({ offset: true }).max(40)

export const ArticleFilterQuery = z.object({
  section: SectionPath.optional().describe('A section path; includes every descendant section (e.g. `news` includes `news/world-news/middle-east`).'),
  tag: z.string().max(2000).regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be tag slugs separated by commas').optional()
    .describe('Tag slug; several separated by commas match articles with any of them.'),
  author: Slug.optional().describe('Author slug (staff, contributor or agency).'),
  since: Instant.optional().describe('Only articles published at or after this RFC 3339 time.'),
  until: Instant.optional().describe('Only articles published before this RFC 3339 time.'),
})
export type ArticleFilterQuery = z.infer<typeof ArticleFilterQuery>

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100.'),
  cursor: z.string().min(1).max(1000).optional().describe('Opaque cursor: `page.nextCursor` of the previous page.'),
})

export const Page = z.object({
  limit: z.number().int(),
  nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
}).meta({ id: 'Page' })

export interface ArticleFilters {
  sectionIds?: { root: number, all: number[] }
  tagIds?: number[]
  authorId?: number
  since?: number
  until?: number
}

export function sectionDescendantIds (db: Db, rootId: number): number[] {
  return db.all<{ id: number }>(sql`
    with recursive sub(id) as (select ${rootId} union all select s.id from sections s join sub on s.parent_id = sub.id)
    select id from sub`).map((r) => r.id)
}

export function resolveArticleFilters (db: Db, query: ArticleFilterQuery): ArticleFilters {
  const filters: ArticleFilters = {}
  if (query.section !== undefined) {
    const section = db.select({ id: sections.id }).from(sections).where(eq(sections.path, query.section)).get()
    if (!section) throw invalidField('query', 'section', `no section has the path "${query.section}"`)
    filters.sectionIds = { root: section.id, all: sectionDescendantIds(db, section.id) }
  }
  if (query.tag !== undefined) {
    const slugs = [...new Set(query.tag.split(','))]
    const found = db.select({ id: tags.id, slug: tags.slug }).from(tags).where(inArray(tags.slug, slugs)).all()
    const missing = slugs.filter((slug) => !found.some((t) => t.slug === slug))
    if (missing.length > 0) throw invalidField('query', 'tag', `no tag has the slug "${missing[0]}"`)
    filters.tagIds = found.map((t) => t.id)
  }
  if (query.author !== undefined) {
    const author = db.select({ id: authors.id }).from(authors).where(eq(authors.slug, query.author)).get()
    if (!author) throw invalidField('query', 'author', `no author has the slug "${query.author}"`)
    filters.authorId = author.id
  }
  if (query.since !== undefined) filters.since = Date.parse(query.since)
  if (query.until !== undefined) filters.until = Date.parse(query.until)
  if (filters.since !== undefined && filters.until !== undefined && filters.since >= filters.until) {
    throw invalidField('query', 'until', 'must be later than since')
  }
  return filters
}

// Conditions on the `articles` table for everything except the section (handled by the caller,
// through article_listings for live lists).
export function articleFilterConditions (filters: ArticleFilters, orderKey: SQL): SQL[] {
  const conditions: SQL[] = []
  if (filters.tagIds) {
    conditions.push(inArray(articles.id, sql`(select ${articleTags.articleId} from ${articleTags} where ${inArray(articleTags.tagId, filters.tagIds)})`))
  }
  if (filters.authorId !== undefined) {
    conditions.push(inArray(articles.id, sql`(select ${articleAuthors.articleId} from ${articleAuthors} where ${eq(articleAuthors.authorId, filters.authorId)})`))
  }
  if (filters.since !== undefined) conditions.push(gte(orderKey, filters.since))
  if (filters.until !== undefined) conditions.push(lt(orderKey, filters.until))
  return conditions
}

const ListCursor = z.object({ p: z.number().int(), i: z.number().int() })
type Position = z.infer<typeof ListCursor>

export function decodeListCursor (raw: string | undefined, scope: string): Position | undefined {
  if (raw === undefined) return undefined
  const parsed = ListCursor.safeParse(decodeCursor(raw, scope))
  if (!parsed.success) throw invalidField('query', 'cursor', 'is malformed')
  return parsed.data
}

export interface ArticleListPage {
  data: ArticleSummary[]
  next: Position | null
}

// Latest first. Live lists read the section from article_listings (one index range per query);
// preview lists (drafts included, ordered by publication or creation time) take the slower path.
export function listArticles (db: Db, filters: ArticleFilters, page: { limit: number, after?: Position }, visibility: Visibility): ArticleListPage {
  const preview = visibility.preview === true
  const viaListing = filters.sectionIds !== undefined && !preview
  // the keyset (orderKey, idKey) must be on the index that drives the query
  const orderKey = preview
    ? sql`coalesce(${articles.publishedAt}, ${articles.createdAt})`
    : viaListing ? sql`${articleListings.publishedAt}` : sql`${articles.publishedAt}`
  const idKey = viaListing ? sql`${articleListings.articleId}` : sql`${articles.id}`
  const conditions = articleFilterConditions(filters, orderKey)
  if (!preview) conditions.push(eq(articles.status, 'published'), sql`${orderKey} <= ${visibility.now}`)
  if (viaListing) conditions.push(eq(articleListings.sectionId, filters.sectionIds!.root))
  else if (filters.sectionIds) conditions.push(inArray(articles.sectionId, filters.sectionIds.all))
  if (page.after) {
    conditions.push(sql`(${orderKey}, ${idKey}) < (${page.after.p}, ${page.after.i})`)
  }
  const select = db.select({ ...summaryColumns, orderKey: sql<number>`${orderKey}` })
  const from = viaListing
    ? select.from(articleListings).innerJoin(articles, eq(articles.id, articleListings.articleId))
    : select.from(articles)
  const rows = from
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(and(...conditions))
    .orderBy(sql`${orderKey} desc`, sql`${idKey} desc`)
    .limit(page.limit + 1)
    .all()
  const more = rows.length > page.limit
  const shown = more ? rows.slice(0, page.limit) : rows
  const last = shown.at(-1)
  return {
    data: shown.map(toSummary),
    next: more && last ? { p: last.orderKey, i: last.id } : null,
  }
}

export function encodeListCursor (position: Position, scope: string): string {
  return encodeCursor(position, scope)
}

// The scope a list cursor is signed for: the kind of list, its normalised filters and visibility,
// so a cursor from another query (or from preview) is a 400. Tag order and repeats do not matter.
export function articleListScope (kind: string, filters: ArticleFilters, preview: boolean): string {
  return JSON.stringify([
    kind,
    filters.sectionIds?.root ?? null,
    [...(filters.tagIds ?? [])].sort((a, b) => a - b),
    filters.authorId ?? null,
    filters.since ?? null,
    filters.until ?? null,
    preview,
  ])
}
