// Reads and writes for article management: the management representation (drafts included),
// references by slug/path resolved to ids with the offending field named, and stored revisions.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import type { RunResult } from 'better-sqlite3'
import type * as schema from '../db/schema.js'
import { articleAuthors, articleRelated, articles, articleTags, authors, revisions, sections, tags } from '../db/schema.js'
import { invalidField } from '../http/problem.js'
import type { ArticleManagement, Revision } from './management-schemas.js'
import type { Block, HeroImage } from './schemas.js'
import { iso } from './summaries.js'
import { readingTimeMinutes } from './word-count.js'

export type Conn = BaseSQLiteDatabase<'sync', RunResult, typeof schema>

export const articleEtag = (id: number, revision: number) => `"${id}-${revision}"`

export function articleStatus (status: 'draft' | 'published', publishedAt: number | null, now: number) {
  if (status === 'draft') return 'draft' as const
  return publishedAt !== null && publishedAt > now ? 'scheduled' as const : 'published' as const
}

export function findArticleRow (conn: Conn, id: number) {
  return conn.select().from(articles).where(eq(articles.id, id)).get()
}

export function loadArticle (conn: Conn, id: number, now: number): ArticleManagement | null {
  const row = conn.select({ article: articles, section: { slug: sections.slug, name: sections.name, path: sections.path } })
    .from(articles).innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(eq(articles.id, id)).get()
  if (!row) return null
  const { article: a, section } = row
  const prefixes = section.path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))
  const breadcrumbs = conn.select({ slug: sections.slug, name: sections.name, path: sections.path })
    .from(sections).where(inArray(sections.path, prefixes)).orderBy(sql`length(${sections.path})`).all()
  const tagRows = conn.select({ slug: tags.slug, name: tags.name, type: tags.type, description: tags.description })
    .from(articleTags).innerJoin(tags, eq(tags.id, articleTags.tagId))
    .where(eq(articleTags.articleId, id)).orderBy(asc(articleTags.position)).all()
  const authorRows = conn.select({ slug: authors.slug, name: authors.name, kind: authors.kind, bio: authors.bio, avatarUrl: authors.avatarUrl })
    .from(articleAuthors).innerJoin(authors, eq(authors.id, articleAuthors.authorId))
    .where(eq(articleAuthors.articleId, id)).orderBy(asc(articleAuthors.position)).all()
  const related = conn.select({ id: articleRelated.relatedId }).from(articleRelated)
    .where(eq(articleRelated.articleId, id)).orderBy(asc(articleRelated.position)).all()
  const status = articleStatus(a.status, a.publishedAt, now)
  return {
    id: a.id,
    slug: a.slug,
    url: `/${section.path}/${a.slug}`,
    headline: a.headline,
    standfirst: a.standfirst,
    body: JSON.parse(a.body) as Block[],
    byline: a.byline,
    authors: authorRows,
    section,
    breadcrumbs,
    tags: tagRows,
    heroImage: a.heroImage ? JSON.parse(a.heroImage) as HeroImage : null,
    status,
    revision: a.revision,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    publishedAt: a.status === 'published' && a.publishedAt !== null ? iso(a.publishedAt) : null,
    scheduledAt: status === 'scheduled' ? iso(a.publishedAt!) : null,
    wordCount: a.wordCount,
    readingTimeMinutes: readingTimeMinutes(a.wordCount),
    relatedIds: related.map((r) => r.id),
  }
}

export function isSlugTaken (conn: Conn, slug: string, exceptId?: number): boolean {
  const row = conn.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug)).get()
  return row !== undefined && row.id !== exceptId
}

export function resolveSection (conn: Conn, path: string, field = 'body.section'): number {
  const row = conn.select({ id: sections.id }).from(sections).where(eq(sections.path, path)).get()
  if (!row) throw invalidField('body', field, `no section with path "${path}"`)
  return row.id
}

function duplicateCheck (values: readonly (string | number)[], field: string) {
  const seen = new Set<string | number>()
  values.forEach((value, i) => {
    if (seen.has(value)) throw invalidField('body', `${field}.${i}`, `"${value}" is listed twice`)
    seen.add(value)
  })
}

// Each list is checked and written entry by entry: a bad entry aborts the surrounding transaction.
export function replaceTags (conn: Conn, articleId: number, slugs: readonly string[]) {
  duplicateCheck(slugs, 'body.tags')
  conn.delete(articleTags).where(eq(articleTags.articleId, articleId)).run()
  slugs.forEach((slug, position) => {
    const tag = conn.select({ id: tags.id }).from(tags).where(eq(tags.slug, slug)).get()
    if (!tag) throw invalidField('body', `body.tags.${position}`, `no tag with slug "${slug}"`)
    conn.insert(articleTags).values({ articleId, tagId: tag.id, position }).run()
  })
}

export function replaceAuthors (conn: Conn, articleId: number, slugs: readonly string[]) {
  duplicateCheck(slugs, 'body.authors')
  conn.delete(articleAuthors).where(eq(articleAuthors.articleId, articleId)).run()
  slugs.forEach((slug, position) => {
    const author = conn.select({ id: authors.id }).from(authors).where(eq(authors.slug, slug)).get()
    if (!author) throw invalidField('body', `body.authors.${position}`, `no author with slug "${slug}"`)
    conn.insert(articleAuthors).values({ articleId, authorId: author.id, position }).run()
  })
}

export function replaceRelated (conn: Conn, articleId: number, ids: readonly number[]) {
  duplicateCheck(ids, 'body.relatedIds')
  conn.delete(articleRelated).where(eq(articleRelated.articleId, articleId)).run()
  ids.forEach((relatedId, position) => {
    const field = `body.relatedIds.${position}`
    if (relatedId === articleId) throw invalidField('body', field, 'an article cannot be related to itself')
    if (!conn.select({ id: articles.id }).from(articles).where(eq(articles.id, relatedId)).get()) {
      throw invalidField('body', field, `no article with id ${relatedId}`)
    }
    conn.insert(articleRelated).values({ articleId, relatedId, position }).run()
  })
}

export function storeRevision (conn: Conn, article: ArticleManagement, keyName: string | null, now: number) {
  conn.insert(revisions).values({
    articleId: article.id, revision: article.revision, snapshot: JSON.stringify(article), keyName, createdAt: now,
  }).run()
}

const revisionColumns = {
  revision: revisions.revision,
  keyName: revisions.keyName,
  createdAt: revisions.createdAt,
  status: sql<ArticleManagement['status']>`json_extract(${revisions.snapshot}, '$.status')`,
  headline: sql<string>`json_extract(${revisions.snapshot}, '$.headline')`,
}

export function listRevisions (conn: Conn, articleId: number) {
  return conn.select(revisionColumns).from(revisions).where(eq(revisions.articleId, articleId))
    .orderBy(desc(revisions.revision)).all()
    .map(({ createdAt, ...r }) => ({ ...r, savedAt: iso(createdAt) }))
}

export function findRevision (conn: Conn, articleId: number, revision: number): Revision | null {
  const row = conn.select({ ...revisionColumns, snapshot: revisions.snapshot }).from(revisions)
    .where(and(eq(revisions.articleId, articleId), eq(revisions.revision, revision))).get()
  if (!row) return null
  const { createdAt, snapshot, ...rest } = row
  return { ...rest, savedAt: iso(createdAt), article: JSON.parse(snapshot) as ArticleManagement }
}
