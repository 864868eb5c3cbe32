// CDN purge through the outbox, against local servers standing in for the Fastly and Cloudflare
// APIs (their base URLs are configurable): paths, headers, bodies, chunking at each CDN's
// documented limits, purge-all for "*", and the signed purge webhook. Both engines.
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { FASTLY_KEYS_PER_REQUEST, CLOUDFLARE_TAGS_PER_REQUEST } from '../../src/webhooks/purge.js'
import { makeClock } from '../helpers.js'
import { makeNewsroom, seedTaxonomy, story } from '../management/helpers.js'
import { startReceiver, type Receiver } from './receiver.js'

const BASE = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SECRET_KEY: 'test-webhook-secret-key-0123456789abcdef' }

async function newsroom (env: Record<string, string>) {
  const ctx = await makeNewsroom({ env: { ...BASE, ...env }, clock: makeClock(Date.now()) })
  await seedTaxonomy(ctx)
  await ctx.app.webhooks.runOnce()
  return ctx
}

const fastly = (cdn: Receiver) => ({ CDN_PURGE: 'fastly', FASTLY_SERVICE_ID: 'svc123', FASTLY_API_TOKEN: 'fastly-token', FASTLY_API_URL: cdn.url })
const cloudflare = (cdn: Receiver) => ({ CDN_PURGE: 'cloudflare', CLOUDFLARE_ZONE_ID: 'zone9', CLOUDFLARE_API_TOKEN: 'cf-token', CLOUDFLARE_API_URL: `${cdn.url}/client/v4` })
const keys = (n: number) => Array.from({ length: n }, (_, i) => `article:${i + 1}`)

describe('CDN purge', () => {
  it('Fastly: POST /service/{id}/purge with the change\'s keys, once per change', async () => {
    const cdn = await startReceiver()
    const ctx = await newsroom(fastly(cdn))
    cdn.received.length = 0
    // a draft is out of the public's sight: nothing to purge until it is published
    const created = await ctx.request.post('/v1/articles').set(ctx.auth).send(story()).expect(201)
    await ctx.app.webhooks.runOnce()
    expect(cdn.received).toHaveLength(0)
    await ctx.request.post(`/v1/articles/${created.body.id}/publish`).set(ctx.auth).send({}).expect(200)
    await ctx.app.webhooks.runOnce()
    expect(cdn.received).toHaveLength(1)
    const [r] = cdn.received
    expect(r!.method).toBe('POST')
    expect(r!.url).toBe('/service/svc123/purge')
    expect(r!.headers['fastly-key']).toBe('fastly-token')
    expect(r!.headers['content-type']).toBe('application/json')
    expect(JSON.parse(r!.body)).toEqual({ surrogate_keys: [`article:${created.body.id}`, 'articles:list'] })
    await ctx.app.webhooks.runOnce()
    expect(cdn.received).toHaveLength(1)
  })

  it('Fastly: splits at 256 keys a request and purges all for "*" or a key over 1 KB', async () => {
    const cdn = await startReceiver()
    const ctx = await newsroom(fastly(cdn))
    cdn.received.length = 0
    await ctx.store.tx((repos) => repos.outbox.emit('collection.changed', { slug: 'big', surrogateKeys: keys(600) }))
    await ctx.app.webhooks.runOnce()
    expect(cdn.received.map((r) => JSON.parse(r.body).surrogate_keys.length)).toEqual([FASTLY_KEYS_PER_REQUEST, 256, 88])
    expect(cdn.received.flatMap((r) => JSON.parse(r.body).surrogate_keys)).toEqual(keys(600))
    cdn.received.length = 0
    await ctx.request.patch('/v1/tags/climate').set(ctx.auth).send({ name: 'Climate crisis' }).expect(200)
    await ctx.store.tx((repos) => repos.outbox.emit('collection.changed', { slug: 'long', surrogateKeys: ['fronts', `collection:${'x'.repeat(1100)}`] }))
    await ctx.app.webhooks.runOnce()
    expect(cdn.received.map((r) => [r.url, r.body])).toEqual([['/service/svc123/purge_all', ''], ['/service/svc123/purge_all', '']])
  })

  it('Cloudflare: POST /zones/{zone}/purge_cache {"tags"} in requests of 100, purge_everything for "*", Cache-Tag on responses', async () => {
    const cdn = await startReceiver()
    const ctx = await newsroom(cloudflare(cdn))
    cdn.received.length = 0
    await ctx.store.tx((repos) => repos.outbox.emit('collection.changed', { slug: 'big', surrogateKeys: keys(230) }))
    await ctx.app.webhooks.runOnce()
    expect(cdn.received.map((r) => r.url)).toEqual(Array(3).fill('/client/v4/zones/zone9/purge_cache'))
    expect(cdn.received[0]!.headers.authorization).toBe('Bearer cf-token')
    expect(cdn.received.map((r) => JSON.parse(r.body).tags.length)).toEqual([CLOUDFLARE_TAGS_PER_REQUEST, 100, 30])
    expect(cdn.received.flatMap((r) => JSON.parse(r.body).tags)).toEqual(keys(230))
    cdn.received.length = 0
    await ctx.request.patch('/v1/sections/sport').set(ctx.auth).send({ name: 'Sports' }).expect(200)
    await ctx.app.webhooks.runOnce()
    expect(cdn.received.map((r) => JSON.parse(r.body))).toEqual([{ purge_everything: true }])
    const res = await ctx.request.get('/v1/sections').expect(200)
    expect(res.headers['cache-tag']).toBe(String(res.headers['surrogate-key']).replaceAll(' ', ','))
  })

  it('retries a failed purge like a webhook', async () => {
    const cdn = await startReceiver()
    const ctx = await newsroom(fastly(cdn))
    cdn.received.length = 0
    cdn.respond({ status: 503, headers: { 'retry-after': '5' } })
    await ctx.store.tx((repos) => repos.outbox.emit('collection.changed', { slug: 'c', surrogateKeys: ['collection:c'] }))
    await ctx.app.webhooks.runOnce()
    ctx.clock.advance(5000)
    await ctx.app.webhooks.runOnce()
    expect(cdn.received.map((r) => r.body)).toEqual(Array(2).fill(JSON.stringify({ surrogate_keys: ['collection:c'] })))
  })

  it('webhook: a signed POST with the keys', async () => {
    const cdn = await startReceiver()
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
    const ctx = await newsroom({ CDN_PURGE: 'webhook', CDN_PURGE_WEBHOOK_URL: `${cdn.url}/purge`, CDN_PURGE_WEBHOOK_SECRET: secret })
    cdn.received.length = 0
    await ctx.request.put('/v1/collections/selected').set(ctx.auth).send({ name: 'Selected', items: [] }).expect(201)
    await ctx.app.webhooks.runOnce()
    expect(cdn.received).toHaveLength(1)
    const payload = new Webhook(secret).verify(cdn.received[0]!.body, cdn.received[0]!.headers as Record<string, string>)
    expect(payload).toMatchObject({ type: 'cdn.purge', data: { surrogateKeys: ['collection:selected', 'fronts'] } })
  })
})
