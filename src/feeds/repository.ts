// Feed data: the scope (site, section with descendants, tag) and its latest live articles, with the
// extras a feed entry needs beyond a summary (creation time for the GUID, authors, tags, body).
import { asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articleAuthors, articles, articleTags, authors, sections, tags } from '../db/schema.js'
import { listArticles, sectionDescendantIds, type ArticleFilters } from '../articles/list-query.js'
import type { ArticleSummary, Block } from '../articles/schemas.js'
import { notFound } from '../http/problem.js'

export type FeedScope =
  | { kind: 'site' }
  | { kind: 'section', path: string, name: string, description: string | null, updatedAt: number, filters: ArticleFilters }
  | { kind: 'tag', slug: string, name: string, description: string | null, updatedAt: number, filters: ArticleFilters }

export interface FeedEntry {
  summary: ArticleSummary
  createdAt: number
  authors: string[]
  tags: Array<{ slug: string, name: string }>
  body: Block[] | null
}

export function findSectionScope (db: Db, path: string): FeedScope {
  const section = db.select().from(sections).where(eq(sections.path, path)).get()
  if (!section) throw notFound('section', path)
  return {
    kind: 'section',
    path: section.path,
    name: section.name,
    description: section.description,
    updatedAt: section.updatedAt,
    filters: { sectionIds: { root: section.id, all: sectionDescendantIds(db, section.id) } },
  }
}

export function findTagScope (db: Db, slug: string): FeedScope {
  const tag = db.select().from(tags).where(eq(tags.slug, slug)).get()
  if (!tag) throw notFound('tag', slug)
  return { kind: 'tag', slug: tag.slug, name: tag.name, description: tag.description, updatedAt: tag.updatedAt, filters: { tagIds: [tag.id] } }
}

function parseBody (raw: string): Block[] {
  try {
    const parsed: unknown = JSON.parse(raw)
    return Array.isArray(parsed) ? parsed as Block[] : []
  } catch {
    return []
  }
}

// Latest first, live only (listArticles enforces it); bodies are loaded only for full-text feeds.
export function listFeedEntries (db: Db, scope: FeedScope, options: { limit: number, now: number, withBody: boolean }): FeedEntry[] {
  const filters = scope.kind === 'site' ? {} : scope.filters
  const summaries = listArticles(db, filters, { limit: options.limit }, { now: options.now }).data
  if (summaries.length === 0) return []
  const ids = summaries.map((s) => s.id)
  const body = options.withBody ? articles.body : sql<string>`'[]'`
  const extras = new Map(db.select({ id: articles.id, createdAt: articles.createdAt, body })
    .from(articles).where(inArray(articles.id, ids)).all().map((row) => [row.id, row]))
  const authorRows = db.select({ articleId: articleAuthors.articleId, name: authors.name })
    .from(articleAuthors).innerJoin(authors, eq(authors.id, articleAuthors.authorId))
    .where(inArray(articleAuthors.articleId, ids)).orderBy(asc(articleAuthors.position)).all()
  const tagRows = db.select({ articleId: articleTags.articleId, slug: tags.slug, name: tags.name })
    .from(articleTags).innerJoin(tags, eq(tags.id, articleTags.tagId))
    .where(inArray(articleTags.articleId, ids)).orderBy(asc(articleTags.position)).all()
  return summaries.map((summary) => {
    const extra = extras.get(summary.id)
    return {
      summary,
      createdAt: extra?.createdAt ?? Date.parse(summary.publishedAt),
      authors: authorRows.filter((r) => r.articleId === summary.id).map((r) => r.name),
      tags: tagRows.filter((r) => r.articleId === summary.id).map(({ slug, name }) => ({ slug, name })),
      body: options.withBody && extra ? parseBody(extra.body) : null,
    }
  })
}
