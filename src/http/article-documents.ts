// Article documents over HTTP (ARTICLE_DOCUMENTS): after GET /v1/articles/{slug} renders a public
// 200, its body (identity and the coding the render made; another coding is added on first demand)
// and headers are stored (articles/documents.ts); later requests are answered from the stored
// document straight from Node's request handler, before Fastify, with what the Fastify path would
// write: request id, CORS, Cache-Control, 304s, the negotiated coding, metrics. Requests with a
// query string or credentials always render.
import type { FastifyInstance, onSendHookHandler, preHandlerHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { createHash, hash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import type { OutgoingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { articleDocuments, type ArticleDocuments, type DocumentEncoding, type NewDocument, type StoredDocument } from '../articles/documents.js'
import type { Config } from '../config.js'
import { negotiateEncoding, type RawHandler } from './cache-serving.js'
import { publicCacheControl } from './caching.js'
import { requestBrotliOptions } from './compression.js'
import { notModified } from './conditional.js'
import { corsResponseHeaders } from './cors.js'
import { genRequestId } from './request-id.js'
import { hookList } from './route-hooks.js'

// Bump when the article answer changes shape or headers in code: stored documents are dropped at
// start-up. (Any change to the application's code does the same: see codeFingerprint.)
export const RENDER_VERSION = 1
export const ARTICLE_ROUTE = '/v1/articles/:article'
const PREFIX = '/v1/articles/'
// the route's Slug pattern (tags/schemas.ts), on the raw path: anything else goes to Fastify
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const MAX_SLUG = 200

// The application's own code (every .js/.ts file of the build, or of src/ when run from source):
// an upgrade or any edit drops the stored documents at start-up, so a change to how articles are
// rendered never depends on someone remembering RENDER_VERSION. ~100 files, a few ms, once.
export function hashCodeTree (root: string): string {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(js|ts)$/.test(f)).sort()
  const digest = createHash('sha1')
  for (const file of files) digest.update(file).update('\0').update(readFileSync(join(root, file))).update('\0')
  return digest.digest('hex')
}
let codeHash: string | undefined
export const codeFingerprint = () => (codeHash ??= hashCodeTree(fileURLToPath(new URL('..', import.meta.url))))

// What a stored document depends on besides the database: the code, and the configuration behind
// the Vary and CORS headers and which bodies are compressed.
export function renderFingerprint (config: Config): string {
  return hash('sha1', JSON.stringify([RENDER_VERSION, codeFingerprint(), config.corsOrigins, config.compressionThreshold]))
}

declare module 'fastify' {
  interface FastifyInstance {
    articleDocuments: ArticleDocuments | null
    // resolves once documents from another render fingerprint are gone (until then none is used)
    articleDocumentsSettled: Promise<void>
  }
  interface FastifyRequest {
    // content_version read before the article handler ran; -1 when the answer may not be stored
    documentVersion: number
    // app.clock() when documentVersion was read
    documentNow: number
    // the rendered answer to store once compression has run
    documentDraft: NewDocument | null
  }
}

async function articleDocumentsPlugin (app: FastifyInstance) {
  const { config } = app
  app.decorateRequest('documentVersion', -1)
  app.decorateRequest('documentNow', 0)
  app.decorateRequest('documentDraft', null)
  if (!config.articleDocuments) {
    app.decorate('articleDocuments', null)
    app.decorate('articleDocumentsSettled', Promise.resolve())
    return
  }
  const fingerprint = renderFingerprint(config)
  const documents = articleDocuments(app.db, fingerprint)
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  const settled = documents.takeOver(() => closing).then(() => {}, (error: unknown) => {
    // documents stay unused (the fingerprint is still the marker): every read renders
    app.log.error({ err: error }, 'article documents could not be dropped')
  })
  app.decorate('articleDocuments', documents)
  app.decorate('articleDocumentsSettled', settled)

  // Only the URL the fast path answers (no query, no trailing slash or percent-encoding) stores a
  // document: other spellings of it would rewrite the stored row, and its variants, on every read.
  const readVersion: preHandlerHookHandler = (request, _reply, done) => {
    if (request.url === PREFIX + (request.params as { article: string }).article && request.headers.authorization === undefined) {
      request.documentVersion = documents.version()
      // the instant the answer is rendered at (or just before): the store judges liveness and the
      // next scheduled related article from it, never from a later clock the render did not see
      request.documentNow = app.clock()
    }
    done()
  }
  // Runs after @fastify/compress's onSend (added to the route before this one): the coded body the
  // render just made is stored with the document, so a stored answer is the rendered one byte for byte.
  const storeDocument: onSendHookHandler = (request, reply, payload, done) => {
    const draft = request.documentDraft
    if (!draft) return done()
    const coding = reply.getHeader('content-encoding')
    if ((coding === 'br' || coding === 'gzip') && Buffer.isBuffer(payload)) draft[coding] = payload
    try {
      documents.store(draft, request.documentVersion, request.documentNow)
    } catch (error) {
      // a document that could not be stored (disk full, read-only file) only costs the next read a render
      request.log.warn({ err: error }, 'article document not stored')
    }
    done()
  }
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (route.url !== ARTICLE_ROUTE || !methods.includes('GET')) return
    route.preHandler = [...hookList(route.preHandler), readVersion]
    route.onSend = [...hookList(route.onSend), storeDocument]
  })

  // Runs after caching.ts's onSend (registered later): the identity body with its ETag, Vary and
  // Surrogate-Key, before @fastify/compress (a route-level hook) encodes it.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.documentVersion < 0 || reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return done()
    if (!String(reply.getHeader('cache-control')).startsWith('public')) return done()
    const text = (name: string) => { const value = reply.getHeader(name); return value === undefined ? null : String(value) }
    request.documentDraft = {
      slug: (request.params as { article: string }).article,
      etag: String(reply.getHeader('etag')),
      lastModified: text('last-modified'),
      surrogateKey: text('surrogate-key'),
      contentType: text('content-type') ?? 'application/json; charset=utf-8',
      vary: text('vary'),
      identity: typeof payload === 'string' ? Buffer.from(payload) : payload,
      br: null,
      gzip: null,
    }
    done()
  })
}

