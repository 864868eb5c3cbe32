import { describe, expect, it } from 'vitest'
import { makeApp, TEST_ENGINE, type TestContext } from '../helpers.js'
import { insertArticle, insertArticles, insertSection, seedStore, type ArticleInput } from '../fixtures.js'
import { parseXml } from './fixtures.js'
import { MONTH_LASTMOD, NEWEST_BEFORE } from '../../src/sitemaps/repository.sqlite.js'
import { skipOnPostgresUntilPorted } from '../e2e/pending.js'

// on PostgreSQL, each test waits (skips with the reason) until the port it needs is merged
skipOnPostgresUntilPorted()

const BASE = 'https://news.example.com'
const NOW = Date.parse('2026-11-24T12:00:00.000Z')
const HOUR = 3_600_000
const at = (ms: number) => new Date(ms).toISOString()

async function site (): Promise<TestContext> {
  const t = await makeApp({ env: { PUBLIC_BASE_URL: BASE, PUBLICATION_NAME: 'The Courier & Co', PUBLICATION_LANGUAGE: 'en-GB' } })
  await seedStore(t.store, (s) => insertSection(s, { slug: 'news', name: 'News' }))
  return t
}

const locs = (urls: Array<{ loc: string }> | undefined) => (urls ?? []).map((u) => u.loc)

describe('Google News sitemap', () => {
  it('lists the last 48 hours of published articles with the required news tags', async () => {
    const t = await site()
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'fresh', section: 'news', headline: 'Fresh <b>& "bold"</b>', publishedAt: at(NOW - HOUR) }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'edge', section: 'news', publishedAt: at(NOW - 48 * HOUR) }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'stale', section: 'news', publishedAt: at(NOW - 48 * HOUR - 1) }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'draft', section: 'news', status: 'draft', publishedAt: null }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'scheduled', section: 'news', publishedAt: at(NOW + HOUR) }))
    const res = await t.request.get('/v1/sitemaps/news.xml').expect(200)
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8')
    expect(res.text).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">')
    const urlset = parseXml(res.text).urlset
    expect(locs(urlset.url)).toEqual([`${BASE}/news/fresh`, `${BASE}/news/edge`])
    expect(urlset.url[0]['news:news']).toEqual({
      'news:publication': { 'news:name': 'The Courier & Co', 'news:language': 'en-gb' },
      'news:publication_date': '2026-11-24T11:00:00Z',
      'news:title': 'Fresh <b>& "bold"</b>',
    })
  })

  it('follows the injected clock: the window moves and scheduled stories appear when live', async () => {
    const t = await site()
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'scheduled', section: 'news', publishedAt: at(NOW + HOUR) }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'older', section: 'news', publishedAt: at(NOW - 47 * HOUR) }))
    t.clock.set(NOW + 2 * HOUR)
    const res = await t.request.get('/v1/sitemaps/news.xml').expect(200)
    expect(locs(parseXml(res.text).urlset.url)).toEqual([`${BASE}/news/scheduled`])
  })

  it('caps the sitemap at 1,000 articles, newest first', async () => {
    const t = await site()
    const inputs: ArticleInput[] = Array.from({ length: 1005 }, (_, i) => ({ slug: `story-${i}`, section: 'news', publishedAt: at(NOW - i * 60_000) }))
    await seedStore(t.store, (s) => insertArticles(s, inputs))
    const urls = parseXml((await t.request.get('/v1/sitemaps/news.xml').expect(200)).text).urlset.url
    expect(urls).toHaveLength(1000)
    expect(urls[0].loc).toBe(`${BASE}/news/story-0`)
    expect(urls[999].loc).toBe(`${BASE}/news/story-999`)
  })
})

