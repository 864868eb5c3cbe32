// The sitemaps repository on PostgreSQL: the same reads as on SQLite; the month walk runs on
// articles_live_idx (status, published_at, id).
import type { PgConn } from '../db/postgres/store.js'
import { MONTH_MAX_URLS, NEWS_MAX_URLS, NEWS_WINDOW_MS, walkMonths, type SitemapArticle, type SitemapsRepository } from './repository.js'

const LIVE = "a.status = 'published' and a.published_at <= :now"
const SELECT = `select a.id, a.slug, a.headline, a.published_at as "publishedAt", a.updated_at as "updatedAt", s.path as "sectionPath"
  from articles a join sections s on s.id = a.section_id`
const NEWEST_BEFORE = "select published_at as \"publishedAt\" from articles where status = 'published' and published_at < :before order by published_at desc limit 1"
const MONTH_LASTMOD = `select max(updated_at) as "updatedAt", max(published_at) as "publishedAt" from articles
  where status = 'published' and published_at >= :start and published_at < :before`

export function postgresSitemapsRepository ({ sql }: PgConn): SitemapsRepository {
  return {
    news: (now) => sql.all<SitemapArticle>(`${SELECT} where ${LIVE} and a.published_at >= :since
      order by a.published_at desc, a.id desc limit ${NEWS_MAX_URLS}`, { now, since: now - NEWS_WINDOW_MS }),
    months: (now) => walkMonths(now,
      async (before) => (await sql.get<{ publishedAt: number }>(NEWEST_BEFORE, { before }))?.publishedAt,
      async (start, before) => (await sql.get<{ updatedAt: number, publishedAt: number }>(MONTH_LASTMOD, { start, before }))!),
    month: (range, now) => sql.all<SitemapArticle>(`${SELECT} where ${LIVE} and a.published_at >= :start and a.published_at < :end
      order by a.published_at desc, a.id desc limit ${MONTH_MAX_URLS}`, { now, start: range.start, end: range.end }),
  }
}
