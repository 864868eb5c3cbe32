// Sitemap XML (sitemaps.org 0.9 and Google News 0.9), built with xmlbuilder2: every text escaped.
import { create } from 'xmlbuilder2'
import type { SitemapArticle, SitemapMonth } from './repository.js'

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9'

const newXml = () => create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' })
// W3C datetime, to the second
export const w3cDatetime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const articleUrl = (base: string, a: SitemapArticle) => `${base}/${a.sectionPath}/${a.slug}`

export function buildNewsSitemap (base: string, publication: { name: string, language: string }, items: SitemapArticle[]): string {
  const doc = newXml()
  const urlset = doc.ele('urlset', { xmlns: SITEMAP_NS, 'xmlns:news': NEWS_NS })
  for (const item of items) {
    const url = urlset.ele('url')
    url.ele('loc').txt(articleUrl(base, item))
    const news = url.ele('news:news')
    const pub = news.ele('news:publication')
    pub.ele('news:name').txt(publication.name)
    pub.ele('news:language').txt(publication.language)
    news.ele('news:publication_date').txt(w3cDatetime(item.publishedAt))
    news.ele('news:title').txt(item.headline)
  }
  return doc.end({ prettyPrint: true })
}

export function buildSitemapIndex (base: string, monthPath: (month: string) => string, months: SitemapMonth[]): string {
  const doc = newXml()
  const index = doc.ele('sitemapindex', { xmlns: SITEMAP_NS })
  for (const { month, lastmod } of months) {
    const sitemap = index.ele('sitemap')
    sitemap.ele('loc').txt(`${base}${monthPath(month)}`)
    sitemap.ele('lastmod').txt(w3cDatetime(lastmod))
  }
  return doc.end({ prettyPrint: true })
}

export function buildMonthSitemap (base: string, items: SitemapArticle[]): string {
  const doc = newXml()
  const urlset = doc.ele('urlset', { xmlns: SITEMAP_NS })
  for (const item of items) {
    const url = urlset.ele('url')
    url.ele('loc').txt(articleUrl(base, item))
    url.ele('lastmod').txt(w3cDatetime(Math.max(item.updatedAt, item.publishedAt)))
  }
  return doc.end({ prettyPrint: true })
}
