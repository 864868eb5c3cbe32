// Operations endpoints: liveness and readiness probes.
import { sql } from 'drizzle-orm'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' })

const operationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', {
    schema: {
      operationId: 'getHealth',
      tags: ['Operations'],
      summary: 'Liveness probe',
      description: 'Answers 200 while the process is up. Does not touch the database.',
      response: { 200: Health },
    },
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    schema: {
      operationId: 'getReadiness',
      tags: ['Operations'],
      summary: 'Readiness probe',
      description: 'Answers 200 when the database answers a query, 503 otherwise.',
      response: { 200: Health },
    },
  }, async () => {
    app.db.get(sql`select 1`)
    return { status: 'ok' as const }
  })
}

export default operationsRoutes
