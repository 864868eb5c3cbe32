import rateLimit from '@fastify/rate-limit'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { rateLimitHeaderOptions } from '../../src/http/rate-limit-headers.js'
import { makeApp } from '../helpers.js'
import { registerTestRoutes, seedNewsroom } from './fixtures.js'

const setup = (env: Record<string, string> = {}) => makeApp({ env, seed: seedNewsroom, routes: registerTestRoutes })

describe('compression', () => {
  it.each([
    ['br', 'gzip, deflate, br', 'br'],
    ['gzip', 'gzip, deflate', 'gzip'],
    ['gzip by preference', 'br;q=0.5, gzip', 'gzip'],
    ['identity', 'identity', undefined],
    ['identity without Accept-Encoding', undefined, undefined],
  ])('negotiates %s, on a miss and on a cache hit', async (_name, accept, expected) => {
    const { app } = await setup()
    const bodies: Buffer[] = []
    for (const attempt of ['MISS', 'HIT']) {
      const res = await app.inject({ url: '/test/text?size=5000', headers: accept ? { 'accept-encoding': accept } : {} })
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-cache']).toBe(attempt)
      expect(res.headers['content-encoding']).toBe(expected)
      expect(res.headers.vary).toMatch(/accept-encoding/)
      const raw = res.rawPayload
      const body = expected === 'br' ? brotliDecompressSync(raw) : expected === 'gzip' ? gunzipSync(raw) : raw
      expect(JSON.parse(body.toString()).text).toHaveLength(5000)
      if (expected) expect(raw.length).toBeLessThan(1000)
      bodies.push(raw)
    }
    // the hit reuses the bytes compressed for the miss
    expect(bodies[1]!.equals(bodies[0]!)).toBe(true)
  })

  it('does not compress a body below COMPRESSION_THRESHOLD', async () => {
    const { app } = await setup()
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ url: '/test/text?size=500', headers: { 'accept-encoding': 'br, gzip' } })
      expect(res.headers['content-encoding']).toBeUndefined()
      expect(res.json().text).toHaveLength(500)
    }
  })
})

describe('CORS', () => {
  it('lets any origin read public responses by default, without credentials', async () => {
    const { request } = await setup()
    const res = await request.get('/test/latest').set('origin', 'https://anywhere.example').expect(200)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
    expect(res.headers['access-control-expose-headers']).toMatch(/ETag/)
  })

  it('with CORS_ORIGINS, allows only the listed origins, on misses and cache hits', async () => {
    const { request } = await setup({ CORS_ORIGINS: 'https://news.example.com,https://m.news.example.com' })
    for (let i = 0; i < 2; i++) {
      const allowed = await request.get('/test/latest').set('origin', 'https://m.news.example.com').expect(200)
      expect(allowed.headers['access-control-allow-origin']).toBe('https://m.news.example.com')
      expect(allowed.headers.vary).toMatch(/Origin/i)
      const denied = await request.get('/test/latest').set('origin', 'https://evil.example').expect(200)
      expect(denied.headers['access-control-allow-origin']).toBeUndefined()
    }
    const preflight = await request.options('/test/write')
      .set('origin', 'https://news.example.com').set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type').expect(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://news.example.com')
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/)
    const deniedPreflight = await request.options('/test/write')
      .set('origin', 'https://evil.example').set('access-control-request-method', 'POST')
    expect(deniedPreflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses a malformed CORS_ORIGINS at start-up', async () => {
    await expect(setup({ CORS_ORIGINS: 'news.example.com' })).rejects.toThrow(/CORS_ORIGINS/)
  })
})

describe('X-Request-Id', () => {
  it('echoes a plain client id and puts it into problem bodies', async () => {
    const { request } = await setup()
    const res = await request.get('/test/articles/nope').set('x-request-id', 'edge-7f3a.1:x').expect(404)
    expect(res.headers['x-request-id']).toBe('edge-7f3a.1:x')
    expect(res.body.requestId).toBe('edge-7f3a.1:x')
  })

  it.each([['too long', 'a'.repeat(129)], ['with markup', '<script>alert(1)</script>'], ['with spaces', 'a b'], ['empty', '']])(
    'replaces a %s id with a fresh UUID', async (_name, hostile) => {
      const { request } = await setup()
      const res = await request.get('/test/articles/nope').set('x-request-id', hostile).expect(404)
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
      expect(res.body.requestId).toBe(res.headers['x-request-id'])
    })

  it('generates an id when none is sent, different for each request, cached or not', async () => {
    const { request } = await setup()
    const ids = new Set<string>()
    for (let i = 0; i < 3; i++) ids.add((await request.get('/test/latest')).headers['x-request-id']!)
    expect(ids.size).toBe(3)
  })
})

describe('Server-Timing', () => {
  it('reports handler, db, render and total time on a miss; a hit says so in X-Cache only', async () => {
    const { request } = await setup()
    const miss = await request.get('/test/articles/talks-resume').expect(200)
    expect(miss.headers['server-timing']).toMatch(/^handler;dur=\d+\.\d\d, db;dur=\d+\.\d\d, render;dur=\d+\.\d\d, total;dur=\d+\.\d\d$/)
    const hit = await request.get('/test/articles/talks-resume').expect(200)
    expect(hit.headers['x-cache']).toBe('HIT')
    expect(hit.headers['server-timing']).toBeUndefined()
  })

  it('counts the database time of real delivery routes without any wrapping in the route', async () => {
    const { request } = await setup()
    const res = await request.get('/v1/articles').expect(200)
    expect(res.headers['server-timing']).toMatch(/^handler;dur=\d+\.\d\d, db;dur=\d+\.\d\d, render;dur=\d+\.\d\d, total;dur=\d+\.\d\d$/)
    // statements are timed on both engines (SQLite: the driver's Statement; PostgreSQL: postgres.js queries)
    const db = Number(/db;dur=([\d.]+)/.exec(res.headers['server-timing']!)![1])
    expect(db).toBeGreaterThan(0)
    const handler = Number(/handler;dur=([\d.]+)/.exec(res.headers['server-timing']!)![1])
    expect(db).toBeLessThanOrEqual(handler + 0.01)
  })
})

describe('RateLimit headers', () => {
  it('sends RateLimit-Policy and RateLimit where a rate limit applies, and 429 with Retry-After', async () => {
    const { request } = await makeApp({
      routes: async (app) => {
        await app.register(async (scope) => {
          await scope.register(rateLimit, { ...rateLimitHeaderOptions, global: false })
          scope.post('/test/views', { config: { rateLimit: { max: 2, timeWindow: 60_000 } } }, async (_req, reply) => reply.code(202).send())
        })
      },
    })
    const first = await request.post('/test/views').expect(202)
    expect(first.headers['ratelimit-policy']).toBe('"default";q=2;w=60')
    expect(first.headers.ratelimit).toBe('"default";r=1;t=60')
    expect(first.headers['ratelimit-limit']).toBeUndefined()
    await request.post('/test/views').expect(202)
    const limited = await request.post('/test/views').expect(429)
    expect(limited.headers['retry-after']).toBe('60')
    expect(limited.headers.ratelimit).toBe('"default";r=0;t=60')
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/)
    const plain = await request.get('/healthz').expect(200)
    expect(plain.headers['ratelimit-policy']).toBeUndefined()
  })
})
