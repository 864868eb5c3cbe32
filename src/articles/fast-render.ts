// GET /v1/articles/{slug} rendered straight from Node's request handler, before Fastify builds a
// request: the read a CDN sends the origin most (first reads of older stories). One statement reads
// the article with its section, breadcrumbs, authors, tags and live related ids; the JSON is written
// field by field in the route's schema order (the stored body and hero image are spliced in as
// stored: every writer stores them as JSON.stringify output, which is what JSON.parse then
// JSON.stringify would give again); the ETag, Surrogate-Key, CORS headers, Cache-Control, the
// negotiated coding (only when asked and over COMPRESSION_THRESHOLD, with the rendering path's own
// settings), 304s and metrics are those of the Fastify path, byte for byte (test/articles/
// fast-render.test.ts compares them). Nothing is written to the database. With the response cache
// on, the answer fills it from the second read of a URL on (see admitted). Anything else (a query string, credentials,
// another spelling of the URL, an article that is not live, a live blog, overload) goes to Fastify.
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import { answerer, handOver, variantHead, type Encoding, type RawHandler, type Representation, type VariantOf } from '../http/answer.js'
import { publicCacheControl } from '../http/caching.js'
import { requestBrotliOptions } from '../http/compression.js'
import { strongEtag } from '../http/conditional.js'
import { corsVary } from '../http/cors.js'
import type { Entry } from '../http/response-cache.js'
import { surrogateHeader } from '../http/surrogate-keys.js'
import { cacheTagValue } from '../webhooks/purge.js'
import type { ArticleRow } from './article.repository.sqlite.js'
import { readingTimeMinutes } from './word-count.js'
import type { Article } from './schemas.js'
import { iso } from './summaries.js'

export const ARTICLE_ROUTE = '/v1/articles/:article'
const PREFIX = '/v1/articles/'
// the route's Slug pattern (tags/schemas.ts), on the raw path: anything else goes to Fastify
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const MAX_SLUG = 200
const CONTENT_TYPE = 'application/json; charset=utf-8'

const str = (value: string | null) => value === null ? 'null' : JSON.stringify(value)

export interface RenderedArticle { json: string, keys: Set<string> }

// The article's JSON as JSON.stringify(findArticleBySlug(...)) writes it, and its record keys in the
// order http/surrogate-keys.ts's breadth-first walk finds them: the article, its related ids (read
// with the article's own fields), then its authors, section, breadcrumbs and tags.
export function renderArticleRow (row: ArticleRow): RenderedArticle {
  const authors = JSON.parse(row.authors) as Article['authors']
  const breadcrumbs = JSON.parse(row.breadcrumbs) as Article['breadcrumbs']
  const tags = JSON.parse(row.tags) as Article['tags']
  const relatedIds = JSON.parse(row.relatedIds) as number[]
  const section = { slug: row.sectionSlug, name: row.sectionName, path: row.sectionPath }
  const json = `{"id":${row.id},"slug":${JSON.stringify(row.slug)},"url":${JSON.stringify(`/${row.sectionPath}/${row.slug}`)}` +
    `,"headline":${JSON.stringify(row.headline)},"standfirst":${str(row.standfirst)},"body":${row.body}` +
    `,"byline":${str(row.byline)},"authors":${JSON.stringify(authors)},"section":${JSON.stringify(section)}` +
    `,"breadcrumbs":${JSON.stringify(breadcrumbs)},"tags":${JSON.stringify(tags)},"heroImage":${row.heroImage ?? 'null'}` +
    `,"publishedAt":"${iso(row.publishedAt ?? row.createdAt)}","updatedAt":"${iso(row.updatedAt)}","wordCount":${row.wordCount}` +
    `,"readingTimeMinutes":${readingTimeMinutes(row.wordCount)},"relatedIds":${row.relatedIds}}`
  const keys = new Set([`article:${row.id}`])
  for (const id of relatedIds) keys.add(`article:${id}`)
  keys.add(`section:${row.sectionPath}`)
  for (const author of authors) keys.add(`author:${author.slug}`)
  for (const crumb of breadcrumbs) keys.add(`section:${crumb.path}`)
  for (const tag of tags) keys.add(`tag:${tag.slug}`)
  return { json, keys }
}

const SEEN_LIMIT = 20_000

// true on the second read of a URL among the last SEEN_LIMIT first reads (the set starts over when full)
function admitted (seen: Set<string>, url: string): boolean {
  if (seen.delete(url)) return true
  if (seen.size >= SEEN_LIMIT) seen.clear()
  seen.add(url)
  return false
}

