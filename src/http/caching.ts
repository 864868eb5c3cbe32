// HTTP caching semantics for every route: strong ETag on GET 200, 304 on a matching
// If-None-Match (or If-Modified-Since), default Cache-Control, Vary, Surrogate-Key, Server-Timing,
// and storing cacheable responses in the response cache.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { notModified, strongEtag } from './conditional.js'
import { addDatabaseTime, markHandlerStart, markRenderStart, serverTimingHeader } from './server-timing.js'
import { addSurrogateKeys, recordKeys, routeKeys, surrogateHeader, surrogateKeysDecorator } from './surrogate-keys.js'
import { cacheTagValue } from '../webhooks/purge.js'

// The Cache-Control of a public answer (also written by the article-document fast path).
export function publicCacheControl (config: Config): string {
  return `public, max-age=${config.cacheMaxAge}, stale-while-revalidate=${config.cacheStaleWhileRevalidate}`
}

async function cachingPlugin (app: FastifyInstance) {
  // the same keys as Cache-Tag when Cloudflare purges by tag (webhooks/purge.ts)
  const cacheTags = app.config.webhooks.purge.kind === 'cloudflare'
  const { config } = app
  const publicControl = publicCacheControl(config)
  app.decorateRequest('surrogateKeySet', null)
  app.decorateRequest('timing', null)
  app.store.timeStatements(addDatabaseTime)
  app.decorateReply('surrogateKeys', surrogateKeysDecorator)

  app.addHook('preHandler', (request, _reply, done) => {
    markHandlerStart(request)
    done()
  })

  app.addHook('preSerialization', (request, reply, payload, done) => {
    markRenderStart(request)
    if (request.method === 'GET' && reply.statusCode === 200) addSurrogateKeys(request, recordKeys(payload))
    done(null, payload)
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const read = request.method === 'GET' || request.method === 'HEAD'
    if (!reply.hasHeader('cache-control')) {
      // a request with credentials is never marked public: a shared cache would hand it to others
      const shared = read && reply.statusCode < 400 && request.headers.authorization === undefined
      reply.header('cache-control', shared ? publicControl : 'no-store')
    }
    reply.header('server-timing', serverTimingHeader(request, reply.elapsedTime))
    if (!read || reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return done()

    const vary = reply.getHeader('vary')
    if (vary === undefined) reply.header('vary', 'accept-encoding')
    else if (!/accept-encoding/i.test(String(vary))) reply.header('vary', `${String(vary)}, accept-encoding`)
    let etag = reply.getHeader('etag')
    if (typeof etag !== 'string') reply.header('etag', etag = strongEtag(payload))
    addSurrogateKeys(request, routeKeys(request.routeOptions.url))
    const keys = request.surrogateKeySet
    if (keys && keys.size > 0) {
      const header = surrogateHeader(keys)
      reply.header('surrogate-key', header)
      if (cacheTags) reply.header('cache-tag', cacheTagValue(header))
    }

    if (request.cacheGeneration >= 0) {
      if (String(reply.getHeader('cache-control')).startsWith('public')) request.cacheEntry = app.responseCache?.store(request, reply, payload, keys ?? []) ?? null
      reply.header('x-cache', 'MISS')
    }
    const lastModified = reply.getHeader('last-modified')
    if (notModified(request.headers, etag, typeof lastModified === 'string' ? lastModified : undefined)) {
      reply.code(304)
      reply.removeHeader('content-type')
      // no body and, unlike an empty string, no Content-Length: 0 (RFC 9110 8.6)
      return done(null, null)
    }
    done()
  })
}

export default fp(cachingPlugin, { name: 'caching', dependencies: ['response-cache'] })
