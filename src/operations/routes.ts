// Operations endpoints: liveness and readiness probes, Prometheus metrics. Never cached.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { HttpProblem } from '../http/problem.js'

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' })

const operationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', async (_request, reply) => { reply.header('cache-control', 'no-store') })

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
  }, async (request) => {
    try {
      await app.store.ping()
    } catch (error) {
      // not ready while the database does not answer; the next probe asks again (the store
      // reconnects by itself), so readiness comes back without a restart
      request.log.warn({ err: error }, 'readiness: the database does not answer')
      throw new HttpProblem(503, 'unavailable', 'The database does not answer.')
    }
    return { status: 'ok' as const }
  })

  app.get('/metrics', {
    schema: {
      operationId: 'getMetrics',
      tags: ['Operations'],
      summary: 'Prometheus metrics',
      description: 'Prometheus text exposition format (version 0.0.4): `http_requests_total` and ' +
        '`http_request_duration_seconds` by method, route pattern and status; response-cache hits, misses, ' +
        'entries and bytes; page-view buffer size and flush latency; database size; process metrics.',
      response: {
        200: {
          description: 'The metrics, one sample per line.',
          content: { 'text/plain': { schema: z.string() } },
        },
      },
    },
  }, async (_request, reply) => {
    const text = await app.metrics.registry.metrics()
    return reply.type(app.metrics.registry.contentType).send(text)
  })
}

export default operationsRoutes
