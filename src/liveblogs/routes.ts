// Delivery routes for live blogs: entry pages (newest or oldest first, cursor paging, `since`,
// pinned first) and the Server-Sent Events stream; withLiveState adds the `live` block to the
// article route's answer.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { PageQuery } from '../articles/list-query.js'
import { renderBodyHtml } from '../articles/render.js'
import type { Article } from '../articles/schemas.js'
import { nextPageUrl } from '../http/cursor.js'
import { HttpProblem, invalidField, notFound, Problem } from '../http/problem.js'
import { jsonResponse } from '../http/responses.js'
import { Slug } from '../tags/schemas.js'
import type { EntryPosition } from './repository.js'
import { DeletedEvent, Entry, EntryList, EntryQuery } from './schemas.js'

// The article route's answer for a live blog: the article with its `live` block (in schema order:
// after relatedIds, before bodyHtml/bodyText, which the route adds after).
export async function withLiveState (app: FastifyInstance, reply: FastifyReply, found: Article & { liveBlog?: boolean }): Promise<Article> {
  const { liveBlog, ...article } = found
  reply.surrogateKeys(`liveblog:${article.id}`)
  return { ...article, live: await app.store.repos.liveblogs.state(article.id, liveBlog === true) }
}

const Params = z.object({ article: Slug.describe('The live blog\'s slug.').meta({ example: 'election-night-live' }) })
const Cursor = z.object({ c: z.number().int(), i: z.number().int() })
const EventId = z.string().max(16).regex(/^[0-9]{1,15}$/, 'must be an event id (a non-negative integer)')

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })

const STREAM_DESCRIPTION = 'Server-Sent Events (`text/event-stream`) of a published live blog: every entry created or ' +
  'changed after the connection opened is sent as `event: entry` (`data`: the entry, as in the entry pages, JSON on one ' +
  'line), every deletion as `event: deleted` (`data`: `{"id": <entry id>}`). Each event has an increasing `id:` (the ' +
  'stored event number). A client that reconnects with the `Last-Event-ID` header (browsers\' `EventSource` sends it ' +
  'by itself), or the `lastEventId` query parameter, first gets every event after that id, read from the stored log, ' +
  'then the live ones, none twice. An event carries the entry as it is when sent: one deleted meanwhile is sent (or replayed) as `deleted`. Comment lines (`: keep-alive`) ' +
  'are sent every `LIVE_HEARTBEAT_SECONDS` (default 15) to keep proxies from closing the connection. The stream is ' +
  'never cached or compressed. Each server process holds at most `LIVE_STREAM_LIMIT` streams; beyond that the answer ' +
  'is a 503 problem with `Retry-After`. Events arrive from writes on any server process serving the database.'

