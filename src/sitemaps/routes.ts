// Sitemaps for search engines: the Google News sitemap, and a sitemap index of monthly sitemaps.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { sendCacheable } from '../feeds/http-cache.js'
import { publicBaseUrl } from '../feeds/public-url.js'
import { notFound } from '../http/problem.js'
import { buildMonthSitemap, buildNewsSitemap, buildSitemapIndex } from './build.js'
import { monthRange } from './repository.js'

const XML = 'application/xml'

const xmlResponses = (description: string) => ({
  200: { description, content: { [XML]: { schema: z.string() } } },
  304: z.null().describe('Not Modified: the `If-None-Match` ETag still matches; no body.'),
})

const Month = z.string().max(7).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM (01 to 12)')
  .describe('The calendar month (UTC) as `YYYY-MM`, e.g. `2026-11`.')

const sitemapsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/news.xml', {
    schema: {
      operationId: 'newsSitemap',
      tags: ['Feeds'],
      summary: 'Google News sitemap',
      description: 'The articles published in the last 48 hours, newest first, at most 1,000, each with `news:publication` ' +
        '(`PUBLICATION_NAME`, `PUBLICATION_LANGUAGE`), `news:publication_date` and `news:title`. Published articles only.',
      response: xmlResponses('A sitemaps.org 0.9 `urlset` with Google News 0.9 extensions.'),
    },
  }, async function newsSitemap (request, reply) {
    const items = await app.store.delivery.sitemaps.news(app.clock())
    const publication = { name: app.config.publicationName, language: app.config.publicationLanguage }
    const body = buildNewsSitemap(publicBaseUrl(request), publication, items)
    return sendCacheable(request, reply, body, XML, ['sitemaps', 'sitemap:news', ...items.map((i) => `article:${i.id}`)])
  })

  app.get('/index.xml', {
    schema: {
      operationId: 'sitemapIndex',
      tags: ['Feeds'],
      summary: 'Sitemap index',
      description: 'Points at one sitemap per calendar month (UTC) that has published articles, newest month first; ' +
        'each `lastmod` is the latest change (edit or publication) of an article of that month.',
      response: xmlResponses('A sitemaps.org 0.9 `sitemapindex`.'),
    },
  }, async function sitemapIndex (request, reply) {
    const months = await app.store.delivery.sitemaps.months(app.clock())
    const body = buildSitemapIndex(publicBaseUrl(request), (month) => `${app.prefix}/articles/${month}.xml`, months)
    return sendCacheable(request, reply, body, XML, ['sitemaps', 'sitemap:index'])
  })

  app.get('/articles/:month.xml', {
    schema: {
      operationId: 'monthSitemap',
      tags: ['Feeds'],
      summary: 'Sitemap of one month',
      description: '`/v1/sitemaps/articles/{YYYY-MM}.xml`: every article published in that calendar month (UTC), with its `lastmod`. ' +
        'A malformed month is 400; a month without published articles is 404.',
      params: z.object({ month: Month }),
      response: xmlResponses('A sitemaps.org 0.9 `urlset`.'),
    },
  }, async function monthSitemap (request, reply) {
    const { month } = request.params
    const [year, number] = month.split('-').map(Number) as [number, number]
    const items = await app.store.delivery.sitemaps.month(monthRange(year, number), app.clock())
    if (items.length === 0) throw notFound('sitemap for month', month)
    return sendCacheable(request, reply, buildMonthSitemap(publicBaseUrl(request), items), XML, ['sitemaps', `sitemap:${month}`])
  })
}

export default sitemapsRoutes
