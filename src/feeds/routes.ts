// Syndication feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, a section (with its
// descendants) or a tag; the format is the trailing file name, so every feed has a plain URL.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../http/problem.js'
import { SectionPath } from '../sections/schemas.js'
import { Slug } from '../tags/schemas.js'
import { buildFeed, toFeedDocument } from './build.js'
import { sendCacheable } from './http-cache.js'
import { publicBaseUrl } from './public-url.js'
import { findSectionScope, findTagScope, listFeedEntries } from './entries.js'
import type { FeedScope } from './repository.js'
import { FEED_CONTENT_TYPES, feedFormatOf, FeedFileParam, FeedQuery, JsonFeed } from './schemas.js'

const feedResponses = {
  200: {
    description: 'The feed. The content type follows the file name.',
    content: {
      'application/rss+xml': { schema: z.string().describe('An RSS 2.0 document.') },
      'application/atom+xml': { schema: z.string().describe('An Atom 1.0 document.') },
      'application/feed+json': { schema: JsonFeed },
    },
  },
  304: z.null().describe('Not Modified: the `If-None-Match` ETag still matches; no body.'),
}

const common = 'Latest first, published articles only (never drafts or scheduled ones). `mode=full` adds the whole body as safe HTML. Links are absolute, on `PUBLIC_BASE_URL` (or the request\'s Host when it is unset). GUIDs are `tag:` URIs that stay the same when an article\'s slug or section changes; hero images are enclosures. Answers carry an ETag and public Cache-Control.'

const feedsRoutes: FastifyPluginAsyncZod = async (app) => {
  async function sendFeed (request: FastifyRequest, reply: FastifyReply, scope: FeedScope, file: string, feedPath: string, query: FeedQuery) {
    const format = feedFormatOf(file)
    if (!format) throw notFound('feed', file)
    const entries = await listFeedEntries(app.store.delivery, scope, { limit: query.limit, now: app.clock(), withBody: query.mode === 'full' })
    const feed = toFeedDocument(scope, entries, { base: publicBaseUrl(request), feedPath: `${app.prefix}${feedPath}`, mode: query.mode, config: app.config })
    const scopeKey = scope.kind === 'site' ? 'feed:site' : scope.kind === 'section' ? `section:${scope.path}` : `tag:${scope.slug}`
    const keys = ['feeds', scopeKey, ...entries.map((e) => `article:${e.summary.id}`)]
    return sendCacheable(request, reply, buildFeed(feed, format), FEED_CONTENT_TYPES[format], keys)
  }

  app.get('/:file', {
    schema: {
      operationId: 'siteFeed',
      tags: ['Feeds'],
      summary: 'Feed of the whole site',
      description: `\`/v1/feeds/rss.xml\`, \`/v1/feeds/atom.xml\` or \`/v1/feeds/feed.json\`: the latest articles of every section. ${common}`,
      params: z.object({ file: FeedFileParam }),
      querystring: FeedQuery,
      response: feedResponses,
    },
  }, async function siteFeed (request, reply) {
    return sendFeed(request, reply, { kind: 'site' }, request.params.file, '/', request.query)
  })

  app.get('/sections/*', {
    schema: {
      operationId: 'sectionFeed',
      tags: ['Feeds'],
      summary: 'Feed of a section and its descendants',
      description: `\`/v1/feeds/sections/{section path}/{file}\`, e.g. \`/v1/feeds/sections/news/world-news/rss.xml\`: the latest articles of the section and every section under it. The last path segment is the format (\`rss.xml\`, \`atom.xml\` or \`feed.json\`). An unknown section is 404. ${common}`,
      params: z.object({ '*': z.string().max(500).describe('The section path followed by the feed file name, e.g. `news/world-news/atom.xml`.') }),
      querystring: FeedQuery,
      response: feedResponses,
    },
  }, async function sectionFeed (request, reply) {
    const rest = request.params['*']
    const cut = rest.lastIndexOf('/')
    const path = SectionPath.safeParse(rest.slice(0, cut))
    const file = rest.slice(cut + 1)
    if (cut < 0 || !path.success || !feedFormatOf(file)) throw notFound('feed', rest)
    return sendFeed(request, reply, await findSectionScope(app.store.delivery, path.data), file, `/sections/${path.data}/`, request.query)
  })

  app.get('/tags/:slug/:file', {
    schema: {
      operationId: 'tagFeed',
      tags: ['Feeds'],
      summary: 'Feed of a tag',
      description: `\`/v1/feeds/tags/{slug}/{file}\`, e.g. \`/v1/feeds/tags/elections/feed.json\`: the latest articles with the tag. An unknown tag is 404. ${common}`,
      params: z.object({ slug: Slug.describe('The tag slug.'), file: FeedFileParam }),
      querystring: FeedQuery,
      response: feedResponses,
    },
  }, async function tagFeed (request, reply) {
    const { slug, file } = request.params
    if (!feedFormatOf(file)) throw notFound('feed', file)
    return sendFeed(request, reply, await findTagScope(app.store.delivery, slug), file, `/tags/${slug}/`, request.query)
  })
}

export default feedsRoutes
