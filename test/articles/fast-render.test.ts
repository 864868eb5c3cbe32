// GET /v1/articles/{slug} rendered before Fastify (src/articles/fast-render.ts): the same bytes and
// headers as the Fastify route renders (reached here through another spelling of the URL, which the
// fast path leaves to Fastify), in every coding, with CORS, 304s, the response cache and metrics.
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeNewsroom, seedTaxonomy, story, type Newsroom } from '../management/helpers.js'

interface RawAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }

// one request on a raw socket: the body exactly as sent, still encoded
async function raw (t: Newsroom, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject).end()
  })
}

const PER_REQUEST = ['x-request-id', 'date', 'server-timing']
const comparable = (headers: RawAnswer['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.includes(name)))

async function newsroom (env: Record<string, string> = {}) {
  const t = await makeNewsroom({ env })
  await seedTaxonomy(t)
  await t.request.post('/v1/authors').set(t.auth).send({ slug: 'jane-doe', name: 'Jane "JD" Doe', kind: 'staff', bio: 'Line one\nline two \u2028 ü' }).expect(201)
  return t
}

async function publishedStory (t: Newsroom, overrides: Record<string, unknown> = {}, at?: string) {
  const created = await t.request.post('/v1/articles').set(t.auth).send(story(overrides)).expect(201)
  await t.request.post(`/v1/articles/${created.body.id}/publish`).set(t.auth).send(at ? { at } : {}).expect(200)
  return { id: created.body.id as number, slug: created.body.slug as string }
}

// a story with everything the answer can hold: several authors, tags, a nested section, a hero
// image, a long body (compressed), related stories live, scheduled and unpublished
async function richStory (t: Newsroom) {
  const live = await publishedStory(t, { headline: 'Earlier talks', section: 'sport' })
  const scheduled = await publishedStory(t, { headline: 'Embargoed' }, new Date(t.clock() + 60_000).toISOString())
  const draft = (await t.request.post('/v1/articles').set(t.auth).send(story({ headline: 'Draft' })).expect(201)).body.id as number
  return publishedStory(t, {
    headline: 'Talks "resume" in Paris — ü \u2028 <b>',
    standfirst: null,
    byline: null,
    authors: ['jane-doe', 'afp'],
    tags: ['paris', 'climate'],
    heroImage: { src: 'https://media.example.com/hero.jpg', alt: 'Hero', caption: 'A caption', credit: 'AFP', width: 1600, height: 900 },
    body: Array.from({ length: 30 }, (_, i) => ({ type: 'paragraph', text: `Paragraph ${i} of the talks, with "quotes" and \\ and \t.` })),
    relatedIds: [scheduled.id, live.id, draft],
  })
}

// the Fastify route's answer for the same article: a trailing slash is the same route to Fastify,
// and the fast path answers only the canonical spelling
const viaFastify = (slug: string) => `/v1/articles/${slug}/`

describe.each<{ name: string, env: Record<string, string> }>([
  { name: 'response cache off', env: { RESPONSE_CACHE: 'false' } },
  { name: 'response cache on', env: { RESPONSE_CACHE: 'true' } },
  { name: 'restricted CORS origins', env: { RESPONSE_CACHE: 'false', CORS_ORIGINS: 'https://reader.example.com' } },
])('the article fast path ($name)', ({ env }) => {
  it('answers byte for byte what the Fastify route answers, in every coding and for every origin', async () => {
    const t = await newsroom(env)
    const { slug } = await richStory(t)
    for (const coding of ['identity', 'gzip', 'br', 'gzip;q=0.5, br;q=0.1']) {
      for (const origin of ['https://reader.example.com', 'https://elsewhere.example.com']) {
        t.app.responseCache?.clear()
        const headers = { 'accept-encoding': coding, origin }
        const rendered = await raw(t, viaFastify(slug), headers)
        const fast = await raw(t, `/v1/articles/${slug}`, headers)
        expect(rendered.status).toBe(200)
        expect(fast.status).toBe(200)
        expect(fast.headers['server-timing']).toMatch(/^handler;dur=[\d.]+, db;dur=[\d.]+, render;dur=[\d.]+, total;dur=[\d.]+$/)
        expect(fast.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
        expect(comparable(fast.headers), coding).toEqual(comparable(rendered.headers))
        expect(fast.body.equals(rendered.body), coding).toBe(true)
      }
    }
    // a body under COMPRESSION_THRESHOLD is never compressed
    const short = await publishedStory(t, { headline: 'Short' })
    const fast = await raw(t, `/v1/articles/${short.slug}`, { 'accept-encoding': 'br' })
    const rendered = await raw(t, viaFastify(short.slug), { 'accept-encoding': 'br' })
    expect(fast.headers['content-encoding']).toBe(rendered.headers['content-encoding'])
    expect(fast.body.equals(rendered.body)).toBe(true)
  })

  it('keeps the client X-Request-Id and answers 304 to a matching If-None-Match', async () => {
    const t = await newsroom(env)
    const { slug } = await publishedStory(t)
    const first = await raw(t, `/v1/articles/${slug}`, { 'x-request-id': 'trace-1' })
    expect(first.headers['x-request-id']).toBe('trace-1')
    t.app.responseCache?.clear()
    const headers = { 'if-none-match': String(first.headers.etag) }
    const fast = await raw(t, `/v1/articles/${slug}`, headers)
    t.app.responseCache?.clear()
    const rendered = await raw(t, viaFastify(slug), headers)
    expect(fast.status).toBe(304)
    expect(rendered.status).toBe(304)
    expect(fast.body.length).toBe(0)
    expect(comparable(fast.headers)).toEqual(comparable(rendered.headers))
  })
})

describe('the article fast path', () => {
  // a render and a cache hit keep every byte of the body, compressed or not, multi-byte characters
  // included, under and over 16 KiB
  it.each([
    ['a story under 16 KiB', 40],
    ['a story over 16 KiB', 400],
  ])('keeps every byte of %s with multi-byte text, rendered and from the cache, in every coding', async (_name, paragraphs) => {
    const t = await newsroom({ RESPONSE_CACHE: 'true' })
    const text = 'Zürich — naïve café, 東京 📰 \u2028 "quoted" '
    const { slug } = await publishedStory(t, { body: Array.from({ length: paragraphs }, (_, i) => ({ type: 'paragraph', text: `${i} ${text}` })) })
    const expected = (await t.request.get(viaFastify(slug)).expect(200)).text
    expect(Buffer.byteLength(expected) > 16 * 1024).toBe(paragraphs > 100)
    const decode = { br: brotliDecompressSync, gzip: gunzipSync, identity: (b: Buffer) => b }
    for (const coding of ['identity', 'gzip', 'br'] as const) {
      t.app.responseCache!.clear()
      // a render, a render that fills the cache (the second read), then hits
      for (const cache of ['MISS', 'MISS', 'HIT', 'HIT']) {
        const res = await raw(t, `/v1/articles/${slug}`, { 'accept-encoding': coding })
        expect(res.headers['x-cache'], coding).toBe(cache)
        expect(res.headers['content-encoding'], coding).toBe(coding === 'identity' ? undefined : coding)
        expect(Number(res.headers['content-length']), coding).toBe(res.body.length)
        expect(decode[coding](res.body).toString('utf8'), `${coding} ${cache}`).toBe(expected)
      }
    }
  })

  it('leaves format, preview, credentialed and unknown reads to Fastify', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'false' })
    const { slug } = await publishedStory(t)
    const html = await t.request.get(`/v1/articles/${slug}?format=html`).expect(200)
    expect(html.body.bodyHtml).toContain('<p>')
    const preview = await t.request.get(`/v1/articles/${slug}?preview=true`).set(t.bearer(t.keys.previewer)).expect(200)
    expect(preview.headers['cache-control']).toBe('private, no-store')
    const keyed = await t.request.get(`/v1/articles/${slug}`).set(t.bearer(t.keys.previewer)).expect(200)
    expect(keyed.headers['cache-control']).toBe('no-store')
    const missing = await t.request.get('/v1/articles/no-such-story').expect(404)
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/)
    const scheduled = await publishedStory(t, { headline: 'Later' }, new Date(t.clock() + 60_000).toISOString())
    await t.request.get(`/v1/articles/${scheduled.slug}`).expect(404)
    t.clock.advance(60_000)
    await t.request.get(`/v1/articles/${scheduled.slug}`).expect(200)
  })

  it('counts its answers in the request metrics under the route pattern, and as response-cache misses', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'true' })
    const { slug } = await publishedStory(t)
    const misses = async () => Number(/^dateline_response_cache_misses_total (\d+)$/m.exec((await t.request.get('/metrics').expect(200)).text)![1])
    const before = await misses()
    const first = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(first.headers['x-cache']).toBe('MISS')
    t.app.responseCache!.clear()
    await t.request.get(`/v1/articles/${slug}`).set('if-none-match', String(first.headers.etag)).expect(304)
    // the two reads and the second scrape
    expect(await misses()).toBe(before + 3)
    const metrics = (await t.request.get('/metrics').expect(200)).text
    expect(metrics).toContain('http_requests_total{method="GET",route="/v1/articles/:article",status="200"} 1')
    expect(metrics).toContain('http_requests_total{method="GET",route="/v1/articles/:article",status="304"} 1')
  })

  it('fills the response cache from the second read of a URL on, and the next write to the article takes it away', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'true' })
    const { id, slug } = await publishedStory(t)
    const first = await t.request.get(`/v1/articles/${slug}`).set('accept-encoding', 'br').expect(200)
    expect(first.headers['x-cache']).toBe('MISS')
    expect(t.app.responseCache!.size).toBe(0)
    const rendered = await t.request.get(`/v1/articles/${slug}`).set('accept-encoding', 'br').expect(200)
    expect(rendered.headers['x-cache']).toBe('MISS')
    expect(t.app.responseCache!.size).toBe(1)
    expect(rendered.text).toBe(first.text)
    const hit = await t.request.get(`/v1/articles/${slug}`).set('accept-encoding', 'br').expect(200)
    expect(hit.headers['x-cache']).toBe('HIT')
    expect(hit.text).toBe(rendered.text)
    const same = (headers: Record<string, string>) => comparable(Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'x-cache')))
    expect(same(hit.headers)).toEqual(same(rendered.headers))
    await t.request.patch(`/v1/articles/${id}`).set(t.auth).send({ headline: 'Talks collapse' }).expect(200)
    const fresh = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fresh.headers['x-cache']).toBe('MISS')
    expect(fresh.body.headline).toBe('Talks collapse')
    // a first read again (its admission was used): stored on the next one, then a hit
    expect(t.app.responseCache!.size).toBe(0)
    await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(t.app.responseCache!.size).toBe(1)
    const again = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(again.headers['x-cache']).toBe('HIT')
    expect(again.body.headline).toBe('Talks collapse')
  })

  it('gives a cache hit the headers of the render that filled it, Vary once, whichever path answers', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'true', CORS_ORIGINS: 'https://reader.example.com' })
    const { slug } = await richStory(t)
    const headers = { 'accept-encoding': 'br', origin: 'https://reader.example.com' }
    const without = (answer: RawAnswer) => comparable(Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name !== 'x-cache')))
    const rendered = await raw(t, viaFastify(slug), headers)
    // the Fastify route stored it under its own URL: a hit before Fastify (raw request handler)
    const hit = await raw(t, viaFastify(slug), headers)
    expect(hit.headers['x-cache']).toBe('HIT')
    expect(hit.headers.vary).toBe('Origin, accept-encoding')
    expect(without(hit)).toEqual(without(rendered))
    expect(hit.body.equals(rendered.body)).toBe(true)
    // the same entry through Fastify's onRequest hook (app.inject never reaches the raw handler)
    const injected = await t.app.inject({ method: 'GET', url: viaFastify(slug), headers })
    expect(injected.headers['x-cache']).toBe('HIT')
    expect(injected.headers.vary).toBe('Origin, accept-encoding')
    expect(injected.headers['access-control-allow-origin']).toBe('https://reader.example.com')
    expect(injected.rawPayload.equals(rendered.body)).toBe(true)
    // the article render before Fastify, admitted on its second read, then a hit
    await raw(t, `/v1/articles/${slug}`, headers)
    const admitted = await raw(t, `/v1/articles/${slug}`, headers)
    const fastHit = await raw(t, `/v1/articles/${slug}`, headers)
    expect(admitted.headers['x-cache']).toBe('MISS')
    expect(fastHit.headers['x-cache']).toBe('HIT')
    expect(fastHit.headers['server-timing']).toBeUndefined()
    expect(without(fastHit)).toEqual(without(admitted))
    expect(fastHit.body.equals(rendered.body)).toBe(true)
  })
})

