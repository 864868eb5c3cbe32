import { loadConfig } from '../../src/config.js'
import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/db/store.js'
import { ViewBuffer } from '../../src/views/buffer.js'
import { PostgresStore } from '../../src/db/postgres/store.js'
import { eventually, makeApp, makeClock, reopenStore, TEST_ENGINE } from '../helpers.js'
import { makeNewsroom, seedTaxonomy, story } from '../management/helpers.js'
import { DAY, HOUR, insertArticle, insertSection, insertViews, seedStore } from '../fixtures.js'

const totalViews = async (store: Store) => (await store.repos.sql.get<{ n: number | null }>('select sum(views) as n from page_views'))?.n ?? 0
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

describe('POST /v1/articles/{slug}/views', () => {
  it('counts every one of 500 concurrent beacons exactly once', async () => {
    const { app, store, request } = await makeApp({
      // no timed flush while the beacons arrive: the one below writes them all
      env: { VIEWS_RATE_LIMIT: '100000', VIEWS_FLUSH_INTERVAL_MS: '60000' },
      seed: (db) => { insertSection(db, { slug: 'news' }); insertArticle(db, { slug: 'story', section: 'news' }) },
    })
    const replies = await Promise.all(Array.from({ length: 500 }, () =>
      app.inject({ method: 'POST', url: '/v1/articles/story/views', headers: { 'user-agent': BROWSER } })))
    expect(replies.map((r) => r.statusCode)).toEqual(Array(500).fill(202))
    expect(replies.every((r) => r.body === '')).toBe(true)
    expect(await app.views.flush()).toBe(500)
    expect(await totalViews(store)).toBe(500)
    const ranking = await request.get('/v1/most-viewed').expect(200)
    expect(ranking.body.data).toMatchObject([{ rank: 1, views: 500, article: { slug: 'story' } }])
  })

  it('adds the counts of several nodes flushing the same article and hour (an additive upsert)', async () => {
    let id = 0
    const ctx = await makeApp({
      env: { VIEWS_FLUSH_INTERVAL_MS: '60000' },
      seed: (db) => { insertSection(db, { slug: 'news' }); id = insertArticle(db, { slug: 'story', section: 'news' }) },
    })
    // a second node: its own buffer on its own connection to the same database
    const other = new ViewBuffer(await reopenStore(ctx), ctx.clock)
    for (let i = 0; i < 3; i++) ctx.app.views.record(id, ctx.clock())
    for (let i = 0; i < 4; i++) other.record(id, ctx.clock())
    expect(await ctx.app.views.flush()).toBe(3)
    expect(await other.flush()).toBe(4)
    ctx.app.views.record(id, ctx.clock())
    expect(await ctx.app.views.flush()).toBe(1)
    expect(await ctx.store.repos.sql.all('select article_id as "articleId", views from page_views')).toEqual([{ articleId: id, views: 8 }])
  })

  // A transaction that never settles (a pooled PostgreSQL connection stranded across a restart, as
  // the change listener's and the response cache's reads were) held every later flush: views
  // piled up in memory and none was written until the process restarted.
  it('goes ahead of a previous flush that does not settle, and counts a slow one once when it commits', async () => {
    let id = 0
    const ctx = await makeApp({
      env: { VIEWS_FLUSH_INTERVAL_MS: '60000' },
      seed: (db) => { insertSection(db, { slug: 'news' }); id = insertArticle(db, { slug: 'story', section: 'news' }) },
    })
    const store = await reopenStore(ctx)
    // the first transaction hangs until released (never, for the stranded case)
    let release: (() => void) | undefined
    let began: () => void
    const begun = new Promise<void>((resolve) => { began = resolve })
    let calls = 0
    const hanging = new Proxy(store, {
      get (target, property, receiver) {
        if (property !== 'tx') return Reflect.get(target, property, receiver)
        return (fn: Parameters<Store['tx']>[0]) => {
          if (calls++ > 0) return target.tx(fn)
          began()
          return new Promise<void>((resolve) => { release = resolve }).then(() => target.tx(fn))
        }
      },
    })
    const stalls: number[] = []
    const buffer = new ViewBuffer(hanging, ctx.clock, { previousFlushWaitMs: 50, onStalled: (ms) => stalls.push(ms) })
    for (let i = 0; i < 3; i++) buffer.record(id, ctx.clock())
    const slow = buffer.flush()
    await begun
    for (let i = 0; i < 4; i++) buffer.record(id, ctx.clock())
    // without the wait's bound this flush would never start
    expect(await buffer.flush()).toBe(4)
    expect(stalls).toEqual([50])
    expect(await totalViews(ctx.store)).toBe(4)
    // the slow flush commits after all: its three views are written once, not put back
    release!()
    expect(await slow).toBe(3)
    expect(buffer.pending()).toBe(0)
    expect(await totalViews(ctx.store)).toBe(7)
    // and flushes chain as before once nothing hangs
    buffer.record(id, ctx.clock())
    expect(await buffer.flush()).toBe(1)
    expect(stalls).toEqual([50])
  })

  it('answers known bots 202 without counting them', async () => {
    const { app, store, request } = await makeApp({
      seed: (db) => { insertSection(db, { slug: 'news' }); insertArticle(db, { slug: 'story', section: 'news' }) },
    })
    for (const agent of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0', 'python-requests/2.32.3']) {
      await request.post('/v1/articles/story/views').set('user-agent', agent).expect(202)
    }
    await request.post('/v1/articles/story/views').set('user-agent', BROWSER).expect(202)
    await app.views.flush()
    expect(await totalViews(store)).toBe(1)
  })

  it('counts a beacon whatever body navigator.sendBeacon sent: none, text, form data, JSON, a Blob', async () => {
    const { app, store, request } = await makeApp({
      seed: (db) => { insertSection(db, { slug: 'news' }); insertArticle(db, { slug: 'story', section: 'news' }) },
    })
    const bodies: Array<[string, string]> = [
      ['text/plain;charset=UTF-8', 'story'], ['application/x-www-form-urlencoded', 'a=1&b=2'],
      ['multipart/form-data; boundary=x', '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
      ['application/json', '{"ref":"home"}'], ['application/json', '{not json'], ['application/octet-stream', '\u0000\u0001'],
    ]
    await request.post('/v1/articles/story/views').set('user-agent', BROWSER).expect(202)
    for (const [type, body] of bodies) {
      const res = await request.post('/v1/articles/story/views').set('user-agent', BROWSER).set('content-type', type).send(body)
      expect(res.status, type).toBe(202)
      expect(res.text, type).toBe('')
    }
    await app.views.flush()
    expect(await totalViews(store)).toBe(1 + bodies.length)
  })

  it('answers 404 and counts nothing for an unknown, draft or scheduled story', async () => {
    const { app, store, request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'draft', section: 'news', status: 'draft', publishedAt: null })
        insertArticle(db, { slug: 'scheduled', section: 'news', publishedAt: '2027-01-01T00:00:00.000Z' })
      },
    })
    for (const slug of ['nope', 'draft', 'scheduled']) {
      const res = await request.post(`/v1/articles/${slug}/views`).set('user-agent', BROWSER).expect(404)
      expect(res.headers['content-type']).toMatch(/problem\+json/)
    }
    await app.views.flush()
    expect(await totalViews(store)).toBe(0)
  })

  it('looks up the stories of beacons arriving together in one statement, each answered for its own story', async () => {
    const { app, store } = await makeApp({
      env: { VIEWS_RATE_LIMIT: '100000', VIEWS_FLUSH_INTERVAL_MS: '60000' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        for (let i = 0; i < 10; i++) {
          insertArticle(db, { slug: `live-${i}`, section: 'news' })
          insertArticle(db, { slug: `draft-${i}`, section: 'news', status: 'draft', publishedAt: null })
          insertArticle(db, { slug: `scheduled-${i}`, section: 'news', publishedAt: '2027-01-01T00:00:00.000Z' })
        }
      },
    })
    const slugs = Array.from({ length: 10 }, (_, i) => [`live-${i}`, `draft-${i}`, `scheduled-${i}`, `unknown-${i}`, 'live-0']).flat()
    let statements = 0
    store.timeStatements(() => { statements++ })
    const replies = await Promise.all(slugs.map((slug) =>
      app.inject({ method: 'POST', url: `/v1/articles/${slug}/views`, headers: { 'user-agent': BROWSER } })))
    const lookups = statements
    expect(replies.map((r) => r.statusCode)).toEqual(slugs.map((slug) => slug.startsWith('live-') ? 202 : 404))
    // one lookup for 50 beacons (a statement each would be 50)
    expect(lookups).toBe(1)
    expect(await app.views.flush()).toBe(20)
    expect(await store.repos.sql.get('select sum(views) as n from page_views where article_id = (select id from articles where slug = :slug)', { slug: 'live-0' })).toEqual({ n: 11 })
  })

  // Live ids are remembered per process (views/live-stories.ts) and dropped by the change feed: an
  // unpublish through the API, here or in another process (another node, the CLI), ends counting
  // at once, with no time-based grace.
  it.each(['true', 'false'])('stops counting a story as soon as it is unpublished, by this process or another one (response cache %s)', async (responseCache) => {
    const t = await makeNewsroom({ env: { VIEWS_RATE_LIMIT: '100000', RESPONSE_CACHE: responseCache } })
    await seedTaxonomy(t)
    const created = await t.request.post('/v1/articles').set(t.auth).send(story()).expect(201)
    const { id, slug } = created.body as { id: number, slug: string }
    const beacon = () => t.request.post(`/v1/articles/${slug}/views`).set('user-agent', BROWSER)
    await beacon().expect(404)
    await t.request.post(`/v1/articles/${id}/publish`).set(t.auth).expect(200)
    await beacon().expect(202)
    await beacon().expect(202)
    await t.request.post(`/v1/articles/${id}/unpublish`).set(t.auth).expect(200)
    await beacon().expect(404)

    await t.request.post(`/v1/articles/${id}/publish`).set(t.auth).expect(200)
    await beacon().expect(202)
    const other = await reopenStore(t)
    await other.tx(async (repos) => {
      await repos.sql.run("update articles set status = 'draft' where id = :id", { id })
      await repos.changes.record([`article:${id}`])
    })
    // beacons sent before the other process's change arrives are still counted (202)
    let beforeArrival = 0
    await eventually(async () => {
      const status = (await beacon()).status
      if (status === 202) beforeArrival++
      return status === 404
    }, 5_000, 'the other process\'s unpublish')
    await t.app.views.flush()
    expect(await totalViews(t.store)).toBe(3 + beforeArrival)
  })

  it('finds a story under its new slug, and not under the old one, right after a rename', async () => {
    const t = await makeNewsroom({ env: { VIEWS_RATE_LIMIT: '100000' } })
    await seedTaxonomy(t)
    const created = await t.request.post('/v1/articles').set(t.auth).send(story()).expect(201)
    const { id, slug } = created.body as { id: number, slug: string }
    await t.request.post(`/v1/articles/${id}/publish`).set(t.auth).expect(200)
    await t.request.post(`/v1/articles/${slug}/views`).set('user-agent', BROWSER).expect(202)
    await t.request.patch(`/v1/articles/${id}`).set(t.auth).send({ slug: 'renamed-story' }).expect(200)
    await t.request.post(`/v1/articles/${slug}/views`).set('user-agent', BROWSER).expect(404)
    await t.request.post('/v1/articles/renamed-story/views').set('user-agent', BROWSER).expect(202)
  })

  it('limits beacons per client address with 429 and Retry-After', async () => {
    const { app, store, request } = await makeApp({
      env: { VIEWS_RATE_LIMIT: '3' },
      seed: (db) => { insertSection(db, { slug: 'news' }); insertArticle(db, { slug: 'story', section: 'news' }) },
    })
    for (let i = 0; i < 3; i++) await request.post('/v1/articles/story/views').set('user-agent', BROWSER).expect(202)
    const res = await request.post('/v1/articles/story/views').set('user-agent', BROWSER).expect(429)
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests' })
    await request.get('/v1/most-viewed').expect(200)
    await app.views.flush()
    expect(await totalViews(store)).toBe(3)
  })

  it('keys the limit on X-Forwarded-For only when the request comes from a TRUST_PROXY address', async () => {
    const seed = (db: Parameters<typeof insertSection>[0]) => { insertSection(db, { slug: 'news' }); insertArticle(db, { slug: 'story', section: 'news' }) }
    const beacon = (request: Awaited<ReturnType<typeof makeApp>>['request'], client: string) =>
      request.post('/v1/articles/story/views').set('user-agent', BROWSER).set('x-forwarded-for', client)
    // supertest connects from 127.0.0.1: trusted, each forwarded client has its own budget
    const trusted = await makeApp({ env: { VIEWS_RATE_LIMIT: '2', TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }, seed })
    for (const client of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.2']) await beacon(trusted.request, client).expect(202)
    await beacon(trusted.request, '203.0.113.1').expect(429)
    // not trusted (the default): the header is anyone's to set, so the socket address counts
    const untrusted = await makeApp({ env: { VIEWS_RATE_LIMIT: '2' }, seed })
    for (const client of ['203.0.113.1', '203.0.113.2']) await beacon(untrusted.request, client).expect(202)
    await beacon(untrusted.request, '203.0.113.3').expect(429)
  })

  it('refuses a TRUST_PROXY that is not a list of addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/)
  })

  it('prunes hourly buckets older than 30 days and an hour when it flushes', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    const { app, store } = await makeApp({
      clock,
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        const id = insertArticle(db, { slug: 'story', section: 'news' })
        insertViews(db, id, Date.parse('2026-10-25T10:59:59.999Z'), 7)
        insertViews(db, id, Date.parse('2026-10-25T11:00:00.000Z'), 5)
      },
    })
    await app.views.flush()
    expect(await totalViews(store)).toBe(5)
  })

  it.skipIf(TEST_ENGINE !== 'postgres')('prunes past STATEMENT_TIMEOUT_MS (a long prune must not fail every flush)', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    const ctx = await makeApp({
      clock,
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        const id = insertArticle(db, { slug: 'story', section: 'news' })
        insertViews(db, id, Date.parse('2026-10-25T10:59:59.999Z'), 7)
        insertViews(db, id, Date.parse('2026-11-24T12:00:00.000Z'), 5)
      },
    })
    const store = PostgresStore.open({ url: ctx.config.databaseUrl!, max: 2, statementTimeout: 300 })
    const admin = PostgresStore.open({ url: ctx.config.databaseUrl!, max: 2 })
    try {
      const [story] = await admin.pg.$client<Array<{ id: number }>>`select id from articles where slug = 'story'`
      const buffer = new ViewBuffer(store, clock)
      buffer.record(story!.id, clock())
      // the expired bucket is locked: the prune waits on it for three timeouts
      let release = () => {}
      const held = new Promise<void>((resolve) => { release = resolve })
      let locked = () => {}
      const lockTaken = new Promise<void>((resolve) => { locked = resolve })
      const holding = admin.pg.$client.begin(async (tx) => {
        await tx`select * from page_views where hour < 498036 for update`
        locked()
        await held
      })
      await Promise.race([lockTaken, holding])
      const flushed = buffer.flush()
      await eventually(async () => {
        const [waiting] = await admin.pg.$client<Array<{ ms: number }>>`
          select (extract(epoch from clock_timestamp() - query_start) * 1000)::int as ms from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like 'delete from page_views%'`
        return waiting !== undefined && waiting.ms > 900
      }, 10_000, 'the prune waiting on the lock for three timeouts')
      release()
      await holding
      await flushed
      expect(await totalViews(ctx.store)).toBe(6)
    } finally {
      await store.close()
      await admin.close()
    }
  })
})

