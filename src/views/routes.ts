// Page-view beacons (POST /v1/articles/{slug}/views) and the most-viewed ranking (GET /v1/most-viewed).
import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { isbot } from 'isbot'
import { z } from 'zod'
import { iso } from '../articles/summaries.js'
import { isPreview } from '../http/auth.js'
import { problemResponse } from '../http/openapi.js'
import { HttpProblem, notFound } from '../http/problem.js'
import { rateLimitHeaderOptions } from '../http/rate-limit-headers.js'
import { Slug } from '../tags/schemas.js'
import { LiveStories } from './live-stories.js'
import { rankMostViewed, windowStartHour } from './ranking.js'
import { MostViewed, MostViewedQuery } from './schemas.js'

const viewRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(rateLimit, {
    ...rateLimitHeaderOptions,
    global: false,
    errorResponseBuilder: (_request, context) => new HttpProblem(429, 'too-many-requests',
      `Too many page views from this address: at most ${context.max} a minute. Retry in ${context.after}.`),
  })

  // a beacon's body is read (so BODY_LIMIT holds) and ignored, whatever navigator.sendBeacon sent:
  // nothing, text/plain, form data or a Blob of any type
  app.removeAllContentTypeParsers()
  const liveStories = new LiveStories(app.store)
  app.addHook('onClose', async () => { liveStories.close() })
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => { done(null, undefined) })

  app.post('/articles/:slug/views', {
    config: { rateLimit: { max: app.config.viewsRateLimit, timeWindow: 60_000 } },
    schema: {
      operationId: 'recordPageView',
      tags: ['Most viewed'],
      summary: 'Record a page view',
      description: 'Counts one view of a published story (a beacon sent by the page). Answers 202 with an empty body; known bots and crawlers (by `User-Agent`) are answered 202 but not counted. ' +
        'Rate-limited per client address (`VIEWS_RATE_LIMIT` a minute): over the limit the answer is 429 with `Retry-After`. An unknown or unpublished story is 404 and nothing is counted. ' +
        'Counts are stored within about a second and reach the most-viewed lists when the ranking is next computed (at most every `MOST_VIEWED_CACHE_SECONDS`, default 10 s). Any request body, of any content type (what `navigator.sendBeacon` sends), is ignored.',
      params: z.object({ slug: Slug.describe('The story\'s slug.') }),
      response: {
        202: z.void().describe('Accepted; no body.'),
        429: problemResponse('Too many views from this client address; see `Retry-After`.', {
          'Retry-After': { description: 'Seconds until the client may send views again.', type: 'integer', format: 'int32', minimum: 0, maximum: 86400 },
          'RateLimit-Policy': { description: 'The limit: `"default";q=<views>;w=<window seconds>` (IETF RateLimit headers).', type: 'string' },
          RateLimit: { description: 'What is left: `"default";r=<remaining>;t=<seconds to reset>`.', type: 'string' },
        }),
      },
    },
  }, async function recordPageView (request, reply) {
    const now = app.clock()
    const storyId = await liveStories.id(request.params.slug, now)
    if (storyId === undefined) throw notFound('article', request.params.slug)
    if (!isbot(request.headers['user-agent'] ?? '')) app.views.record(storyId, now)
    reply.header('cache-control', 'no-store')
    return reply.code(202).send()
  })

  app.get('/most-viewed', {
    schema: {
      operationId: 'listMostViewed',
      tags: ['Most viewed'],
      summary: 'Most viewed articles',
      description: 'Published articles ranked by page views over a sliding window of whole clock hours (`1h`, `24h`, `7d` or `30d`, default `24h`); ' +
        'optionally only one section with its descendants. Ties: newest publication first, then highest id. ' +
        'The ranking of each period and section is computed at most every `MOST_VIEWED_CACHE_SECONDS` (default 10 s) and reused for any `limit`; ' +
        'a story unpublished or moved to another section in between leaves the list at once. `generatedAt` is the time of the request.',
      querystring: MostViewedQuery,
      response: { 200: MostViewed },
    },
  }, async function listMostViewed (request, reply) {
    const preview = isPreview(request)
    if (preview) reply.header('cache-control', 'private, no-store')
    const { period, section, limit } = request.query
    const now = app.clock()
    const filters = await app.store.delivery.articles.resolveFilters({ section })
    const data = await rankMostViewed(app.store, {
      fromHour: windowStartHour(now, period), sectionId: filters.sectionIds?.root, limit, now, preview, memoMs: app.config.mostViewedCacheSeconds * 1000,
    })
    return { period, section: section ?? null, generatedAt: iso(now), data }
  })
}

export default viewRoutes
