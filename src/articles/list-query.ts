// The latest-articles list: filters shared by /v1/articles, search, fronts and feeds, resolved to
// ids (unknown section/tag/author is a 400), and keyset paging on (publishedAt, id) descending.
// The queries are each engine's repository's (list.repository.sqlite.ts, repository.postgres.ts).
import { z } from 'zod'
import type { Cursors } from '../http/cursor.js'
import { invalidField } from '../http/problem.js'
import { SectionPath } from '../sections/schemas.js'
import { Slug } from '../tags/schemas.js'
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
