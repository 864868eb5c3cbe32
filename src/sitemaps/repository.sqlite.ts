// The sitemaps repository on SQLite: the tuned statements behind the async interface.
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import type { SqliteConn } from '../db/repositories.js'
import { statement } from '../db/statements.js'
import { articles, sections } from '../db/schema.js'
import { liveArticle } from '../articles/summaries.repository.sqlite.js'
import { MONTH_MAX_URLS, NEWS_MAX_URLS, NEWS_WINDOW_MS, walkMonths, type SitemapArticle, type SitemapMonth, type SitemapsRepository } from './repository.js'

const sitemapColumns = {
  id: articles.id,
  slug: articles.slug,
  headline: articles.headline,
  publishedAt: sql<number>`${articles.publishedAt}`,
  updatedAt: articles.updatedAt,
  sectionPath: sections.path,
}

// Newest first; the range on published_at runs on articles_live_idx (status, published_at, id).
export function listNewsArticles (db: Db, now: number): SitemapArticle[] {
  return db.select(sitemapColumns).from(articles)
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(and(liveArticle(now), gte(articles.publishedAt, now - NEWS_WINDOW_MS)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(NEWS_MAX_URLS)
    .all()
}

// Month by month, newest first, on the partial covering index articles_sitemap_months_idx
// (published_at, updated_at of published articles; migration 0004, whose condition, true of every
// row, these queries repeat so that only they can use it): one seek finds the newest live month left, one range read
// its lastmod. (A GROUP BY over every live article took ~3 s at 1,000,000 articles; this ~50 ms.)
// lastmod also counts published_at, because a scheduled story goes live after its last edit.
export const NEWEST_BEFORE = `select published_at from articles indexed by articles_sitemap_months_idx
  where status = 'published' and updated_at >= -9223372036854775808 and published_at < ? order by published_at desc limit 1`
export const MONTH_LASTMOD = `select max(updated_at) as updatedAt, max(published_at) as publishedAt from articles
  indexed by articles_sitemap_months_idx where status = 'published' and updated_at >= -9223372036854775808 and published_at >= ? and published_at < ?`

export function listSitemapMonths (db: Db, now: number): Promise<SitemapMonth[]> {
  const newestBefore = statement(db, NEWEST_BEFORE).pluck()
  const monthLastmod = statement(db, MONTH_LASTMOD)
  return walkMonths(now,
    async (before) => newestBefore.get(before) as number | undefined,
    async (start, before) => monthLastmod.get(start, before) as { updatedAt: number, publishedAt: number })
}

export function listMonthArticles (db: Db, range: { start: number, end: number }, now: number): SitemapArticle[] {
  return db.select(sitemapColumns).from(articles)
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .where(and(liveArticle(now), gte(articles.publishedAt, range.start), lt(articles.publishedAt, range.end)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(MONTH_MAX_URLS)
    .all()
}

export function sqliteSitemapsRepository ({ db }: SqliteConn): SitemapsRepository {
  return {
    news: async (now) => listNewsArticles(db, now),
    months: (now) => listSitemapMonths(db, now),
    month: async (range, now) => listMonthArticles(db, range, now),
  }
}