describe('GET /v1/most-viewed', () => {
  it('reuses the ranking for MOST_VIEWED_CACHE_SECONDS whatever the limit, even with the response cache off, and drops an unpublished story at once', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    const ids: number[] = []
    const { request, store } = await makeApp({
      clock,
      env: { RESPONSE_CACHE: 'false', MOST_VIEWED_CACHE_SECONDS: '10' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        for (const [i, slug] of ['first', 'second', 'third'].entries()) {
          ids.push(insertArticle(db, { slug, section: 'news', publishedAt: '2026-11-20T00:00:00.000Z' }))
          insertViews(db, ids[i]!, clock(), 30 - 10 * i)
        }
      },
    })
    const slugs = async (query = '') => (await request.get(`/v1/most-viewed${query}`).expect(200)).body.data.map((d: any) => `${d.article.slug}:${d.views}`)
    expect(await slugs()).toEqual(['first:30', 'second:20', 'third:10'])
    await seedStore(store, (s) => insertViews(s, ids[2]!, clock(), 100))
    // within the window: the same ranking, for any limit (no new aggregate per URL)
    expect(await slugs('?limit=2')).toEqual(['first:30', 'second:20'])
    await store.repos.sql.run("update articles set status = 'draft' where id = :id", { id: ids[0] })
    expect(await slugs()).toEqual(['second:20', 'third:10'])
    clock.advance(10_000)
    expect(await slugs()).toEqual(['third:100', 'second:20'])
  })

  it('drops a story moved out of the section from that section\'s reused ranking at once', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    let moved = 0
    let sport = 0
    const { request, store } = await makeApp({
      clock,
      env: { RESPONSE_CACHE: 'false', MOST_VIEWED_CACHE_SECONDS: '10' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        sport = insertSection(db, { slug: 'sport' })
        moved = insertArticle(db, { slug: 'moved', section: 'news', publishedAt: '2026-11-20T00:00:00.000Z' })
        insertViews(db, moved, clock(), 30)
        insertViews(db, insertArticle(db, { slug: 'stays', section: 'news', publishedAt: '2026-11-20T00:00:00.000Z' }), clock(), 10)
      },
    })
    const slugs = async (section: string) => (await request.get(`/v1/most-viewed?section=${section}`).expect(200)).body.data.map((d: any) => d.article.slug)
    expect(await slugs('news')).toEqual(['moved', 'stays'])
    // the move as the management API writes it: the article's section and its listing rows
    await store.tx(async (repos) => {
      await repos.sql.run('update articles set section_id = :sport where id = :moved', { sport, moved })
      await repos.articles.syncListing(moved)
    })
    clock.advance(1_000)
    expect(await slugs('news')).toEqual(['stays'])
    expect(await slugs('sport')).toEqual(['moved'])
  })

  it('ranks fresh counts on every request with MOST_VIEWED_CACHE_SECONDS=0', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    let id = 0
    const { request, store } = await makeApp({
      clock,
      env: { RESPONSE_CACHE: 'false', MOST_VIEWED_CACHE_SECONDS: '0' },
      seed: (db) => { insertSection(db, { slug: 'news' }); id = insertArticle(db, { slug: 'story', section: 'news' }); insertViews(db, id, clock(), 1) },
    })
    expect((await request.get('/v1/most-viewed').expect(200)).body.data[0].views).toBe(1)
    await seedStore(store, (s) => insertViews(s, id, clock(), 5))
    expect((await request.get('/v1/most-viewed').expect(200)).body.data[0].views).toBe(5)
  })

  it('ranks live articles by views in the window, ties by publication time then id, with the section\'s descendants', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    const { request } = await makeApp({
      clock,
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'world', parent: 'news' })
        insertSection(db, { slug: 'sport' })
        const now = clock()
        const world = insertArticle(db, { slug: 'world', section: 'news/world', publishedAt: '2026-11-20T00:00:00.000Z' })
        const tieOld = insertArticle(db, { slug: 'tie-old', section: 'news', publishedAt: '2026-11-19T00:00:00.000Z' })
        const tieNewA = insertArticle(db, { slug: 'tie-new-a', section: 'sport', publishedAt: '2026-11-21T00:00:00.000Z' })
        const tieNewB = insertArticle(db, { slug: 'tie-new-b', section: 'sport', publishedAt: '2026-11-21T00:00:00.000Z' })
        const draft = insertArticle(db, { slug: 'draft', section: 'news', status: 'draft', publishedAt: null })
        insertViews(db, world, now, 50)
        insertViews(db, world, now - 2 * HOUR, 50)
        for (const id of [tieOld, tieNewA, tieNewB]) insertViews(db, id, now, 30)
        insertViews(db, draft, now, 1000)
      },
    })
    const all = await request.get('/v1/most-viewed').expect(200)
    expect(all.body).toMatchObject({ period: '24h', section: null, generatedAt: '2026-11-24T12:30:00.000Z' })
    expect(all.body.data.map((d: any) => [d.rank, d.article.slug, d.views])).toEqual([
      [1, 'world', 100], [2, 'tie-new-b', 30], [3, 'tie-new-a', 30], [4, 'tie-old', 30],
    ])
    const news = await request.get('/v1/most-viewed?section=news&limit=5').expect(200)
    expect(news.body.section).toBe('news')
    expect(news.body.data.map((d: any) => d.article.slug)).toEqual(['world', 'tie-old'])
    expect((await request.get('/v1/most-viewed?limit=1').expect(200)).body.data).toHaveLength(1)
  })

  it('slides each window over whole clock hours with the injected clock', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    const { request } = await makeApp({
      clock,
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        const id = insertArticle(db, { slug: 'story', section: 'news' })
        insertViews(db, id, '2026-11-24T12:10:00.000Z', 1) // this hour
        insertViews(db, id, '2026-11-24T11:00:00.000Z', 2) // the hour containing now - 1h
        insertViews(db, id, '2026-11-24T10:59:00.000Z', 4) // before it
        insertViews(db, id, '2026-11-23T12:00:00.000Z', 8) // the hour containing now - 24h
        insertViews(db, id, '2026-11-17T12:00:00.000Z', 16) // now - 7d
        insertViews(db, id, '2026-11-17T11:00:00.000Z', 32)
        insertViews(db, id, '2026-10-25T12:00:00.000Z', 64) // now - 30d
        insertViews(db, id, '2026-10-25T11:00:00.000Z', 128)
      },
    })
    const views = async (period: string) => (await request.get(`/v1/most-viewed?period=${period}`).expect(200)).body.data[0]?.views
    expect(await views('1h')).toBe(3)
    expect(await views('24h')).toBe(15)
    expect(await views('7d')).toBe(31)
    expect(await views('30d')).toBe(127)
    clock.advance(30 * 60_000) // 13:00: the 11:00 bucket leaves the 1h window
    expect(await views('1h')).toBe(1)
    clock.advance(31 * DAY)
    expect((await request.get('/v1/most-viewed?period=30d').expect(200)).body.data).toEqual([])
  })

  it('answers 400 naming the parameter for a bad period, limit or unknown section', async () => {
    const { request } = await makeApp()
    for (const [query, field] of [['period=2h', 'period'], ['limit=51', 'limit'], ['limit=0', 'limit'], ['section=nope', 'section']]) {
      const res = await request.get(`/v1/most-viewed?${query}`).expect(400)
      expect(res.body.errors[0].path).toBe(field)
    }
  })
})