describe('sitemap index and monthly sitemaps', () => {
  async function months (): Promise<TestContext> {
    const t = await site()
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'oct-1', section: 'news', publishedAt: '2026-10-01T00:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z' }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'oct-2', section: 'news', publishedAt: '2026-10-31T23:59:59.999Z' }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'nov-1', section: 'news', publishedAt: '2026-11-20T08:00:00.000Z' }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'sep-draft', section: 'news', status: 'draft', publishedAt: '2026-09-10T08:00:00.000Z' }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'dec-scheduled', section: 'news', publishedAt: '2026-12-01T08:00:00.000Z' }))
    // scheduled later this month (the clock is at 2026-11-24T12:00Z): not live, not in lastmod
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'nov-scheduled', section: 'news', publishedAt: '2026-11-28T08:00:00.000Z', updatedAt: '2026-11-21T08:00:00.000Z' }))
    return t
  }

  it('points at one sitemap per month with live articles, lastmod = newest change in that month', async () => {
    const t = await months()
    const res = await t.request.get('/v1/sitemaps/index.xml').expect(200)
    const index = parseXml(res.text).sitemapindex
    expect(index['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
    expect(index.sitemap).toEqual([
      { loc: `${BASE}/v1/sitemaps/articles/2026-11.xml`, lastmod: '2026-11-20T08:00:00Z' },
      { loc: `${BASE}/v1/sitemaps/articles/2026-10.xml`, lastmod: '2026-11-02T10:00:00Z' },
    ])
  })

  it('lists months whose articles were published or last edited before 1970 (imported archives)', async () => {
    const t = await months()
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'old-1', section: 'news', publishedAt: '1965-03-10T08:00:00.000Z', updatedAt: '1965-03-10T09:00:00.000Z' }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'old-2', section: 'news', publishedAt: '2020-05-31T23:59:59.999Z', updatedAt: '1969-06-01T00:00:00.000Z' }))
    const index = parseXml((await t.request.get('/v1/sitemaps/index.xml').expect(200)).text).sitemapindex
    expect(index.sitemap.slice(2)).toEqual([
      { loc: `${BASE}/v1/sitemaps/articles/2020-05.xml`, lastmod: '2020-05-31T23:59:59Z' },
      { loc: `${BASE}/v1/sitemaps/articles/1965-03.xml`, lastmod: '1965-03-10T09:00:00Z' },
    ])
    for (const month of ['2020-05', '1965-03']) await t.request.get(`/v1/sitemaps/articles/${month}.xml`).expect(200)
  })

  it('lists every live article of a month with its lastmod, month boundaries in UTC', async () => {
    const t = await months()
    const urlset = parseXml((await t.request.get('/v1/sitemaps/articles/2026-10.xml').expect(200)).text).urlset
    expect(urlset.url).toEqual([
      { loc: `${BASE}/news/oct-2`, lastmod: '2026-10-31T23:59:59Z' },
      { loc: `${BASE}/news/oct-1`, lastmod: '2026-11-02T10:00:00Z' },
    ])
  })

  it('answers 404 for a month without live articles (drafts and scheduled ones do not count)', async () => {
    const t = await months()
    for (const month of ['2026-09', '2026-12', '1999-01']) {
      const res = await t.request.get(`/v1/sitemaps/articles/${month}.xml`).expect(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
  })

  it('answers 400 naming the month for a malformed month', async () => {
    const t = await months()
    for (const month of ['2026-13', 'abc', '2026-1', '2026-00']) {
      const res = await t.request.get(`/v1/sitemaps/articles/${month}.xml`).expect(400)
      expect(res.body.errors[0].path).toBe('month')
    }
  })

  it('answers 304 to a matching If-None-Match', async () => {
    const t = await months()
    const first = await t.request.get('/v1/sitemaps/index.xml').expect(200)
    expect(first.headers['cache-control']).toContain('public')
    await t.request.get('/v1/sitemaps/index.xml').set('If-None-Match', first.headers.etag!).expect(304)
  })

  // SQLite's query plan (PostgreSQL walks the months on articles_live_idx, the same two steps)
  it.skipIf(TEST_ENGINE === 'postgres')('reads the months from the covering index: no table scan, no temporary b-tree, whatever the number of articles', async () => {
    const t = await months()
    for (const [sql, params] of [[NEWEST_BEFORE, [Date.now()]], [MONTH_LASTMOD, [0, Date.now()]]] as const) {
      const plan = t.db.$client.prepare(`explain query plan ${sql}`).all(...params).map((row) => (row as { detail: string }).detail).join('; ')
      expect(plan).toContain('USING COVERING INDEX articles_sitemap_months_idx')
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/)
    }
  })
})
