// Load shedding: while the event loop lags or memory passes its ceiling, answer 503 problems with
// Retry-After instead of queueing work without bound. /healthz still answers (the process is alive);
// /readyz and everything else are shed, so a load balancer stops sending traffic.
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpProblem } from './problem.js'

const ALWAYS_ANSWERED = new Set(['/healthz', '/metrics'])

const REASONS: Record<string, string> = {
  eventLoopDelay: 'the server is too busy',
  heapUsedBytes: 'the server is short of memory',
  rssBytes: 'the server is short of memory',
  eventLoopUtilization: 'the server is too busy',
  healthCheck: 'a dependency is unhealthy',
}

export const serviceUnavailable = (detail: string, retryAfter: number) =>
  new HttpProblem(503, 'service-unavailable', detail, { headers: { 'retry-after': String(retryAfter) } })

async function overloadPlugin (app: FastifyInstance) {
  const { maxEventLoopDelay, maxHeapUsedBytes, maxRssBytes, sampleInterval, retryAfter } = app.config.overload
  await app.register(underPressure, {
    maxEventLoopDelay,
    maxHeapUsedBytes,
    maxRssBytes,
    sampleInterval,
    retryAfter,
    pressureHandler: async (request, _reply, type) => {
      if (ALWAYS_ANSWERED.has(request.routeOptions.url ?? '')) return
      throw serviceUnavailable(`Try again in ${retryAfter} seconds: ${REASONS[type] ?? 'the server is overloaded'}.`, retryAfter)
    },
  })
}

export default fp(overloadPlugin, { name: 'overload', dependencies: ['problem'] })