export default fp(articleDocumentsPlugin, { name: 'article-documents', dependencies: ['caching'] })

// Answers GET /v1/articles/<slug> from its stored document; false (Fastify answers) when there is none.
export function documentFastPath (app: FastifyInstance): RawHandler | null {
  const documents = app.articleDocuments
  if (!documents) return null
  const cors = corsResponseHeaders(app.config.corsOrigins)
  const cacheControl = publicCacheControl(app.config)
  // the Fastify path marks a response-cache miss; this request missed it too
  const cacheMarker = app.responseCache ? ['x-cache', 'MISS'] : []
  const { metrics, clock } = app
  const threshold = app.config.compressionThreshold
  // The body in the negotiated coding and that coding. A coding the render did not make is made here
  // on first demand, with the rendering path's own settings, and kept with the document; a body under
  // the threshold is never compressed, as on the rendering path.
  const encoded = (document: StoredDocument, encoding: DocumentEncoding): [Buffer, DocumentEncoding] => {
    if (document.body !== null) return [document.body, encoding]
    const identity = document.identity!
    if (encoding === 'identity' || identity.length < threshold) return [identity, 'identity']
    const body = encoding === 'br' ? brotliCompressSync(identity, requestBrotliOptions) : gzipSync(identity)
    try {
      documents.addVariant(document.articleId, document.etag, encoding, body)
    } catch (error) {
      app.log.warn({ err: error }, 'article document variant not stored')
    }
    return [body, encoding]
  }
  // With the response cache on, a document answer also fills it (the cache missed in this same turn,
  // so nothing was written since), as a rendered answer would. Only with the full Surrogate-Key: the
  // cache is invalidated by those keys (a header over 16 KB keeps only list keys).
  const cache = app.responseCache
  const adopt = (url: string, document: StoredDocument, answer: [Buffer, DocumentEncoding] | null) => {
    const keys = document.surrogateKey?.split(' ') ?? []
    if (!cache || document.identity === null || !keys.includes(`article:${document.articleId}`)) return
    const headers: OutgoingHttpHeaders = { 'content-type': document.contentType, etag: document.etag, 'cache-control': cacheControl, 'surrogate-key': document.surrogateKey! }
    if (document.lastModified !== null) headers['last-modified'] = document.lastModified
    if (document.vary !== null) headers.vary = document.vary
    const entry = cache.adopt(url, ARTICLE_ROUTE, headers, document.identity, keys)
    if (entry && answer && answer[1] !== 'identity') cache.addVariant(entry, answer[1], answer[0])
  }
  return (req, res) => {
    const url = req.url!
    if (req.method !== 'GET' || !url.startsWith(PREFIX) || req.headers.authorization !== undefined) return false
    const slug = url.slice(PREFIX.length)
    if (slug.length > MAX_SLUG || !SLUG.test(slug)) return false
    const started = performance.now()
    const encoding = negotiateEncoding(req.headers['accept-encoding'])
    const document = documents.find(slug, encoding, clock(), cache !== null)
    if (!document) return false
    const dbMs = performance.now() - started
    const head = ['x-request-id', genRequestId(req)]
    const corsHead = cors(req.headers.origin)
    for (let i = 0; i < corsHead.length; i += 2) {
      // the stored Vary already names Origin when CORS adds it (the fingerprint holds CORS_ORIGINS)
      if (corsHead[i] !== 'vary' || document.vary === null) head.push(corsHead[i]!, corsHead[i + 1]!)
    }
    head.push(...cacheMarker, 'cache-control', cacheControl, 'etag', document.etag)
    if (document.vary !== null) head.push('vary', document.vary)
    if (document.surrogateKey !== null) head.push('surrogate-key', document.surrogateKey)
    if (document.lastModified !== null) head.push('last-modified', document.lastModified)
    let status = 200
    let answer: [Buffer, DocumentEncoding] | null = null
    if (notModified(req.headers, document.etag, document.lastModified ?? undefined)) {
      status = 304
      head.push('server-timing', timing(dbMs, started))
      res.writeHead(304, head)
      res.end()
    } else {
      const [body, coding] = answer = encoded(document, encoding)
      head.push('content-type', document.contentType)
      if (coding !== 'identity') head.push('content-encoding', coding)
      head.push('content-length', String(body.length), 'server-timing', timing(dbMs, started))
      res.writeHead(200, head)
      res.end(body)
    }
    if (cache) metrics.countCacheMiss()
    adopt(url, document, answer)
    metrics.observeRequest('GET', ARTICLE_ROUTE, status, (performance.now() - started) / 1000)
    return true
  }
}

const timing = (dbMs: number, started: number) =>
  `doc;desc=stored, db;dur=${dbMs.toFixed(2)}, total;dur=${(performance.now() - started).toFixed(2)}`