// On SQLite the row is read synchronously and the answer written in the same turn. On PostgreSQL
// the request is taken, the row read, and then either answered here or handed to Fastify (not live,
// a live blog, an error such as an unreachable database): Fastify then answers as it would have,
// within what remains of REQUEST_TIMEOUT_MS (http/answer.ts's handOver). A read still unanswered at
// that deadline, or whose connection idles for CONNECTION_TIMEOUT_MS meanwhile, is handed over at
// once, and Fastify answers the 503 problem.
export function articleFastPath (app: FastifyInstance): RawHandler {
  const { config, metrics, clock, store } = app
  const { requestTimeout } = config
  const { perRequest, send } = answerer(app)
  const cacheControl = publicCacheControl(config)
  const originVary = corsVary(config.corsOrigins)
  // CORS names Origin in Vary when it allows only some origins; caching.ts then appends accept-encoding
  const vary = originVary ? `${originVary}, accept-encoding` : 'accept-encoding'
  // Cloudflare purges by Cache-Tag (CDN_PURGE=cloudflare, webhooks/purge.ts)
  const cacheTags = config.webhooks.purge.kind === 'cloudflare'
  const threshold = config.compressionThreshold
  const cache = app.responseCache
  const underPressure = (app as { isUnderPressure?: () => boolean }).isUnderPressure
  // Admission to the response cache on the second read: most reads that reach the origin behind a
  // CDN are first reads of older stories, and storing each one (copy, index, evict another entry
  // and its variants) cost a cold read about a third more CPU than with the cache off, while
  // flushing the stories that are read again. A URL enters the cache when it was read before, while
  // it is among the last SEEN_LIMIT first reads.
  const seen = new Set<string>()
  // This answer's coding, compressed with the rendering path's own settings (the size hint gives
  // the same bytes as the Fastify route's brotli at ~25% less CPU: the encoder sizes its buffers
  // for the body); an entry admitted to the cache keeps it as its variant.
  const coded = (identity: Buffer, encoding: Encoding) => encoding === 'identity'
    ? identity
    : encoding === 'br'
      ? brotliCompressSync(identity, { params: { ...requestBrotliOptions.params, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } })
      : gzipSync(identity)
  const once: VariantOf<Representation> = (representation, wanted) => {
    const encoding = representation.compressible ? wanted : 'identity'
    const body = coded(representation.identity, encoding)
    return { body, head: variantHead(representation.headers, encoding, body.length) }
  }
  const kept: VariantOf<Entry> = (entry, wanted) => {
    const encoding = entry.compressible ? wanted : 'identity'
    return entry.variants[encoding] ?? cache!.addVariant(entry, encoding, coded(entry.identity, encoding))
  }
  // Writes the answer for a live row; false (nothing written) when Fastify must answer. `generation`:
  // the response cache's when the read started (a write since then must not be stored as current).
  const render = (req: IncomingMessage, res: ServerResponse, url: string, row: ArticleRow | undefined, started: number, generation: number | undefined): boolean => {
    // not live: Fastify answers the 404 problem; a live blog: Fastify adds its `live` block
    if (!row || row.live !== null) return false
    const dbDone = performance.now()
    const { json, keys } = renderArticleRow(row)
    const identity = Buffer.from(json)
    const etag = strongEtag(identity)
    const surrogateKey = surrogateHeader(keys)
    const headers: OutgoingHttpHeaders = { 'content-type': CONTENT_TYPE, etag, 'cache-control': cacheControl, 'surrogate-key': surrogateKey, vary }
    if (cacheTags) headers['cache-tag'] = cacheTagValue(surrogateKey)
    const renderStart = performance.now()
    const timing = () => `handler;dur=${(dbDone - started).toFixed(2)}, db;dur=${(dbDone - started).toFixed(2)}, render;dur=${(performance.now() - renderStart).toFixed(2)}, total;dur=${(performance.now() - started).toFixed(2)}`
    const head = perRequest(req)
    if (cache) {
      metrics.countCacheMiss()
      head.push('x-cache', 'MISS')
      const entry = cache.generation === generation && admitted(seen, url) ? cache.adopt(url, ARTICLE_ROUTE, headers, identity, keys) : undefined
      if (entry) {
        send(req, res, entry, kept, head, ARTICLE_ROUTE, started, timing)
        return true
      }
    }
    send(req, res, { etag, headers, identity, compressible: identity.length >= threshold, variants: {} }, once, head, ARTICLE_ROUTE, started, timing)
    return true
  }

  return (req, res, fallback) => {
    const url = req.url!
    if (req.method !== 'GET' || !url.startsWith(PREFIX) || req.headers.authorization !== undefined) return false
    const slug = url.slice(PREFIX.length)
    if (slug.length > MAX_SLUG || !SLUG.test(slug)) return false
    // while the server sheds load, Fastify answers (503 problems)
    if (underPressure?.()) return false
    const started = performance.now()
    // a cache miss just now (http/answer.ts's cacheFastPath runs first)
    const generation = cache?.generation
    const read = store.delivery.articles.liveArticleRow(slug, clock())
    if (!(read instanceof Promise)) return render(req, res, url, read, started, generation)
    // PostgreSQL: the request is this handler's until it answers or hands it to Fastify
    let settled = false
    const settle = () => {
      settled = true
      clearTimeout(timer)
      res.off('timeout', idle)
    }
    // Fastify answers within what remains of REQUEST_TIMEOUT_MS (none: at once, the 503 problem)
    const toFastify = (deadline: number | undefined) => {
      if (settled) return
      settle()
      if (deadline !== undefined) handOver(req, deadline)
      fallback(req, res)
    }
    const deadline = requestTimeout > 0 ? started + requestTimeout : undefined
    const late = () => { toFastify(performance.now()) }
    const timer = requestTimeout > 0 ? setTimeout(late, requestTimeout) : undefined
    const idle = late
    res.on('timeout', idle)
    read.then((row) => {
      if (settled) return
      if (res.destroyed) { settle(); return }
      try {
        if (render(req, res, url, row, started, generation)) settle()
        else toFastify(deadline)
      } catch (error) {
        app.log.error({ err: error }, 'fast path failed')
        if (!res.headersSent) toFastify(deadline)
        else { settle(); if (!res.writableEnded) res.destroy() }
      }
    }, () => {
      // an unreachable database: Fastify's route reads again and answers the 503 problem
      toFastify(deadline)
    })
    return true
  }
}
