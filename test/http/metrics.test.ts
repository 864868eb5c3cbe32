import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'
import { registerTestRoutes, seedNewsroom } from './fixtures.js'

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${NAME}="(?:[^"\\\\]|\\\\.)*",?)*)\\})? (-?[0-9.]+(?:e[+-]?[0-9]+)?|[Nn]a[Nn]|[+-]Inf)$`)
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`)

interface Sample { name: string, labels: Record<string, string>, value: number }

// Checks every line against the text exposition format and returns the samples and declared types.
function parseExposition (text: string) {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n').filter((l) => l !== '')) {
    if (line.startsWith('# HELP ')) continue
    const type = TYPE.exec(line)
    if (type) { types.set(type[1]!, type[2]!); continue }
    const m = SAMPLE.exec(line)
    expect(m, line).not.toBeNull()
    const labels = Object.fromEntries([...(m![2] ?? '').matchAll(new RegExp(`(${NAME})="((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((l) => [l[1]!, l[2]!]))
    samples.push({ name: m![1]!, labels, value: Number(m![3]) })
  }
  return { samples, types }
}

async function scrape (request: Awaited<ReturnType<typeof makeApp>>['request']) {
  const res = await request.get('/metrics').expect(200)
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
  expect(res.headers['cache-control']).toBe('no-store')
  const { samples, types } = parseExposition(res.text)
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
  return { samples, types, value }
}

describe('GET /metrics', () => {
  it('exposes request counts and latency by route pattern and status, in Prometheus text format', async () => {
    const { request } = await makeApp({ seed: seedNewsroom, routes: registerTestRoutes })
    await request.get('/test/articles/talks-resume').expect(200)
    await request.get('/test/articles/aid-convoys-wait').expect(200)
    await request.get('/test/articles/nope').expect(404)
    await request.get('/no/such/route').expect(404)
    const { samples, types, value } = await scrape(request)
    expect(types.get('http_requests_total')).toBe('counter')
    expect(types.get('http_request_duration_seconds')).toBe('histogram')
    const route = '/test/articles/:slug'
    expect(value('http_requests_total', { method: 'GET', route, status: '200' })).toBe(2)
    expect(value('http_requests_total', { method: 'GET', route, status: '404' })).toBe(1)
    expect(value('http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1)
    expect(value('http_request_duration_seconds_count', { route, status: '200' })).toBe(2)
    expect(value('http_request_duration_seconds_bucket', { route, status: '200', le: '+Inf' })).toBe(2)
    // buckets are cumulative and end at +Inf = count; the sum is the seconds observed
    const buckets = samples.filter((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.route === route && s.labels.status === '200')
    expect(buckets.map((s) => s.labels.le)).toEqual(['0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'])
    expect(buckets.every((s, i) => i === 0 || s.value >= buckets[i - 1]!.value)).toBe(true)
    const sum = value('http_request_duration_seconds_sum', { route, status: '200' })!
    expect(sum).toBeGreaterThan(0)
    expect(sum).toBeLessThan(10)
    // bounded cardinality: raw URLs never become labels
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes('talks-resume') || v.includes('/no/such')))).toBe(false)
  })

  it('counts response-cache hits and misses and reports the cache and database size', async () => {
    const { request } = await makeApp({ seed: seedNewsroom, routes: registerTestRoutes })
    await request.get('/test/latest')
    await request.get('/test/latest')
    await request.get('/test/latest')
    const { value } = await scrape(request)
    expect(value('dateline_response_cache_hits_total')).toBe(2)
    // hits answered before Fastify still count under their route pattern
    expect(value('http_requests_total', { method: 'GET', route: '/test/latest', status: '200' })).toBe(3)
    // the scrape is a cacheable GET lookup too (and then marked no-store)
    expect(value('dateline_response_cache_misses_total')).toBe(2)
    expect(value('dateline_response_cache_entries')).toBe(1)
    expect(value('dateline_response_cache_bytes')).toBeGreaterThan(0)
    expect(value('dateline_db_size_bytes')).toBeGreaterThan(4096)
    // counts are totals: a second scrape reports them again, plus what happened since
    await request.get('/test/latest')
    const again = await scrape(request)
    expect(again.value('dateline_response_cache_hits_total')).toBe(3)
    expect(again.value('http_requests_total', { method: 'GET', route: '/test/latest', status: '200' })).toBe(4)
    expect(again.value('dateline_response_cache_misses_total')).toBe(3)
  })

  it('labels other methods apart from GET on the same route', async () => {
    const { request } = await makeApp()
    await request.get('/healthz').expect(200)
    await request.post('/healthz').expect(405)
    const { value } = await scrape(request)
    expect(value('http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(1)
    expect(value('http_requests_total', { method: 'POST', route: 'unmatched', status: '405' })).toBe(1)
    expect(value('http_requests_total', { method: 'GET', route: 'unmatched' })).toBeUndefined()
  })

  it('exposes the page-view buffer gauge and flush histogram that the view counter feeds', async () => {
    const { request, app } = await makeApp()
    app.metrics.viewBufferSize.set(42)
    app.metrics.viewFlushDuration.observe(0.002)
    const { value } = await scrape(request)
    expect(value('dateline_view_buffer_size')).toBe(42)
    expect(value('dateline_view_flush_duration_seconds_count')).toBe(1)
  })

  it('starts the request series from zero when the registry is reset', async () => {
    const { request, app } = await makeApp()
    await request.get('/healthz').expect(200)
    app.metrics.registry.resetMetrics()
    await request.get('/healthz').expect(200)
    const { value } = await scrape(request)
    expect(value('http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(1)
    expect(value('http_request_duration_seconds_count', { route: '/healthz', status: '200' })).toBe(1)
  })

  it('keeps a registry per app, so two apps do not share counts', async () => {
    const a = await makeApp()
    const b = await makeApp()
    await a.request.get('/healthz')
    await a.request.get('/healthz')
    expect((await scrape(a.request)).value('http_requests_total', { route: '/healthz' })).toBe(2)
    expect((await scrape(b.request)).value('http_requests_total', { route: '/healthz' })).toBeUndefined()
  })
})
