// Reads one full delivery article by slug: the article row with its section, then its authors,
// tags, breadcrumbs and live related ids. Unpublished and future articles exist only in preview.
import { and, asc, eq, lte, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Db } from '../db/connection.js'
import { articleAuthors, articleRelated, articles, articleTags, authors, sections, tags } from '../db/schema.js'
import { authorColumns } from '../authors/repository.js'
import { sectionBreadcrumbs } from '../sections/repository.js'
import { Body, type Article } from './schemas.js'
import { iso, liveArticle, toSummary, summaryColumns, type Visibility } from './summaries.js'

const WORDS_PER_MINUTE = 230

export function readingTimeMinutes (wordCount: number): number {
  return Math.max(1, Math.ceil(wordCount / WORDS_PER_MINUTE))
}

const related = alias(articles, 'related')

export function findArticleBySlug (db: Db, slug: string, { now, preview = false }: Visibility): Article | undefined {
  const where: SQL = preview ? eq(articles.slug, slug) : and(eq(articles.slug, slug), liveArticle(now))!
  const row = db.select({ ...summaryColumns, body: articles.body, wordCount: articles.wordCount, sectionId: articles.sectionId })
    .from(articles)
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(where)
    .get()
  if (!row) return undefined

  const articleAuthorsList = db.select(authorColumns).from(articleAuthors)
    .innerJoin(authors, eq(authors.id, articleAuthors.authorId))
    .where(eq(articleAuthors.articleId, row.id))
    .orderBy(asc(articleAuthors.position), asc(authors.name))
    .all()
  const articleTagsList = db.select({ slug: tags.slug, name: tags.name, type: tags.type, description: tags.description })
    .from(articleTags)
    .innerJoin(tags, eq(tags.id, articleTags.tagId))
    .where(eq(articleTags.articleId, row.id))
    .orderBy(asc(articleTags.position), asc(tags.name))
    .all()
  const relatedIds = db.select({ id: related.id }).from(articleRelated)
    .innerJoin(related, eq(related.id, articleRelated.relatedId))
    .where(and(
      eq(articleRelated.articleId, row.id),
      preview ? undefined : and(eq(related.status, 'published'), lte(related.publishedAt, now))
    ))
    .orderBy(asc(articleRelated.position))
    .all()
    .map((r) => r.id)

  const summary = toSummary(row)
  return {
    id: summary.id,
    slug: summary.slug,
    url: summary.url,
    headline: summary.headline,
    standfirst: summary.standfirst,
    body: Body.parse(JSON.parse(row.body)),
    byline: summary.byline,
    authors: articleAuthorsList,
    section: summary.section,
    breadcrumbs: sectionBreadcrumbs(db, row.sectionId),
    tags: articleTagsList,
    heroImage: summary.heroImage,
    publishedAt: summary.publishedAt,
    updatedAt: iso(row.updatedAt),
    wordCount: row.wordCount,
    readingTimeMinutes: readingTimeMinutes(row.wordCount),
    relatedIds,
  }
}
