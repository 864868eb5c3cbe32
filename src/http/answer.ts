// The one answer path for representations held in memory. A response cache hit (answered before
// Fastify builds a request, or in its onRequest hook for app.inject) and the article rendered before
// Fastify (articles/fast-render.ts) are written here and only here: the request id and CORS
// headers, the 304 for matching validators, the negotiated content coding, X-Cache and the request
// metrics. Fastify's hooks give the answers it renders the same headers (request-id.ts, cors.ts,
// caching.ts, compression.ts, metrics.ts); test/articles/fast-render.test.ts compares both, header
// for header, in every coding.
//
// What a cache hit carries and why (a hit is the answer a busy node gives most): the representation
// headers a client or CDN uses (Content-Type, Content-Length, Content-Encoding, ETag, Cache-Control,
// Vary, Surrogate-Key, Last-Modified, Link), X-Request-Id (support asks for it), the CORS headers
// (a CDN keeps one copy for every origin, so they are sent with or without an Origin header) and
// X-Cache. Server-Timing is left off a hit: it said only "cache hit", which X-Cache says.
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { notModified } from './conditional.js'
import { corsResponseHeaders } from './cors.js'
import { genRequestId } from './request-id.js'

export type Encoding = 'br' | 'gzip' | 'identity'

// one coding of a representation: its body and its head as a flat [name, value, ...] list
export interface Variant { body: Buffer, head: string[] }

export interface Representation {
  etag: string
  // the representation's headers (content-type, etag, cache-control, vary, surrogate-key, ...)
  headers: OutgoingHttpHeaders
  identity: Buffer
  // worth compressing: over COMPRESSION_THRESHOLD and of a textual type
  compressible: boolean
  variants: Partial<Record<Encoding, Variant>>
}

// Makes (or finds) the body in one coding; the response cache keeps what it makes.
export type VariantOf<R extends Representation> = (representation: R, wanted: Encoding) => Variant

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

// Answers from memory may be given to GETs without credentials only.
export function cacheable (request: { method?: string, headers: IncomingMessage['headers'] }): boolean {
  return request.method === 'GET' && request.headers.authorization === undefined
}

// The head of one coding: the representation headers, then the coding and length.
export function variantHead (headers: OutgoingHttpHeaders, encoding: Encoding, length: number): string[] {
  const head: string[] = []
  for (const [name, value] of Object.entries(headers)) head.push(name, String(value))
  if (encoding !== 'identity') head.push('content-encoding', encoding)
  head.push('content-length', String(length))
  return head
}

// Writes the answer: 304 when the client's validators match, else 200 in the negotiated coding.
// `perResponse` holds the headers of this response only (request id, CORS, X-Cache) as a flat
// [name, value, ...] list; it is not kept. `timing` gives a Server-Timing value once the body is
// ready (a rendered answer has one, a hit none). Returns the status.
export function answer<R extends Representation> (req: IncomingMessage, res: ServerResponse, representation: R, variantOf: VariantOf<R>, perResponse: string[], timing?: () => string): number {
  const lastModified = representation.headers['last-modified']
  if (notModified(req.headers, representation.etag, typeof lastModified === 'string' ? lastModified : undefined)) {
    for (const [name, value] of Object.entries(representation.headers)) if (name !== 'content-type') perResponse.push(name, String(value))
    if (timing) perResponse.push('server-timing', timing())
    res.writeHead(304, perResponse)
    res.end()
    return 304
  }
  const { body, head } = variantOf(representation, negotiateEncoding(req.headers['accept-encoding']))
  if (timing) perResponse.push('server-timing', timing())
  res.writeHead(200, perResponse.length > 0 ? perResponse.concat(head) : head)
  res.end(body)
  return 200
}

// A handler tried before Fastify: true when it answered, or took the request to answer later (an
// asynchronous read). One that took it and then cannot answer hands it to Fastify with `fallback`
// (Fastify's own request handler), after handOver() when time was spent on it.
export type RawHandler = (req: IncomingMessage, res: ServerResponse, fallback: (req: IncomingMessage, res: ServerResponse) => void) => boolean

// When a request handed to Fastify late must be answered (performance.now() time): what a raw
// handler spent counts against REQUEST_TIMEOUT_MS (http/problem.ts times Fastify's part from it).
const deadlines = new WeakMap<IncomingMessage, number>()
export function handOver (req: IncomingMessage, deadline: number): void {
  deadlines.set(req, deadline)
}
export const deadlineOf = (req: IncomingMessage): number | undefined => deadlines.get(req)

export interface Answerer {
  // the request id and CORS headers Fastify's hooks would add, as a fresh flat list
  perRequest: (req: IncomingMessage) => string[]
  // answers and counts the request in the metrics (route: the route pattern; started: performance.now())
  send: <R extends Representation>(req: IncomingMessage, res: ServerResponse, representation: R, variantOf: VariantOf<R>, perResponse: string[], route: string, started: number, timing?: () => string) => number
}

export function answerer (app: FastifyInstance): Answerer {
  const cors = corsResponseHeaders(app.config.corsOrigins)
  const { metrics } = app
  return {
    perRequest: (req) => ['x-request-id', genRequestId(req)].concat(cors(req.headers.origin)),
    send: (req, res, representation, variantOf, perResponse, route, started, timing) => {
      const status = answer(req, res, representation, variantOf, perResponse, timing)
      metrics.observeRequest('GET', route, status, (performance.now() - started) / 1000)
      return status
    },
  }
}

// Response cache hits, straight from Node's request handler: the path taken when everyone reads the
// same story.
export function cacheFastPath (app: FastifyInstance): RawHandler | null {
  const cache = app.responseCache
  if (!cache) return null
  const { metrics } = app
  const { perRequest, send } = answerer(app)
  const variantOf = cache.variantOf
  return (req, res) => {
    if (!cacheable(req)) return false
    const entry = cache.get(req.url!)
    if (!entry) return false
    const started = performance.now()
    metrics.countCacheHit()
    const head = perRequest(req)
    head.push('x-cache', 'HIT')
    send(req, res, entry, variantOf, head, entry.route, started)
    return true
  }
}
