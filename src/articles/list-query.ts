// The latest-articles list: filters shared by /v1/articles, search, fronts and feeds, resolved to
// ids (unknown section/tag/author is a 400), and keyset paging on (publishedAt, id) descending.
import { eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../db/connection.js'
import { articleAuthors, articles, articleTags, tags } from '../db/schema.js'
import { statement } from '../db/statements.js'
import type { Cursors } from '../http/cursor.js'
import { invalidField } from '../http/problem.js'
import { SectionPath } from '../sections/schemas.js'
import { Slug } from '../tags/schemas.js'
import { SUMMARY_COLUMNS, toSummaryFromValues, type Visibility } from './summaries.js'
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
  limit: z.coerce.number().int().min(1).max(100).meta({ format: 'int32' }).default(20).describe('Page size, 1 to 100.'),
  cursor: z.string().min(1).max(1000).optional().describe('Opaque cursor: `page.nextCursor` of the previous page.'),
})

export const Page = z.object({
  limit: z.number().int().meta({ format: 'int32' }),
  nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
}).meta({ id: 'Page' })

export interface ArticleFilters {
  // the section and everything under it: `root` only (each engine's repository reads the
  // descendants when its query needs them), or with `all` when the caller already has them
  sectionIds?: { root: number, all?: number[] }
  tagIds?: number[]
  authorId?: number
  since?: number
  until?: number
}

const DESCENDANTS = 'with recursive sub(id) as (select ? union all select s.id from sections s join sub on s.parent_id = sub.id) select id from sub'
const SECTION_BY_PATH = 'select id from sections where path = ?'
const AUTHOR_BY_SLUG = 'select id from authors where slug = ?'

export function sectionDescendantIds (db: Db, rootId: number): number[] {
  return (statement(db, DESCENDANTS).pluck().all(rootId) as number[])
}

// What the filters' names resolved to (undefined: that filter was given but names nothing), checked
// and turned into ArticleFilters the same way on every engine.
export interface FilterLookups {
  sectionId?: number | undefined
  tags?: Array<{ id: number, slug: string }>
  authorId?: number | undefined
}

export function filtersFrom (query: ArticleFilterQuery, found: FilterLookups): ArticleFilters {
  const filters: ArticleFilters = {}
  if (query.section !== undefined) {
    if (found.sectionId === undefined) throw invalidField('query', 'section', `no section has the path "${query.section}"`)
    filters.sectionIds = { root: found.sectionId }
  }
  if (query.tag !== undefined) {
    const slugs = tagSlugs(query.tag)
    const tagsFound = found.tags ?? []
    const missing = slugs.filter((slug) => !tagsFound.some((t) => t.slug === slug))
    if (missing.length > 0) throw invalidField('query', 'tag', `no tag has the slug "${missing[0]}"`)
    filters.tagIds = tagsFound.map((t) => t.id)
  }
  if (query.author !== undefined) {
    if (found.authorId === undefined) throw invalidField('query', 'author', `no author has the slug "${query.author}"`)
    filters.authorId = found.authorId
  }
  if (query.since !== undefined) filters.since = Date.parse(query.since)
  if (query.until !== undefined) filters.until = Date.parse(query.until)
  if (filters.since !== undefined && filters.until !== undefined && filters.since >= filters.until) {
    throw invalidField('query', 'until', 'must be later than since')
  }
  return filters
}

// The distinct tag slugs of a `tag` query value, in the order given.
export const tagSlugs = (tag: string): string[] => [...new Set(tag.split(','))]

