// Sitemap data: the Google News window (live articles of the last 48 hours) and the live articles
// per calendar month (UTC) for the sitemap index and the monthly sitemaps.
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articles, sections } from '../db/schema.js'
import { liveArticle } from '../articles/summaries.js'

export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000
export const NEWS_MAX_URLS = 1000
// the sitemaps protocol allows 50,000 URLs per file
export const MONTH_MAX_URLS = 50_000

const sitemapColumns = {
  id: articles.id,
  slug: articles.slug,
  headline: articles.headline,
  publishedAt: sql<number>`${articles.publishedAt}`,
  updatedAt: articles.updatedAt,
  sectionPath: sections.path,
}
export type SitemapArticle = { id: number, slug: string, headline: string, publishedAt: number, updatedAt: number, sectionPath: string }

// Newest first; the range on published_at runs on articles_live_idx (status, published_at, id).
export function listNewsArticles (db: Db, now: number): SitemapArticle[] {
  return db.select(sitemapColumns).from(articles)
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(and(liveArticle(now), gte(articles.publishedAt, now - NEWS_WINDOW_MS)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(NEWS_MAX_URLS)
    .all()
}

export interface SitemapMonth { month: string, lastmod: number }

// One pass over the live range of articles_live_idx. lastmod also counts published_at, because a
// scheduled story goes live after its last edit.
export function listSitemapMonths (db: Db, now: number): SitemapMonth[] {
  return db.all<SitemapMonth>(sql`
    select strftime('%Y-%m', ${articles.publishedAt} / 1000, 'unixepoch') as month,
           max(max(${articles.updatedAt}), max(${articles.publishedAt})) as lastmod
    from ${articles}
    where ${liveArticle(now)}
    group by month
    order by month desc`)
}

export function monthRange (year: number, month: number): { start: number, end: number } {
  return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) }
}

export function listMonthArticles (db: Db, range: { start: number, end: number }, now: number): SitemapArticle[] {
  return db.select(sitemapColumns).from(articles)
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(and(liveArticle(now), gte(articles.publishedAt, range.start), lt(articles.publishedAt, range.end)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(MONTH_MAX_URLS)
    .all()
}