// PostgreSQL reads the row asynchronously: the request is taken, then answered or handed to Fastify.
// Here the store's read is wrapped (on SQLite too, which then takes the same path) to make it fail,
// wait or hang; the database behind it is the real one.
describe('the article fast path reading asynchronously', () => {
  type Read = Newsroom['store']['delivery']['articles']['liveArticleRow']
  const wrapRead = (t: Newsroom, wrap: (read: Read) => Read) => {
    const articles = t.app.store.delivery.articles as { liveArticleRow: Read }
    articles.liveArticleRow = wrap(articles.liveArticleRow.bind(articles))
  }

  it('answers what Fastify answers when the read resolves later, and hands an unknown slug or a failed read to Fastify', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'false' })
    const { slug } = await richStory(t)
    let reads = 0
    let fail = false
    wrapRead(t, (read) => async (s, now) => {
      reads++
      if (fail) throw new Error('connection terminated')
      return await read(s, now)
    })
    const headers = { 'accept-encoding': 'br' }
    const fast = await raw(t, `/v1/articles/${slug}`, headers)
    const rendered = await raw(t, viaFastify(slug), headers)
    expect(reads).toBe(1)
    expect(fast.status).toBe(200)
    expect(comparable(fast.headers)).toEqual(comparable(rendered.headers))
    expect(fast.body.equals(rendered.body)).toBe(true)
    const missing = await t.request.get('/v1/articles/no-such-story').expect(404)
    expect(missing.body).toMatchObject({ status: 404, type: '/problems/not-found' })
    expect(reads).toBe(2)
    // Fastify's route reads again, here successfully
    fail = true
    const handed = await raw(t, `/v1/articles/${slug}`, headers)
    expect(reads).toBe(3)
    expect(handed.status).toBe(200)
    expect(handed.body.equals(rendered.body)).toBe(true)
  })

  it('does not store in the response cache an answer read before a write that lands while it is written', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'true' })
    const { id, slug } = await publishedStory(t)
    // the first read admits the URL: the second would be stored
    expect((await t.request.get(`/v1/articles/${slug}`).expect(200)).body.headline).not.toBe('Talks collapse')
    let release!: () => void
    const gate = new Promise<void>((resolve) => { release = resolve })
    let readDone!: () => void
    const read = new Promise<void>((resolve) => { readDone = resolve })
    wrapRead(t, (original) => async (s, now) => {
      const row = await original(s, now)
      readDone()
      await gate
      return row
    })
    const pending = t.request.get(`/v1/articles/${slug}`).then((res) => res)
    await read
    await t.request.patch(`/v1/articles/${id}`).set(t.auth).send({ headline: 'Talks collapse' }).expect(200)
    release()
    const stale = await pending
    expect(stale.status).toBe(200)
    expect(stale.body.headline).not.toBe('Talks collapse')
    expect(t.app.responseCache!.size).toBe(0)
    const fresh = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fresh.headers['x-cache']).toBe('MISS')
    expect(fresh.body.headline).toBe('Talks collapse')
  })

  it.each([
    ['REQUEST_TIMEOUT_MS', { REQUEST_TIMEOUT_MS: '800', CONNECTION_TIMEOUT_MS: '0' }],
    ['CONNECTION_TIMEOUT_MS (the connection idles meanwhile)', { REQUEST_TIMEOUT_MS: '0', CONNECTION_TIMEOUT_MS: '800' }],
  ])('answers a read that outlasts %s with the 503 problem, once', async (_limit, env) => {
    const t = await newsroom({ RESPONSE_CACHE: 'false', ...env })
    const { slug } = await publishedStory(t)
    // the database answers neither read: the render's nor, once handed over, Fastify's route's
    wrapRead(t, () => async () => await new Promise(() => {}))
    const articles = t.app.store.delivery.articles as { findBySlug: unknown }
    articles.findBySlug = async () => await new Promise(() => {})
    const started = Date.now()
    const res = await t.request.get(`/v1/articles/${slug}`)
    expect(res.status).toBe(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ status: 503, type: '/problems/service-unavailable' })
    // Fastify answered within the time the render left it, not after a second timeout of its own
    expect(Date.now() - started).toBeLessThan(1500)
  })
})
