// Serving cached responses: encoding negotiation, the 200/304 write shared by both paths, and the
// fast path that answers hits straight from Node's request handler, before Fastify builds a
// request (the path taken when everyone reads the same story). The fast path does what the
// Fastify path would: request id, CORS headers, 304s, compression variants, metrics.
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { notModified } from './conditional.js'
import { corsResponseHeaders } from './cors.js'
import { genRequestId } from './request-id.js'
import type { Encoding, Entry, ResponseCache } from './response-cache.js'

// Same choice as @fastify/compress: highest q among br and gzip ("*" and x-gzip count as gzip), br on ties.
const negotiated = new Map<string, Encoding>()
export function negotiateEncoding (header: string | undefined): Encoding {
  if (!header) return 'identity'
  const known = negotiated.get(header)
  if (known) return known
  let br = 0
  let gzip = 0
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim())
    let q = 1
    for (const p of params) if (p.startsWith('q=')) q = Number(p.slice(2)) || 0
    if (name === 'br') br = q
    else if (name === 'gzip' || name === 'x-gzip' || name === '*') gzip = Math.max(gzip, q)
  }
  const choice: Encoding = br > 0 && br >= gzip ? 'br' : gzip > 0 ? 'gzip' : 'identity'
  if (negotiated.size < 1000) negotiated.set(header, choice)
  return choice
}

export function cacheable (request: { method?: string, headers: IncomingMessage['headers'] }): boolean {
  return request.method === 'GET' && request.headers.authorization === undefined
}

// Writes a cached response (200, or 304 when the client's validators match); returns the status.
// `extra` holds the per-request headers as a flat [name, value, ...] list (request id, CORS).
export function writeCached (cache: ResponseCache, entry: Entry, req: IncomingMessage, res: ServerResponse, extra: string[]): number {
  const lastModified = entry.headers['last-modified']
  if (notModified(req.headers, entry.etag, typeof lastModified === 'string' ? lastModified : undefined)) {
    const head = [...extra, 'x-cache', 'HIT']
    for (const [name, value] of Object.entries(entry.headers)) if (name !== 'content-type') head.push(name, String(value))
    res.writeHead(304, head)
    res.end()
    return 304
  }
  const { body, head } = cache.variant(entry, negotiateEncoding(req.headers['accept-encoding']))
  res.writeHead(200, extra.length > 0 ? extra.concat(head) : head)
  res.end(body)
  return 200
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => boolean

export function cacheFastPath (app: FastifyInstance): RawHandler | null {
  const cache = app.responseCache
  if (!cache) return null
  const cors = corsResponseHeaders(app.config.corsOrigins)
  const { metrics } = app
  return (req, res) => {
    if (!cacheable(req)) return false
    const entry = cache.get(req.url!)
    if (!entry) return false
    const started = performance.now()
    metrics.countCacheHit()
    const status = writeCached(cache, entry, req, res, ['x-request-id', genRequestId(req)].concat(cors(req.headers.origin)))
    metrics.observeRequest('GET', entry.route, status, (performance.now() - started) / 1000)
    return true
  }
}
