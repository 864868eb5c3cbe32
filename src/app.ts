// buildApp wires Dateline together: cross-cutting http/ plugins first, then one line per feature.
// It never listens and never reads the environment; server.ts and the tests call it.
import Fastify, { type FastifyServerOptions } from 'fastify'
import { createServer } from 'node:http'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from './config.js'
import type { Db } from './db/connection.js'
import { cacheFastPath, type RawHandler } from './http/cache-serving.js'
import caching from './http/caching.js'
import compression from './http/compression.js'
import cors from './http/cors.js'
import metrics from './http/metrics.js'
import openapi from './http/openapi.js'
import problem from './http/problem.js'
import rateLimitHeaders from './http/rate-limit-headers.js'
import requestId, { genRequestId } from './http/request-id.js'
import responseCache from './http/response-cache.js'
import operationsRoutes from './operations/routes.js'

export type Clock = () => number

export interface AppDeps {
  db: Db
  config: Config
  clock?: Clock
  logger?: FastifyServerOptions['logger']
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    config: Config
    clock: Clock
  }
}

export async function buildApp ({ db, config, clock = Date.now, logger = false }: AppDeps) {
  // cache hits are answered before Fastify sees the request (http/cache-serving.ts)
  let fastPath: RawHandler | null = null
  const app = Fastify({
    serverFactory: (handler) => {
      const server = createServer((req, res) => { if (fastPath === null || !fastPath(req, res)) handler(req, res) })
      server.keepAliveTimeout = 72_000
      return server
    },
    logger,
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // the client's X-Request-Id is validated by genRequestId, never taken as is
    requestIdHeader: false,
    genReqId: genRequestId,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('db', db)
  app.decorate('config', config)
  app.decorate('clock', clock)

  await app.register(requestId)
  await app.register(problem)
  await app.register(metrics)
  await app.register(cors)
  await app.register(compression)
  await app.register(responseCache)
  await app.register(caching)
  await app.register(rateLimitHeaders)
  await app.register(openapi)
  fastPath = cacheFastPath(app)
  app.addHook('preClose', async () => { fastPath = null })

  await app.register(operationsRoutes)

  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
