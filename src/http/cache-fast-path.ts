// Answers response-cache hits straight from Node's request handler, before Fastify builds a
// request: the path taken when everyone reads the same story. It does what the Fastify path would:
// request id, CORS headers, 304s, compression variants, metrics. Anything else falls through.
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { corsResponseHeaders } from './cors.js'
import { genRequestId } from './request-id.js'
import { cacheable, writeCached } from './response-cache.js'

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
    metrics.cacheHits.inc()
    const status = writeCached(cache, entry, req, res, ['x-request-id', genRequestId(req)].concat(cors(req.headers.origin)))
    metrics.observeRequest('GET', entry.route, status, (performance.now() - started) / 1000)
    return true
  }
}