const liveblogRoutes: FastifyPluginAsyncZod = async (app) => {
  const hub = app.liveHub

  async function publishedBlog (slug: string) {
    const blog = await app.store.repos.liveblogs.publishedBlog(slug, app.clock())
    if (!blog) throw notFound('live blog', slug)
    return blog
  }

  app.get('/:article/entries', {
    schema: {
      operationId: 'listLiveEntries',
      tags: ['Live blogs'],
      summary: 'Entries of a live blog',
      description: 'The entries of a published live blog, `order=newest` (default) or `oldest` first (ties on `createdAt` ' +
        'broken by id), paged with an opaque cursor as `/v1/articles` (`page.nextCursor`, `Link: <...>; rel="next"`). ' +
        '**Pinned entries**: with `order=newest` and no `since`, the first page starts with every pinned entry (newest ' +
        'first, `pinned: true`), followed by `limit` entries that are not pinned; pinned entries are not repeated later ' +
        'in that listing, so every entry appears once. With `order=oldest`, or with `since`, pinned entries stand in ' +
        'their place in time. `since` (RFC 3339) keeps the entries created or changed after it (for polling clients; ' +
        'deletions are only in the stream). `format=html` adds `bodyHtml` to every entry. An article that is not a ' +
        'published live blog is a 404 problem.',
      params: Params,
      querystring: EntryQuery.extend(PageQuery.shape),
      response: {
        200: jsonResponse('One page of entries. When there is a next page, the `Link: <url>; rel="next"` header carries its URL.', EntryList),
      },
    },
  }, async function listLiveEntries (request, reply) {
    const { order, since: sinceText, format, limit, cursor } = request.query
    const blog = await publishedBlog(request.params.article)
    reply.surrogateKeys(`liveblog:${blog.id}`, `article:${blog.id}`)
    const since = sinceText === undefined ? undefined : Date.parse(sinceText)
    const scope = JSON.stringify(['entries', blog.id, order, since ?? null])
    let after: EntryPosition | undefined
    if (cursor !== undefined) {
      const parsed = Cursor.safeParse(app.cursors.decode(cursor, scope))
      if (!parsed.success) throw invalidField('query', 'cursor', 'is malformed')
      after = parsed.data
    }
    const { liveblogs } = app.store.repos
    const withoutPinned = order === 'newest' && since === undefined
    const page = await liveblogs.page(blog.id, { order, since, after, limit, withoutPinned })
    const pinned = withoutPinned && after === undefined ? await liveblogs.pinned(blog.id) : []
    const entries = pinned.length > 0 ? [...pinned, ...page.data] : page.data
    const nextCursor = page.next ? app.cursors.encode(page.next, scope) : null
    if (nextCursor) reply.header('link', `<${nextPageUrl(request.url, nextCursor)}>; rel="next"`)
    const data = format === 'html' ? entries.map((entry) => ({ ...entry, bodyHtml: renderBodyHtml(entry.body) })) : entries
    return { data, page: { limit, nextCursor } }
  })

  app.get('/:article/entries/stream', {
    schema: {
      operationId: 'streamLiveEntries',
      tags: ['Live blogs'],
      summary: 'Live stream of a live blog (Server-Sent Events)',
      description: STREAM_DESCRIPTION,
      params: Params,
      headers: z.object({ 'last-event-id': EventId.optional().describe('The `id:` of the last event received; what came after it is replayed first.') }),
      querystring: z.object({ lastEventId: EventId.optional().describe('As the `Last-Event-ID` header (for clients that cannot set it); the header wins.') }),
      response: {
        200: {
          description: 'The event stream. Events (as `text/event-stream` lines):\n\n' +
            '```\nid: 42\nevent: entry\ndata: {"id":7,"createdAt":"…","updatedAt":"…","headline":"…","body":[…],"authors":[…],"keyEvent":false,"pinned":false}\n\n' +
            'id: 43\nevent: deleted\ndata: {"id":7}\n\n: keep-alive\n```\n\nThe `data` of `event: entry` is a `LiveEntry`, of `event: deleted` a `LiveEntryDeleted`.',
          content: {
            'text/event-stream': {
              schema: z.union([
                z.object({ id: z.string().describe('The event id (`id:` line).'), event: z.literal('entry'), data: Entry.describe('The entry as it is now (never with `bodyHtml`).') })
                  .meta({ id: 'LiveEntryEvent', description: '`event: entry`: an entry was created or changed.' }),
                z.object({ id: z.string().describe('The event id (`id:` line).'), event: z.literal('deleted'), data: DeletedEvent })
                  .meta({ id: 'LiveEntryDeletedEvent', description: '`event: deleted`: an entry was deleted.' }),
              ]).describe('Each event of the stream: its `id:`, `event:` and JSON `data:` lines (shown here as an object); comment lines start with `:`.'),
            },
          },
        },
        503: problem('This server process holds `LIVE_STREAM_LIMIT` streams already (or is shutting down); try again after `Retry-After` seconds.'),
      },
    },
  }, async function streamLiveEntries (request, reply) {
    const blog = await publishedBlog(request.params.article)
    if (hub.closed || hub.open >= app.config.liveStreamLimit) {
      throw new HttpProblem(503, 'too-many-streams', hub.closed
        ? 'The server is shutting down; reconnect to another.'
        : `This server holds its limit of ${app.config.liveStreamLimit} open streams; try again later.`, { headers: { 'retry-after': '5' } })
    }
    const raw = request.headers['last-event-id'] ?? request.query.lastEventId
    const lastEventId = raw === undefined ? undefined : Number(raw)
    // the stream is written by hand: no serialiser, compression, cache or ETag applies
    reply.hijack()
    const res = reply.raw
    const head: Record<string, string> = {}
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) head[name] = String(value)
    res.writeHead(200, {
      ...head,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    })
    // HEAD (Fastify adds it to every GET): the head only, no stream
    if (request.method === 'HEAD') {
      res.end()
      return
    }
    // the connection is idle between events and heartbeats: no socket timeout
    request.raw.socket.setTimeout(0)
    res.write('retry: 3000\n\n')
    try {
      await hub.join(blog.id, res, lastEventId)
      // from here on every event reaches this reader
      res.write(': connected\n\n')
    } catch (error) {
      request.log.error({ err: error }, 'live blog stream: join failed')
      res.end()
    }
  })
}

export default liveblogRoutes
