// buildApp wires Dateline together: cross-cutting http/ plugins first, then one line per feature.
// It never listens and never reads the environment; server.ts and the tests call it.
import Fastify, { type FastifyServerOptions } from 'fastify'
import { createServer } from 'node:http'
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from './config.js'
import type { Store } from './db/store.js'
import managementArticleRoutes from './articles/management-routes.js'
import { articleFastPath } from './articles/fast-render.js'
import articleRoutes from './articles/routes.js'
import managementAuthorRoutes from './authors/management-routes.js'
import authorRoutes from './authors/routes.js'
import managementCollectionRoutes from './collections/management-routes.js'
import collectionRoutes from './collections/routes.js'
import feedsRoutes from './feeds/routes.js'
import managementLiveblogRoutes from './liveblogs/management-routes.js'
import liveblogRoutes from './liveblogs/routes.js'
import liveHub from './liveblogs/stream.js'
import liveblogFeedRoutes from './liveblogs/feed-routes.js'
import frontRoutes from './fronts/routes.js'
import auth from './http/auth.js'
import body from './http/body.js'
import { cacheFastPath, type RawHandler } from './http/answer.js'
import caching from './http/caching.js'
import compression from './http/compression.js'
import { routerOptions } from './http/allowed-methods.js'
import cors from './http/cors.js'
import { cursorCodec, type Cursors } from './http/cursor.js'
import { serverLimits } from './http/limits.js'
import metrics from './http/metrics.js'
import openapi from './http/openapi.js'
import overload from './http/overload.js'
import problem, { answerFrameworkError } from './http/problem.js'
import rateLimitHeaders from './http/rate-limit-headers.js'
import requestId, { genRequestId } from './http/request-id.js'
import responseCache from './http/response-cache.js'
import { responseSerializer } from './http/serializer.js'
import operationsRoutes from './operations/routes.js'
import relatedRoutes from './related/routes.js'
import searchRoutes from './search/routes.js'
import sectionRoutes from './sections/routes.js'
import managementSectionRoutes from './sections/management-routes.js'
import { signingSecret } from './settings/repository.js'
import sitemapsRoutes from './sitemaps/routes.js'
import syncRoutes from './sync/routes.js'
import tagRoutes from './tags/routes.js'
import managementTagRoutes from './tags/management-routes.js'
import viewBuffer from './views/buffer.js'
import viewRoutes from './views/routes.js'
import webhooks from './webhooks/plugin.js'
import webhookRoutes from './webhooks/routes.js'

export type Clock = () => number

export interface AppDeps {
  store: Store
  config: Config
  clock?: Clock
  logger?: FastifyServerOptions['logger']
}

declare module 'fastify' {
  interface FastifyInstance {
    // the storage seam: every read and write goes through store.repos or store.tx (db/store.ts)
    store: Store
    config: Config
    clock: Clock
    // the one signing secret (CURSOR_SECRET or stored in the database): cursors now, sync tokens later
    signingSecret: string
    // pagination cursors signed with signingSecret
    cursors: Cursors
    // every route as registered, "METHOD /url" (the feature routes; for tests that must cover them all)
    registeredRoutes: string[]
  }
}

