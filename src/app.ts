// buildApp wires Dateline together: cross-cutting http/ plugins first, then one line per feature.
// It never listens and never reads the environment; server.ts and the tests call it.
import Fastify, { type FastifyServerOptions } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from './config.js'
import type { Db } from './db/connection.js'
import { serverLimits } from './http/limits.js'
import openapi from './http/openapi.js'
import overload from './http/overload.js'
import problem, { answerFrameworkError } from './http/problem.js'
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
  const app = Fastify({
    logger,
    ...serverLimits(config),
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    requestIdHeader: 'x-request-id',
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('db', db)
  app.decorate('config', config)
  app.decorate('clock', clock)

  await app.register(problem)
  await app.register(overload)
  await app.register(openapi)

  await app.register(operationsRoutes)

  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
