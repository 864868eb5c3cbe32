// SSRF safety: endpoint URLs must be https: (http: only with WEBHOOK_ALLOW_HTTP=true) and may not
// point to internal addresses, checked at creation (400) and again at delivery on the resolved
// address (a name that resolves to 127.0.0.1: `localhost`). Both engines.
import { describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/keys/repository.js'
import { isForbiddenAddress } from '../../src/webhooks/ssrf.js'
import { makeApp, makeClock } from '../helpers.js'
import { startReceiver } from './receiver.js'

const SECRET_KEY = { WEBHOOK_SECRET_KEY: 'test-webhook-secret-key-0123456789abcdef' }

async function app (env: Record<string, string> = {}) {
  const ctx = await makeApp({ env: { ...SECRET_KEY, ...env }, clock: makeClock(Date.now()) })
  const key = await createApiKey(ctx.store, { name: 'hooks', scopes: ['webhooks:manage'], now: ctx.clock() })
  return { ...ctx, auth: { authorization: `Bearer ${key}` } }
}

describe('webhook URL safety', () => {
  it.each([
    ['http://hooks.example.com/x', 'https:'],
    ['ftp://hooks.example.com/x', 'https:'],
    ['https://user:pw@hooks.example.com/x', 'user name or password'],
    ['https://127.0.0.1/x', '127.0.0.1'],
    ['https://127.1.2.3:8443/x', 'internal'],
    ['https://10.0.0.5/x', 'internal'],
    ['https://172.16.3.4/x', 'internal'],
    ['https://192.168.1.1/x', 'internal'],
    ['https://100.64.0.1/x', 'internal'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['https://0.0.0.0/x', 'internal'],
    ['https://[::1]/x', 'internal'],
    ['https://[fd12:3456::1]/x', 'internal'],
    ['https://[fe80::1]/x', 'internal'],
    ['https://[::ffff:127.0.0.1]/x', 'internal'],
    ['https://[::ffff:a9fe:a9fe]/x', 'internal'],
    ['https://localhost/x', 'resolves to'],
  ])('refuses %s at creation with a 400 problem', async (url, says) => {
    const ctx = await app()
    const res = await ctx.request.post('/v1/webhooks').set(ctx.auth).send({ url, events: ['tag.changed'] }).expect(400)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(res.body.errors[0].path).toBe('body.url')
    expect(res.body.detail).toContain(says)
    // a PATCH to such a URL too
    const ok = await ctx.request.post('/v1/webhooks').set(ctx.auth).send({ url: 'https://hooks.example.com/x', events: ['tag.changed'] }).expect(201)
    await ctx.request.patch(`/v1/webhooks/${ok.body.id}`).set(ctx.auth).send({ url }).expect(400)
  })

  it('allows http: with WEBHOOK_ALLOW_HTTP and internal addresses with WEBHOOK_ALLOW_PRIVATE', async () => {
    const httpOnly = await app({ WEBHOOK_ALLOW_HTTP: 'true' })
    await httpOnly.request.post('/v1/webhooks').set(httpOnly.auth).send({ url: 'http://hooks.example.com/x', events: ['tag.changed'] }).expect(201)
    await httpOnly.request.post('/v1/webhooks').set(httpOnly.auth).send({ url: 'http://127.0.0.1:9/x', events: ['tag.changed'] }).expect(400)
    const open = await app({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' })
    await open.request.post('/v1/webhooks').set(open.auth).send({ url: 'http://127.0.0.1:9/x', events: ['tag.changed'] }).expect(201)
  })

  it('refuses at delivery time a name that now resolves to 127.0.0.1 (DNS rebinding), without connecting', async () => {
    const ctx = await app({ WEBHOOK_ALLOW_HTTP: 'true' })
    const receiver = await startReceiver()
    const created = await ctx.request.post('/v1/webhooks').set(ctx.auth).send({ url: 'https://hooks.example.com/x', events: ['tag.changed'] }).expect(201)
    // the name the endpoint uses now points to the receiver on loopback (as a rebinding DNS answer would)
    await ctx.store.tx((repos) => repos.webhooks.updateEndpoint(created.body.id, { url: `http://localhost:${receiver.port}/x`, now: ctx.clock() }))
    await ctx.store.tx((repos) => repos.outbox.emit('tag.changed', { slug: 'x', surrogateKeys: ['*'] }))
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(0)
    const [delivery] = (await ctx.request.get(`/v1/webhooks/${created.body.id}/deliveries`).set(ctx.auth).expect(200)).body.items
    expect(delivery.status).toBe('pending')
    expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/refused: localhost resolves to (127\.0\.0\.1|::1)/) })
  })

  it('refuses at delivery time an internal address literal', async () => {
    const ctx = await app({ WEBHOOK_ALLOW_HTTP: 'true' })
    const receiver = await startReceiver()
    const created = await ctx.request.post('/v1/webhooks').set(ctx.auth).send({ url: 'https://hooks.example.com/x', events: ['tag.changed'] }).expect(201)
    await ctx.store.tx((repos) => repos.webhooks.updateEndpoint(created.body.id, { url: `${receiver.url}/x`, now: ctx.clock() }))
    await ctx.store.tx((repos) => repos.outbox.emit('tag.changed', { slug: 'x', surrogateKeys: ['*'] }))
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(0)
    const [delivery] = (await ctx.request.get(`/v1/webhooks/${created.body.id}/deliveries`).set(ctx.auth).expect(200)).body.items
    expect(delivery.attempts[0].error).toMatch(/^refused: .*127\.0\.0\.1/)
  })

  it('classifies addresses', () => {
    for (const bad of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.127.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fdff::1', 'fe80::abcd', '::ffff:10.0.0.1', '64:ff9b::7f00:1', 'not an ip']) {
      expect(isForbiddenAddress(bad), bad).toBe(true)
    }
    for (const good of ['93.184.216.34', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) {
      expect(isForbiddenAddress(good), good).toBe(false)
    }
  })
})