export async function buildApp ({ store, config, clock = Date.now, logger = false }: AppDeps) {
  // cache hits (and the article render) are answered before Fastify sees the request (http/answer.ts)
  let fastPath: RawHandler | null = null
  const limits = serverLimits(config)
  const app = Fastify({
    // a custom server gets the limits Fastify would set on its own (see http/limits.ts)
    serverFactory: (handler) => {
      const server = createServer(limits.http ?? {}, (req, res) => {
        let answered = false
        try {
          answered = fastPath !== null && fastPath(req, res, handler)
        } catch (error) {
          // a fast path that fails (a SQLite error rendering an article) must not escape the
          // request listener and take the process down: Fastify answers instead, as on a miss
          app.log.error({ err: error }, 'fast path failed')
          answered = res.headersSent
          if (answered && !res.writableEnded) res.destroy()
        }
        if (!answered) handler(req, res)
      })
      server.keepAliveTimeout = config.keepAliveTimeout
      server.requestTimeout = config.requestTimeout
      server.setTimeout(config.connectionTimeout)
      return server
    },
    logger,
    ...limits,
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY)
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    routerOptions,
    frameworkErrors: answerFrameworkError,
    // the client's X-Request-Id is validated by genRequestId, never taken as is
    requestIdHeader: false,
    genReqId: genRequestId,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(responseSerializer(config.responseValidation))
  app.decorate('store', store)
  // why this process's caches dropped everything, and the LISTEN connection's losses and recoveries
  const unwatch = store.feed.watch((event) => {
    if (event.event === 'listening') app.log.info(event, 'change feed: LISTEN is back')
    else if (event.event === 'reset') app.log.warn(event, `change feed: caches dropped everything (${event.reason})`)
    else app.log.warn(event, 'change feed: LISTEN connection lost')
  })
  app.addHook('onClose', async () => { unwatch() })
  // other processes' changes reach this one from the start, whoever subscribes (the response cache,
  // live blog streams, the beacon and section memos), with the response cache on or off. A database
  // that cannot be reached now does not stop the start: the listener keeps retrying, and nothing is
  // answered from memory until it is back (store.following).
  app.addHook('onReady', async () => { await store.follow().catch(() => {}) })
  app.decorate('config', config)
  app.decorate('clock', clock)
  const secret = await signingSecret(store, config)
  app.decorate('signingSecret', secret)
  app.decorate('cursors', cursorCodec(secret))

  await app.register(requestId)
  await app.register(problem)
  await app.register(body)
  await app.register(overload)
  await app.register(metrics)
  await app.register(cors)
  await app.register(compression)
  await app.register(responseCache)
  await app.register(caching)
  await app.register(rateLimitHeaders)
  await app.register(openapi)
  await app.register(auth)
  fastPath = firstOf(cacheFastPath(app), articleFastPath(app))
  app.addHook('preClose', async () => { fastPath = null })

  const registeredRoutes: string[] = []
  app.decorate('registeredRoutes', registeredRoutes)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registeredRoutes.push(`${method} ${route.url}`)
  })

  await app.register(operationsRoutes)
  await app.register(viewBuffer)
  await app.register(liveHub)
  await app.register(webhooks)

  await app.register(articleRoutes, { prefix: '/v1/articles' })
  await app.register(relatedRoutes, { prefix: '/v1/articles' })
  await app.register(managementArticleRoutes, { prefix: '/v1/articles' })
  await app.register(liveblogRoutes, { prefix: '/v1/articles' })
  await app.register(managementLiveblogRoutes, { prefix: '/v1/articles' })
  await app.register(sectionRoutes, { prefix: '/v1/sections' })
  await app.register(managementSectionRoutes, { prefix: '/v1/sections' })
  await app.register(tagRoutes, { prefix: '/v1/tags' })
  await app.register(managementTagRoutes, { prefix: '/v1/tags' })
  await app.register(authorRoutes, { prefix: '/v1/authors' })
  await app.register(managementAuthorRoutes, { prefix: '/v1/authors' })
  await app.register(collectionRoutes, { prefix: '/v1/collections' })
  await app.register(managementCollectionRoutes, { prefix: '/v1/collections' })
  await app.register(frontRoutes, { prefix: '/v1/fronts' })
  await app.register(searchRoutes, { prefix: '/v1/search' })
  await app.register(viewRoutes, { prefix: '/v1' })
  await app.register(feedsRoutes, { prefix: '/v1/feeds' })
  await app.register(liveblogFeedRoutes, { prefix: '/v1/feeds' })
  await app.register(sitemapsRoutes, { prefix: '/v1/sitemaps' })
  await app.register(syncRoutes, { prefix: '/v1/sync' })
  await app.register(webhookRoutes, { prefix: '/v1/webhooks' })

  return app
}

// Two raw handlers tried in order (memory cache, then the article render); either alone when the
// other is off.
function firstOf (a: RawHandler | null, b: RawHandler | null): RawHandler | null {
  if (!a || !b) return a ?? b
  return (req, res, fallback) => a(req, res, fallback) || b(req, res, fallback)
}

export type App = Awaited<ReturnType<typeof buildApp>>
