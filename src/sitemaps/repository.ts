// Sitemap data: the Google News window (live articles of the last 48 hours) and the live articles
// per calendar month (UTC) for the sitemap index and the monthly sitemaps. repository.sqlite.ts and
// repository.postgres.ts implement it; reached as `store.repos.sitemaps`.

export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000
export const NEWS_MAX_URLS = 1000
// the sitemaps protocol allows 50,000 URLs per file
export const MONTH_MAX_URLS = 50_000

export type SitemapArticle = { id: number, slug: string, headline: string, publishedAt: number, updatedAt: number, sectionPath: string }
export interface SitemapMonth { month: string, lastmod: number }

export interface SitemapsRepository {
  // Live articles published in the news window before `now`, newest first (published_at, id).
  news (now: number): Promise<SitemapArticle[]>
  // Every month (UTC) with a live article, newest first; lastmod counts edits and publication times.
  months (now: number): Promise<SitemapMonth[]>
  // Live articles published in [start, end), newest first.
  month (range: { start: number, end: number }, now: number): Promise<SitemapArticle[]>
}

export function monthRange (year: number, month: number): { start: number, end: number } {
  return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) }
}

// Walks the months newest first: the newest live publication before `before`, then that month's
// lastmod, then on before the month's start (both engines; each step is one index seek).
export async function walkMonths (now: number, newestBefore: (before: number) => Promise<number | undefined>,
  lastmod: (start: number, before: number) => Promise<{ updatedAt: number, publishedAt: number }>): Promise<SitemapMonth[]> {
  const months: SitemapMonth[] = []
  let before = now + 1
  for (;;) {
    const newest = await newestBefore(before)
    if (newest === undefined || newest === null) return months
    const day = new Date(newest)
    const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1)
    const row = await lastmod(start, before)
    months.push({ month: `${String(day.getUTCFullYear()).padStart(4, '0')}-${String(day.getUTCMonth() + 1).padStart(2, '0')}`, lastmod: Math.max(row.updatedAt, row.publishedAt) })
    before = start
  }
}