export function resolveArticleFilters (db: Db, query: ArticleFilterQuery): ArticleFilters {
  return filtersFrom(query, {
    sectionId: query.section === undefined ? undefined : statement(db, SECTION_BY_PATH).pluck().get(query.section) as number | undefined,
    tags: query.tag === undefined ? [] : db.select({ id: tags.id, slug: tags.slug }).from(tags).where(inArray(tags.slug, tagSlugs(query.tag))).all(),
    authorId: query.author === undefined ? undefined : statement(db, AUTHOR_BY_SLUG).pluck().get(query.author) as number | undefined,
  })
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
export type Position = z.infer<typeof ListCursor>

export function decodeListCursor (cursors: Cursors, raw: string | undefined, scope: string): Position | undefined {
  if (raw === undefined) return undefined
  const parsed = ListCursor.safeParse(cursors.decode(raw, scope))
  if (!parsed.success) throw invalidField('query', 'cursor', 'is malformed')
  return parsed.data
}

export interface ArticleListPage {
  data: ArticleSummary[]
  next: Position | null
}

// Latest first. Live lists read the section from article_listings (one index range per query);
// preview lists (drafts included, ordered by publication or creation time) take the slower path.
// Raw SQL: the text depends only on which filters are present, so each shape is prepared once.
// Parameters are written `+:name`: a bare parameter compared with an indexed column (or the LIMIT)
// makes SQLite re-plan the statement at every run once sqlite_stat4 exists (see repository.ts).
// The cursor's row value stays bare: with `+` SQLite no longer uses it as the index range.
export function listArticles (db: Db, filters: ArticleFilters, page: { limit: number, after?: Position | undefined }, visibility: Visibility): ArticleListPage {
  const preview = visibility.preview === true
  const viaListing = filters.sectionIds !== undefined && !preview
  // the keyset (orderKey, idKey) must be on the index that drives the query
  const orderKey = preview ? 'coalesce(a.published_at, a.created_at)' : viaListing ? 'l.published_at' : 'a.published_at'
  const idKey = viaListing ? 'l.article_id' : 'a.id'
  const where: string[] = []
  const params: Record<string, number | string> = { limit: page.limit + 1 }
  if (filters.tagIds) {
    where.push('a.id in (select article_id from article_tags where tag_id in (select value from json_each(:tagIds)))')
    params.tagIds = JSON.stringify(filters.tagIds)
  }
  if (filters.authorId !== undefined) {
    where.push('a.id in (select article_id from article_authors where author_id = +:authorId)')
    params.authorId = filters.authorId
  }
  if (filters.since !== undefined) { where.push(`${orderKey} >= +:since`); params.since = filters.since }
  if (filters.until !== undefined) { where.push(`${orderKey} < +:until`); params.until = filters.until }
  // on a cursor page a bare :now lets stat4 weigh it against the cursor, so the cursor bounds the range
  if (!preview) { where.push('a.status = \'published\'', `${orderKey} <= ${page.after ? ':now' : '+:now'}`); params.now = visibility.now }
  if (viaListing) {
    where.push('l.section_id = +:sectionId')
    params.sectionId = filters.sectionIds!.root
  } else if (filters.sectionIds) {
    where.push('a.section_id in (select value from json_each(:sectionIds))')
    params.sectionIds = JSON.stringify(filters.sectionIds.all ?? sectionDescendantIds(db, filters.sectionIds.root))
  }
  if (page.after) {
    where.push(`(${orderKey}, ${idKey}) < (:afterP, :afterI)`)
    params.afterP = page.after.p
    params.afterI = page.after.i
  }
  const from = viaListing ? 'article_listings l join articles a on a.id = l.article_id' : 'articles a'
  // raw rows: SUMMARY_COLUMNS (0-11), then the order key (12)
  const rows = statement(db, `select ${SUMMARY_COLUMNS}, ${orderKey} as orderKey from ${from} join sections s on s.id = a.section_id
    ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by ${orderKey} desc, ${idKey} desc limit +:limit`)
    .raw().all(params) as unknown[][]
  const more = rows.length > page.limit
  const shown = more ? rows.slice(0, page.limit) : rows
  const last = shown.at(-1)
  return {
    data: shown.map(toSummaryFromValues),
    next: more && last ? { p: last[12] as number, i: last[0] as number } : null,
  }
}

export function encodeListCursor (cursors: Cursors, position: Position, scope: string): string {
  return cursors.encode(position, scope)
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
