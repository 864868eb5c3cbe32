// Prometheus metrics on a registry of this app instance (tests build many apps): request counts
// and latency by route and status, response-cache hits and misses, the page-view buffer, DB size.
// Other features register their own metrics on app.metrics.registry.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

export interface Metrics {
  registry: Registry
  cacheHits: Counter
  cacheMisses: Counter
  // the page-view buffer: set its size after each add and flush; observe each flush in seconds
  viewBufferSize: Gauge
  viewFlushDuration: Histogram
  cacheEntries: (read: () => { entries: number, bytes: number }) => void
  // counts one answered request (also called by the response cache's fast path, outside Fastify)
  observeRequest: (method: string, route: string, status: number, seconds: number) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

type Pair = { count: Counter.Internal, duration: Histogram.Internal<string> }

async function metricsPlugin (app: FastifyInstance) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  })
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  let readCache: () => { entries: number, bytes: number } = () => ({ entries: 0, bytes: 0 })
  const gauges = [new Gauge({
    name: 'dateline_response_cache_entries',
    help: 'Responses held by the in-process response cache.',
    registers: [registry],
    collect () { this.set(readCache().entries) },
  }), new Gauge({
    name: 'dateline_response_cache_bytes',
    help: 'Bytes held by the in-process response cache (bodies and compressed variants).',
    registers: [registry],
    collect () { this.set(readCache().bytes) },
  })]
  const pageCount = app.db.$client.prepare<[], { page_count: number }>('pragma page_count')
  const pageSize = app.db.$client.prepare<[], { page_size: number }>('pragma page_size')
  gauges.push(new Gauge({
    name: 'dateline_db_size_bytes',
    help: 'Size of the SQLite database file (page_count * page_size), read at scrape time.',
    registers: [registry],
    collect () { this.set((pageCount.get()?.page_count ?? 0) * (pageSize.get()?.page_size ?? 0)) },
  }))
  // label children are looked up once per (method, route, status): observe() stays cheap
  const children = new Map<string, Pair>()
  const observeRequest = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`
    let pair = children.get(key)
    if (!pair) {
      const labels = () => ({ method, route, status: String(status) })
      // separate label objects: prom-client keeps a reference to the one it is given
      pair = { count: requests.labels(labels()), duration: durations.labels(labels()) }
      children.set(key, pair)
    }
    pair.count.inc()
    pair.duration.observe(seconds)
  }
  const metrics: Metrics = {
    registry,
    cacheHits: new Counter({ name: 'dateline_response_cache_hits_total', help: 'GET requests answered from the response cache.', registers: [registry] }),
    cacheMisses: new Counter({ name: 'dateline_response_cache_misses_total', help: 'Cacheable GET requests not found in the response cache.', registers: [registry] }),
    viewBufferSize: new Gauge({ name: 'dateline_view_buffer_size', help: 'Page views buffered in memory, not yet written to the database.', registers: [registry] }),
    viewFlushDuration: new Histogram({
      name: 'dateline_view_flush_duration_seconds',
      help: 'Time to write the buffered page views to the database.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    cacheEntries: (read) => { readCache = read },
    observeRequest,
  }
  app.decorate('metrics', metrics)

  app.addHook('onResponse', (request, reply, done) => {
    observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    done()
  })
}

export default fp(metricsPlugin, { name: 'metrics' })
