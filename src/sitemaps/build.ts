// Sitemap XML (sitemaps.org 0.9 and Google News 0.9), built with xmlbuilder2 through feeds/xml.ts.
import { add, newXmlDocument, serialize } from '../feeds/xml.js'
import type { SitemapArticle, SitemapMonth } from './repository.js'

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9'

// W3C datetime, to the second
export const w3cDatetime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const articleUrl = (base: string, a: SitemapArticle) => `${base}/${a.sectionPath}/${a.slug}`

export function buildNewsSitemap (base: string, publication: { name: string, language: string }, items: SitemapArticle[]): string {
  const doc = newXmlDocument()
  const urlset = add(doc, 'urlset', null, { xmlns: SITEMAP_NS, 'xmlns:news': NEWS_NS })
  for (const item of items) {
    const url = add(urlset, 'url')
    add(url, 'loc', articleUrl(base, item))
    const news = add(url, 'news:news')
    const pub = add(news, 'news:publication')
    add(pub, 'news:name', publication.name)
    add(pub, 'news:language', publication.language)
    add(news, 'news:publication_date', w3cDatetime(item.publishedAt))
    add(news, 'news:title', item.headline)
  }
  return serialize(doc)
}

export function buildSitemapIndex (base: string, monthPath: (month: string) => string, months: SitemapMonth[]): string {
  const doc = newXmlDocument()
  const index = add(doc, 'sitemapindex', null, { xmlns: SITEMAP_NS })
  for (const { month, lastmod } of months) {
    const sitemap = add(index, 'sitemap')
    add(sitemap, 'loc', `${base}${monthPath(month)}`)
    add(sitemap, 'lastmod', w3cDatetime(lastmod))
  }
  return serialize(doc)
}

export function buildMonthSitemap (base: string, items: SitemapArticle[]): string {
  const doc = newXmlDocument()
  const urlset = add(doc, 'urlset', null, { xmlns: SITEMAP_NS })
  for (const item of items) {
    const url = add(urlset, 'url')
    add(url, 'loc', articleUrl(base, item))
    add(url, 'lastmod', w3cDatetime(Math.max(item.updatedAt, item.publishedAt)))
  }
  return serialize(doc)
}
