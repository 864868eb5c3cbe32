// Feeds of a live blog's entries: Atom 1.0, JSON Feed 1.1 (and RSS 2.0), newest first, each entry
// with its body as safe HTML, built with the site feeds' builders (feeds/build.ts). Registered
// under /v1/feeds; cached like every delivery response and dropped at each entry write
// (Surrogate-Key liveblog:<id>).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { renderBodyHtml } from '../articles/render.js'
import { buildFeed, type FeedDocument } from '../feeds/build.js'
import { publicBaseUrl } from '../feeds/public-url.js'
import { FEED_CONTENT_TYPES, feedFormatOf, FeedFileParam, FeedQuery, JsonFeed } from '../feeds/schemas.js'
import { notFound } from '../http/problem.js'
import { Slug } from '../tags/schemas.js'
import type { Entry } from './schemas.js'

// an entry without a headline is titled by the start of its first text block
function entryTitle (entry: Entry): string {
  if (entry.headline) return entry.headline
  const block = entry.body.find((b) => 'text' in b) as { text: string } | undefined
  const text = block?.text ?? 'Update'
  return text.length > 100 ? `${text.slice(0, 99)}…` : text
}

const liveblogFeedRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/liveblogs/:slug/:file', {
    schema: {
      operationId: 'liveBlogFeed',
      tags: ['Feeds', 'Live blogs'],
      summary: 'Feed of a live blog\'s entries',
      description: '`/v1/feeds/liveblogs/{slug}/atom.xml`, `feed.json` or `rss.xml`: the latest entries of a published live blog, ' +
        'newest first, each with its body as safe HTML (Atom `content`, JSON Feed `content_html`, RSS `content:encoded`) and ' +
        'a link to the story with `#entry-<id>`. GUIDs are `tag:` URIs of the entry. An article that is not a published live ' +
        'blog is 404. Answers carry an ETag, public Cache-Control and `Surrogate-Key: liveblog:<id>`.',
      params: z.object({ slug: Slug.describe('The live blog\'s slug.'), file: FeedFileParam }),
      querystring: FeedQuery.pick({ limit: true }),
      response: {
        200: {
          description: 'The feed. The content type follows the file name.',
          content: {
            'application/atom+xml': { schema: z.string().describe('An Atom 1.0 document.') },
            'application/feed+json': { schema: JsonFeed },
            'application/rss+xml': { schema: z.string().describe('An RSS 2.0 document.') },
          },
        },
      },
    },
  }, async function liveBlogFeed (request, reply) {
    const { slug, file } = request.params
    const format = feedFormatOf(file)
    if (!format) throw notFound('feed', file)
    const now = app.clock()
    const { liveblogs, articles } = app.store.repos
    const blog = await liveblogs.publishedBlog(slug, now)
    const article = blog && await articles.findBySlug(slug, { now })
    if (!blog || !article) throw notFound('live blog', slug)
    const entries = (await liveblogs.page(blog.id, { order: 'newest', limit: request.query.limit, withoutPinned: false })).data
    const base = publicBaseUrl(request)
    const host = new URL(base).hostname
    const feedPath = `${base}/v1/feeds/liveblogs/${slug}/`
    const feed: FeedDocument = {
      title: `${article.headline} | ${app.config.publicationName}`,
      description: article.standfirst ?? `Live coverage: ${article.headline}`,
      homeUrl: `${base}${article.url}`,
      selfUrl: { rss: `${feedPath}rss.xml`, atom: `${feedPath}atom.xml`, json: `${feedPath}feed.json` },
      language: app.config.publicationLanguage,
      publisher: app.config.publicationName,
      updated: Math.max(Date.parse(article.updatedAt), ...entries.map((e) => Date.parse(e.updatedAt))),
      items: entries.map((entry) => ({
        guid: `tag:${host},${entry.createdAt.slice(0, 10)}:articles/${blog.id}/entries/${entry.id}`,
        url: `${base}${article.url}#entry-${entry.id}`,
        title: entryTitle(entry),
        standfirst: null,
        contentHtml: renderBodyHtml(entry.body),
        published: Date.parse(entry.createdAt),
        updated: Date.parse(entry.updatedAt),
        byline: null,
        authors: entry.authors.map((a) => a.name),
        categories: [],
        image: null,
      })),
    }
    reply.surrogateKeys(`liveblog:${blog.id}`, `article:${blog.id}`)
    // absolute links follow the Host header when PUBLIC_BASE_URL is unset
    if (app.config.publicBaseUrl === undefined) reply.header('vary', 'Host')
    return reply.type(`${FEED_CONTENT_TYPES[format]}; charset=utf-8`).serializer((body: string) => body).send(buildFeed(feed, format))
  })
}

export default liveblogFeedRoutes
