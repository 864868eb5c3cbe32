// Webhooks end to end against real local receivers: Standard Webhooks signatures checked by the
// `standardwebhooks` package, the outbox written in the change's transaction, filtering, retries
// with back-off (the app's clock, no sleeping), Retry-After, 410, disabling after failures,
// redelivery, rotation, the delivery log, scopes and metrics. Both engines.
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/keys/repository.js'
import { buildApp } from '../../src/app.js'
import { dispatcher } from '../../src/webhooks/dispatcher.js'
import { makeClock, reopenStore, TEST_ENGINE } from '../helpers.js'
import { count, makeNewsroom, seedTaxonomy, story, type Newsroom } from '../management/helpers.js'
import { startReceiver, type Receiver } from './receiver.js'

const ENV = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_SECRET_KEY: 'test-webhook-secret-key-0123456789abcdef',
}

// standardwebhooks checks the timestamp against the real time: the app's clock starts now
async function newsroom (env: Record<string, string> = {}) {
  const ctx = await makeNewsroom({ env: { ...ENV, ...env }, clock: makeClock(Date.now()) })
  await seedTaxonomy(ctx)
  const hooksKey = await createApiKey(ctx.store, { name: 'hooks', scopes: ['webhooks:manage'], now: ctx.clock() })
  return { ...ctx, hooks: ctx.bearer(hooksKey) }
}
type Ctx = Newsroom & { hooks: Record<string, string> }

async function subscribe (ctx: Ctx, receiver: Receiver, events: string[] = ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'], path = '/hook') {
  const res = await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: `${receiver.url}${path}`, events, description: 'test' }).expect(201)
  return res.body as { id: number, secret: string }
}

async function publishStory (ctx: Ctx, overrides: Record<string, unknown> = {}) {
  const created = await ctx.request.post('/v1/articles').set(ctx.auth).send(story(overrides)).expect(201)
  await ctx.request.post(`/v1/articles/${created.body.id}/publish`).set(ctx.auth).send({}).expect(200)
  return created.body as { id: number, slug: string }
}

const verify = (secret: string, r: { headers: Record<string, unknown>, body: string }) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string, timestamp: string, data: Record<string, unknown> }

describe('webhook endpoints', () => {
  it('creates an endpoint with a whsec_ secret shown once, and needs webhooks:manage or admin', async () => {
    const ctx = await newsroom()
    const res = await ctx.request.post('/v1/webhooks').set(ctx.hooks)
      .send({ url: 'https://hooks.example.com/x', events: ['article.published'] }).expect(201)
    expect(res.body).toMatchObject({ url: 'https://hooks.example.com/x', events: ['article.published'], description: null, enabled: true, disabledReason: null })
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(res.body.secret.slice(6), 'base64')).toHaveLength(32)
    const read = await ctx.request.get(`/v1/webhooks/${res.body.id}`).set(ctx.hooks).expect(200)
    expect(read.body.secret).toBeUndefined()
    expect(read.headers['cache-control']).toBe('private, no-store')
    const list = await ctx.request.get('/v1/webhooks').set(ctx.bearer(ctx.keys.admin)).expect(200)
    expect(list.body.items.map((w: { id: number }) => w.id)).toEqual([res.body.id])
    expect(list.body.items[0].secret).toBeUndefined()
    await ctx.request.get('/v1/webhooks').set(ctx.auth).expect(403)
    await ctx.request.get('/v1/webhooks').expect(401)
    // the stored secret is encrypted: the database alone does not hold it
    const stored = await ctx.store.repos.sql.get<{ secret: string }>('select secret from webhook_endpoints')
    expect(stored!.secret).not.toContain(res.body.secret.slice(6))
    expect(stored!.secret).toMatch(/^v1:/)
  })

  // SQLite keeps a key file beside the database; PostgreSQL nodes must share WEBHOOK_SECRET_KEY
  it.skipIf(TEST_ENGINE !== 'postgres')('answers 503 to a valid endpoint without WEBHOOK_SECRET_KEY on PostgreSQL, 400 to an invalid one first', async () => {
    const ctx = await newsroom({ WEBHOOK_SECRET_KEY: '' })
    const res = await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'https://hooks.example.com/x', events: ['tag.changed'] }).expect(503)
    expect(res.body.detail).toMatch(/WEBHOOK_SECRET_KEY/)
    await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'not a url', events: ['tag.changed'] }).expect(400)
    expect(await count(ctx, 'webhook_endpoints')).toBe(0)
  })

  it('validates bodies, changes and deletes endpoints', async () => {
    const ctx = await newsroom()
    await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'https://x.example.com', events: ['article.eaten'] }).expect(400)
    await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'https://x.example.com', events: [] }).expect(400)
    await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'not a url', events: ['tag.changed'] }).expect(400)
    await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'https://x.example.com', events: ['tag.changed'], secret: 'x' }).expect(400)
    const { id } = (await ctx.request.post('/v1/webhooks').set(ctx.hooks).send({ url: 'https://x.example.com', events: ['tag.changed'] }).expect(201)).body
    const patched = await ctx.request.patch(`/v1/webhooks/${id}`).set(ctx.hooks).send({ events: ['author.changed'], description: 'd', enabled: false }).expect(200)
    expect(patched.body).toMatchObject({ events: ['author.changed'], description: 'd', enabled: false, disabledReason: 'Disabled through the API.' })
    await ctx.request.patch('/v1/webhooks/999').set(ctx.hooks).send({ enabled: true }).expect(404)
    await ctx.request.get('/v1/webhooks/abc').set(ctx.hooks).expect(400)
    await ctx.request.delete(`/v1/webhooks/${id}`).set(ctx.hooks).expect(204)
    await ctx.request.delete(`/v1/webhooks/${id}`).set(ctx.hooks).expect(404)
  })
})

describe('delivery', () => {
  it('keeps events and their delivery log WEBHOOK_LOG_RETENTION_DAYS, then prunes them, never a pending one', async () => {
    const ctx = await newsroom({ WEBHOOK_LOG_RETENTION_DAYS: '2' })
    const ok = await startReceiver()
    const down = await startReceiver()
    down.respond({ status: 500 })
    await subscribe(ctx, ok)
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    expect(ok.received).toHaveLength(1)
    ctx.clock.advance(2 * 86_400_000 + 1000)
    // a second endpoint that fails keeps a newer event pending
    await subscribe(ctx, down, ['article.published'], '/down')
    await publishStory(ctx, { slug: 'second-story' })
    await ctx.app.webhooks.runOnce()
    expect(await count(ctx, 'webhook_events')).toBe(1)
    expect(await count(ctx, 'webhook_deliveries')).toBe(2)
    ctx.clock.advance(2 * 86_400_000 + 1000)
    await ctx.app.webhooks.runOnce()
    // still pending on the failing endpoint (retried for WEBHOOK_RETRY_WINDOW_HOURS): kept
    expect(await count(ctx, 'webhook_events')).toBe(1)
  })

  // PostgreSQL's FOR UPDATE SKIP LOCKED; on SQLite the one server process delivers (two processes
  // on one file would wait on each other's write lock)
  it.skipIf(TEST_ENGINE !== 'postgres')('shares the work between two nodes on one database: each event is delivered once', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    await subscribe(ctx, receiver, ['tag.changed'])
    const other = await buildApp({ store: await reopenStore(ctx), config: ctx.config, clock: ctx.clock })
    try {
      await other.ready()
      await ctx.store.tx(async (repos) => {
        for (let i = 0; i < 40; i++) await repos.outbox.emit('tag.changed', { slug: `t${i}`, surrogateKeys: ['*'] })
      })
      // both dispatchers race over the same queue, several passes each
      for (let round = 0; round < 3; round++) await Promise.all([ctx.app.webhooks.runOnce(), other.webhooks.runOnce(), ctx.app.webhooks.runOnce(), other.webhooks.runOnce()])
      const ids = receiver.received.map((r) => String(r.headers['webhook-id']))
      expect(ids).toHaveLength(40)
      expect(new Set(ids).size).toBe(40)
    } finally {
      await other.close()
    }
  })

  it('signs deliveries the standardwebhooks package verifies, with the contract body, only to subscribed endpoints', async () => {
    const ctx = await newsroom()
    const articles = await startReceiver()
    const tags = await startReceiver()
    const { secret } = await subscribe(ctx, articles)
    const tagHook = await subscribe(ctx, tags, ['tag.changed'])
    const { id, slug } = await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    expect(articles.received).toHaveLength(1)
    expect(tags.received).toHaveLength(0)
    const [r] = articles.received
    expect(r!.method).toBe('POST')
    expect(r!.url).toBe('/hook')
    expect(r!.headers['content-type']).toBe('application/json')
    expect(r!.headers['webhook-id']).toMatch(/^msg_/)
    expect(r!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    const payload = verify(secret, r!)
    expect(payload).toEqual({
      type: 'article.published',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { id, slug, url: `/news/world-news/${slug}`, section: 'news/world-news', surrogateKeys: [`article:${id}`, 'articles:list'] },
    })
    // a wrong secret fails
    expect(() => verify(tagHook.secret, r!)).toThrow()

    // edit (live), unpublish, a tag change, delete of a draft (no event), delete of a live one
    await ctx.request.patch(`/v1/articles/${id}`).set(ctx.auth).send({ headline: 'New' }).expect(200)
    await ctx.request.post(`/v1/articles/${id}/unpublish`).set(ctx.auth).send({}).expect(200)
    await ctx.request.patch(`/v1/articles/${id}`).set(ctx.auth).send({ headline: 'Draft edit' }).expect(200)
    await ctx.request.delete(`/v1/articles/${id}`).set(ctx.auth).expect(204)
    const live = await publishStory(ctx, { headline: 'Another' })
    await ctx.request.delete(`/v1/articles/${live.id}`).set(ctx.auth).expect(204)
    await ctx.request.patch('/v1/tags/climate').set(ctx.auth).send({ name: 'Climate crisis' }).expect(200)
    await ctx.app.webhooks.runOnce()
    // attempts run in parallel: arrival order is not delivery order (receivers order by data, not arrival)
    expect(articles.received.slice(1).map((x) => verify(secret, x).type).sort()).toEqual(['article.deleted', 'article.published', 'article.unpublished', 'article.updated'])
    expect(tags.received.map((x) => verify(tagHook.secret, x))).toEqual([
      expect.objectContaining({ type: 'tag.changed', data: { slug: 'climate', previousSlug: 'climate', surrogateKeys: ['*'] } }),
    ])
  })

  // A statement that never settles (a pooled PostgreSQL connection stranded across a restart) held
  // the dispatcher's pass, and so this node's dispatching, until the process restarted.
  it('gives up a pass whose statement never settles, and the next pass delivers', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    const { secret } = await subscribe(ctx, receiver)
    await publishStory(ctx)
    let calls = 0
    const hanging = new Proxy(ctx.store, {
      get (target, property) {
        if (property !== 'repos') {
          const value: unknown = Reflect.get(target, property)
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
        }
        return new Proxy(target.repos, {
          get (repos, name) {
            if (name !== 'webhooks') return Reflect.get(repos, name)
            return new Proxy(repos.webhooks, {
              get (webhooks, method) {
                const value = Reflect.get(webhooks, method) as unknown
                // the first question of the first pass never gets an answer
                if (method === 'hasWork') return (...args: Parameters<typeof webhooks.hasWork>) => calls++ === 0 ? new Promise(() => {}) : webhooks.hasWork(...args)
                return value
              },
            })
          },
        })
      },
    })
    const errors: unknown[] = []
    const quiet = { ...ctx.app.log, error: (e: unknown) => { errors.push(e) }, warn: () => {} } as unknown as typeof ctx.app.log
    const own = dispatcher({ store: hanging, statementDeadlineMs: 50, config: ctx.config.webhooks, secrets: ctx.app.webhookSecrets, clock: ctx.clock, log: quiet, counters: { count: () => {} } })
    await expect(own.runOnce()).rejects.toThrow(/webhooks.hasWork got no answer within 50 ms/)
    // (the taxonomy's events are fanned out too; only the story's reaches this endpoint)
    expect((await own.runOnce()).attempted).toBe(1)
    expect(receiver.received.map((r) => verify(secret, r).type)).toEqual(['article.published'])
  })

  it('emits nothing for a rolled-back write', async () => {
    const ctx = await newsroom()
    const { id } = await publishStory(ctx)
    const before = await count(ctx, 'webhook_events')
    // a stale If-Match: 412, nothing written
    await ctx.request.patch(`/v1/articles/${id}`).set(ctx.auth).set('if-match', `"${id}-1"`).send({ headline: 'x' }).expect(412)
    // a transaction that emitted, then failed
    await expect(ctx.store.tx(async (repos) => {
      await repos.outbox.emit('tag.changed', { slug: 'x', surrogateKeys: ['*'] })
      throw new Error('rolled back')
    })).rejects.toThrow('rolled back')
    expect(await count(ctx, 'webhook_events')).toBe(before)
  })

  it('retries a failure with the same webhook-id after the back-off, not before', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    const { secret, id: hookId } = await subscribe(ctx, receiver)
    receiver.respond({ status: 500, body: 'x'.repeat(5000) })
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(1)
    const log = (await ctx.request.get(`/v1/webhooks/${hookId}/deliveries`).set(ctx.hooks).expect(200)).body
    const [delivery] = log.items
    expect(delivery).toMatchObject({ status: 'pending', type: 'article.published', eventId: receiver.received[0]!.headers['webhook-id'] })
    expect(delivery.attempts).toEqual([{ at: expect.any(String), statusCode: 500, durationMs: expect.any(Number), responseBody: `${'x'.repeat(1024)} [truncated]` }])
    // the first retry comes 30 s (+-25% jitter) later
    const wait = Date.parse(delivery.nextAttemptAt) - ctx.clock()
    expect(wait).toBeGreaterThanOrEqual(22_500)
    expect(wait).toBeLessThanOrEqual(37_500)
    ctx.clock.advance(wait - 1000)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(1)
    ctx.clock.advance(1000)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id'])
    expect(verify(secret, receiver.received[1]!).type).toBe('article.published')
    const after = (await ctx.request.get(`/v1/webhooks/${hookId}/deliveries`).set(ctx.hooks).expect(200)).body.items[0]
    expect(after).toMatchObject({ status: 'succeeded', nextAttemptAt: null })
    expect(after.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200])
  })

  it('honours Retry-After', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    await subscribe(ctx, receiver)
    receiver.respond({ status: 503, headers: { 'retry-after': '120' } })
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    ctx.clock.advance(119_000)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(1)
    ctx.clock.advance(1000)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(2)
  })

  it('gives up after the retry window', async () => {
    const ctx = await newsroom({ WEBHOOK_RETRY_WINDOW_HOURS: '0.05', WEBHOOK_RETRY_BASE_SECONDS: '60' })
    const receiver = await startReceiver()
    const { id } = await subscribe(ctx, receiver)
    receiver.respond({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 })
    await publishStory(ctx)
    for (let i = 0; i < 4; i++) {
      await ctx.app.webhooks.runOnce()
      ctx.clock.advance(10 * 60_000)
    }
    const [delivery] = (await ctx.request.get(`/v1/webhooks/${id}/deliveries`).set(ctx.hooks).expect(200)).body.items
    expect(delivery.status).toBe('failed')
    expect(delivery.nextAttemptAt).toBeNull()
    expect(delivery.attempts.length).toBeLessThan(4)
  })

  it('disables an endpoint that answers 410, and after a run of failures', async () => {
    const ctx = await newsroom({ WEBHOOK_DISABLE_AFTER_FAILURES: '2' })
    const gone = await startReceiver()
    const flaky = await startReceiver()
    const goneHook = await subscribe(ctx, gone)
    const flakyHook = await subscribe(ctx, flaky)
    gone.respond({ status: 410 })
    flaky.respond({ status: 500 }, { status: 502 })
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    const goneNow = (await ctx.request.get(`/v1/webhooks/${goneHook.id}`).set(ctx.hooks).expect(200)).body
    expect(goneNow).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') })
    const [goneDelivery] = (await ctx.request.get(`/v1/webhooks/${goneHook.id}/deliveries`).set(ctx.hooks)).body.items
    expect(goneDelivery.status).toBe('failed')
    ctx.clock.advance(3_600_000)
    await ctx.app.webhooks.runOnce()
    expect(flaky.received).toHaveLength(2)
    expect((await ctx.request.get(`/v1/webhooks/${flakyHook.id}`).set(ctx.hooks)).body).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('2 delivery attempts in a row failed') })
    // disabled endpoints get nothing more
    await publishStory(ctx, { headline: 'Later' })
    ctx.clock.advance(3_600_000)
    await ctx.app.webhooks.runOnce()
    expect(gone.received).toHaveLength(1)
    expect(flaky.received).toHaveLength(2)
    // re-enabled: the pending delivery resumes
    await ctx.request.patch(`/v1/webhooks/${flakyHook.id}`).set(ctx.hooks).send({ enabled: true }).expect(200)
    ctx.clock.advance(3_600_000)
    await ctx.app.webhooks.runOnce()
    expect(flaky.received).toHaveLength(3)
  })

  it('redelivers a delivery with the same webhook-id (202)', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    const { id, secret } = await subscribe(ctx, receiver)
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    const [delivery] = (await ctx.request.get(`/v1/webhooks/${id}/deliveries`).set(ctx.hooks)).body.items
    expect(delivery.status).toBe('succeeded')
    const res = await ctx.request.post(`/v1/webhooks/${id}/deliveries/${delivery.id}/redeliver`).set(ctx.hooks).expect(202)
    expect(res.body).toMatchObject({ id: delivery.id, status: 'pending' })
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(2)
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id'])
    expect(verify(secret, receiver.received[1]!).type).toBe('article.published')
    await ctx.request.post(`/v1/webhooks/${id}/deliveries/999999/redeliver`).set(ctx.hooks).expect(404)
    const other = await subscribe(ctx, receiver)
    await ctx.request.post(`/v1/webhooks/${other.id}/deliveries/${delivery.id}/redeliver`).set(ctx.hooks).expect(404)
  })

  it('signs with the old and the new secret for 24 hours after a rotation', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    const { id, secret: old } = await subscribe(ctx, receiver)
    const rotated = await ctx.request.post(`/v1/webhooks/${id}/rotate-secret`).set(ctx.hooks).expect(200)
    const fresh = rotated.body.secret as string
    expect(fresh).toMatch(/^whsec_/)
    expect(fresh).not.toBe(old)
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    const [r] = receiver.received
    expect(String(r!.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect(verify(old, r!).type).toBe('article.published')
    expect(verify(fresh, r!).type).toBe('article.published')
    // a day later only the new secret signs (the timestamp check of standardwebhooks is against
    // the real time, so the last delivery is checked by signature count and the new secret's HMAC)
    ctx.clock.advance(24 * 3_600_000 + 1000)
    await publishStory(ctx, { headline: 'Next day' })
    await ctx.app.webhooks.runOnce()
    const last = receiver.received[1]!
    expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(1)
    const { signature } = await import('../../src/webhooks/secrets.js')
    expect(last.headers['webhook-signature']).toBe(signature([fresh], String(last.headers['webhook-id']), Number(last.headers['webhook-timestamp']), last.body))
  })

  it('lists deliveries newest first in pages', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    const { id } = await subscribe(ctx, receiver)
    for (let i = 0; i < 5; i++) await publishStory(ctx, { headline: `Story ${i}` })
    await ctx.app.webhooks.runOnce()
    const first = (await ctx.request.get(`/v1/webhooks/${id}/deliveries?limit=2`).set(ctx.hooks).expect(200)).body
    expect(first.items).toHaveLength(2)
    expect(first.items[0].id).toBeGreaterThan(first.items[1].id)
    const second = (await ctx.request.get(`/v1/webhooks/${id}/deliveries?limit=2&cursor=${first.nextCursor}`).set(ctx.hooks).expect(200)).body
    const third = (await ctx.request.get(`/v1/webhooks/${id}/deliveries?limit=2&cursor=${second.nextCursor}`).set(ctx.hooks).expect(200)).body
    expect(third.nextCursor).toBeNull()
    const ids = [...first.items, ...second.items, ...third.items].map((d: { id: number }) => d.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    expect(new Set(ids).size).toBe(5)
    await ctx.request.get(`/v1/webhooks/${id}/deliveries?cursor=forged`).set(ctx.hooks).expect(400)
    await ctx.request.get(`/v1/webhooks/${id}/deliveries?limit=0`).set(ctx.hooks).expect(400)
    await ctx.request.get('/v1/webhooks/4242/deliveries').set(ctx.hooks).expect(404)
  })

  it('delivers scheduled articles as article.published when they go live', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    const { secret } = await subscribe(ctx, receiver)
    await ctx.app.webhooks.runOnce()
    const created = await ctx.request.post('/v1/articles').set(ctx.auth).send(story()).expect(201)
    const at = new Date(ctx.clock() + 3_600_000).toISOString()
    await ctx.request.post(`/v1/articles/${created.body.id}/publish`).set(ctx.auth).send({ at }).expect(200)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(0)
    ctx.clock.advance(3_600_000)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(1)
    // the payload's data; the timestamp check of standardwebhooks is against the real time
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: 'article.published', data: { id: created.body.id } })
    expect(secret).toMatch(/^whsec_/)
    await ctx.app.webhooks.runOnce()
    expect(receiver.received).toHaveLength(1)
  })

  it('exposes delivery metrics, queue depth and the oldest pending event age', async () => {
    const ctx = await newsroom()
    const receiver = await startReceiver()
    await subscribe(ctx, receiver)
    receiver.respond({ status: 500 })
    await publishStory(ctx)
    await ctx.app.webhooks.runOnce()
    ctx.clock.advance(5000)
    const text = (await ctx.request.get('/metrics').expect(200)).text
    expect(text).toMatch(/dateline_webhook_deliveries_total\{kind="webhook",outcome="retrying"\} 1/)
    expect(text).toMatch(/dateline_webhook_queue_depth 1/)
    expect(text).toMatch(/dateline_webhook_oldest_pending_event_age_seconds [1-9]/)
  })
})
