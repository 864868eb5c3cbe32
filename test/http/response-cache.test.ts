import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/db/store.js'
import { ResponseCache } from '../../src/http/response-cache.js'
import { announce, eventually, makeApp } from '../helpers.js'
import { insertArticle, seedStore } from '../fixtures.js'
import { registerTestRoutes, seedNewsroom, T0 } from './fixtures.js'

const setup = (env: Record<string, string> = {}) => makeApp({ env, seed: seedNewsroom, routes: registerTestRoutes })
// a write through the store's own transaction, as the write routes make (and not announced)
const write = (store: Store, text: string, params?: Record<string, unknown>) => store.tx(({ sql }) => sql.run(text, params))

describe('response cache', () => {
  it('answers a repeated GET from the cache with the same body and ETag', async () => {
    const { request } = await setup()
    const miss = await request.get('/test/articles/talks-resume').expect(200)
    expect(miss.headers['x-cache']).toBe('MISS')
    const hit = await request.get('/test/articles/talks-resume').expect(200)
    expect(hit.headers['x-cache']).toBe('HIT')
    expect(hit.body).toEqual(miss.body)
    for (const name of ['etag', 'cache-control', 'surrogate-key', 'last-modified', 'content-type']) {
      expect(hit.headers[name], name).toBe(miss.headers[name])
    }
    expect(hit.headers['x-request-id']).not.toBe(miss.headers['x-request-id'])
  })

  it('serves stale content until told, then exactly the changed record\'s responses are dropped', async () => {
    const { request, app, store } = await setup()
    await request.get('/test/articles/talks-resume')
    await request.get('/test/articles/aid-convoys-wait')
    await write(store, "update articles set headline = 'Edited' where id = 2")
    expect((await request.get('/test/articles/aid-convoys-wait')).body.headline).toBe('Headline aid-convoys-wait')
    await announce(app.store, ['article:2'])
    const edited = await request.get('/test/articles/aid-convoys-wait')
    expect(edited.headers['x-cache']).toBe('MISS')
    expect(edited.body.headline).toBe('Edited')
    // article 1 lists article 2 in relatedIds, so it carries article:2 too
    expect((await request.get('/test/articles/talks-resume')).headers['x-cache']).toBe('MISS')
  })

  it('leaves responses alone when a write touches records they do not show', async () => {
    const { request, app } = await setup()
    await request.get('/test/collections/selected')
    await announce(app.store, ['article:1', 'tag:climate', 'author:afp', 'collection:top-stories', 'sections:tree'])
    expect((await request.get('/test/collections/selected')).headers['x-cache']).toBe('HIT')
  })

  it.each([
    ['a section', "update sections set name = 'Worldwide' where id = 2", ['section:news/world-news'], (b: any) => b.section.name, 'Worldwide'],
    ['a tag', "update tags set name = 'Climate crisis' where id = 1", ['tag:climate'], (b: any) => b.tags[0].name, 'Climate crisis'],
    ['an author', "update authors set name = 'Agence France-Presse' where id = 1", ['author:afp'], (b: any) => b.authors[0].name, 'Agence France-Presse'],
  ])('drops an article after a write to %s it shows', async (_kind, update, keys, read, expected) => {
    const { request, app, store } = await setup()
    await request.get('/test/articles/talks-resume')
    await write(store, update)
    await announce(app.store, keys)
    const res = await request.get('/test/articles/talks-resume')
    expect(res.headers['x-cache']).toBe('MISS')
    expect(read(res.body)).toBe(expected)
  })

  it('drops a collection after it is replaced', async () => {
    const { request, app, store } = await setup()
    expect((await request.get('/test/collections/selected')).body.items).toHaveLength(1)
    await write(store, 'insert into collection_items (collection_id, position, article_id) values (1, 1, 1)')
    await announce(app.store, ['collection:selected', 'fronts'])
    expect((await request.get('/test/collections/selected')).body.items).toHaveLength(2)
  })

  it('drops lists after a publish (articles:list) and after an unpublish (article:<id>)', async () => {
    const { request, app, store } = await setup()
    expect((await request.get('/test/latest')).body.data).toHaveLength(2)
    await seedStore(store, (s) => insertArticle(s, { slug: 'breaking', section: 'news/world-news', publishedAt: T0 - 1000 }))
    await announce(app.store, ['article:3', 'articles:list'])
    expect((await request.get('/test/latest')).body.data.map((a: any) => a.id)).toEqual([3, 1, 2])
    await write(store, "update articles set status = 'draft' where id = 1")
    await announce(app.store, ['article:1'])
    expect((await request.get('/test/latest')).body.data.map((a: any) => a.id)).toEqual([3, 2])
  })

  it('drops cached lists when a scheduled article\'s time arrives', async () => {
    const { request, app, store, clock } = await setup()
    await seedStore(store, (s) => insertArticle(s, { slug: 'embargoed', section: 'news/world-news', publishedAt: T0 + 10 * 60_000 }))
    // as every write does (scheduling an article announces it: http/surrogate-keys.ts)
    await announce(app.store, ['article:3'])
    // the next scheduled change is read again after every write (a miss until it is known)
    await app.responseCache!.scheduleRead()
    expect((await request.get('/test/latest')).body.data).toHaveLength(2)
    clock.advance(9 * 60_000)
    const before = await request.get('/test/latest')
    expect(before.headers['x-cache']).toBe('HIT')
    clock.advance(60_000)
    const after = await request.get('/test/latest')
    expect(after.headers['x-cache']).toBe('MISS')
    expect(after.body.data.map((a: any) => a.id)).toEqual([3, 1, 2])
  })

  it('drops a cached collection when one of its items expires', async () => {
    const { request, app, store, clock } = await setup()
    await write(store, 'update collection_items set expires_at = :at where article_id = 2', { at: T0 + 60_000 })
    await announce(app.store, ['collection:selected'])
    expect((await request.get('/test/collections/selected')).body.items).toHaveLength(1)
    clock.advance(60_000)
    expect((await request.get('/test/collections/selected')).body.items).toHaveLength(0)
  })

  it('keeps most-viewed for MOST_VIEWED_CACHE_SECONDS only', async () => {
    const { request, clock } = await setup({ MOST_VIEWED_CACHE_SECONDS: '10' })
    const first = await request.get('/test/most-viewed')
    clock.advance(9_999)
    expect((await request.get('/test/most-viewed')).body).toEqual(first.body)
    clock.advance(1)
    const fresh = await request.get('/test/most-viewed')
    expect(fresh.headers['x-cache']).toBe('MISS')
    expect(fresh.body.generatedAt).toBe('2026-11-24T12:00:10.000Z')
  })

  it('never caches private responses, requests with credentials, or other methods', async () => {
    const { request } = await setup()
    await request.get('/test/private')
    expect((await request.get('/test/private')).headers['x-cache']).toBe('MISS')
    await request.get('/test/latest').set('authorization', 'Bearer x')
    expect((await request.get('/test/latest').set('authorization', 'Bearer x')).headers['x-cache']).toBeUndefined()
    await request.post('/test/write').expect(201)
    expect((await request.post('/test/write').expect(201)).headers['x-cache']).toBeUndefined()
  })

  it('stays within RESPONSE_CACHE_MAX_BYTES, dropping the least recently used first', async () => {
    const { request, app } = await setup({ RESPONSE_CACHE_MAX_BYTES: '20000', COMPRESSION_THRESHOLD: '100000' })
    await request.get('/test/text?size=3000&n=0')
    for (let n = 1; n <= 8; n++) {
      await request.get('/test/text?size=3000&n=0') // keeps n=0 recently used
      await request.get(`/test/text?size=3000&n=${n}`)
    }
    expect(app.responseCache!.bytes).toBeLessThanOrEqual(20000)
    expect((await request.get('/test/text?size=3000&n=0')).headers['x-cache']).toBe('HIT')
    expect((await request.get('/test/text?size=3000&n=8')).headers['x-cache']).toBe('HIT')
    expect((await request.get('/test/text?size=3000&n=1')).headers['x-cache']).toBe('MISS')
  })

  // zlib's sync output is a slice of a 16 KB chunk and small Buffer.from(string)s slices of an 8 KB
  // pool: stored as is, each entry pinned its parent buffer and external memory ran ~4x the budget
  it('stores bodies that own exactly their bytes, so the byte budget is the memory used', async () => {
    const { request, app } = await setup({ COMPRESSION_THRESHOLD: '100' })
    for (const encoding of ['br', 'gzip', 'br', 'gzip', 'identity']) {
      await request.get('/test/text?size=3000&n=1').set('accept-encoding', encoding).expect(200)
    }
    const entry = app.responseCache!.get('/test/text?size=3000&n=1')!
    const bodies = [entry.identity, ...Object.values(entry.variants).map((v) => v.body)]
    expect(Object.keys(entry.variants).sort()).toEqual(['br', 'gzip', 'identity'])
    for (const body of bodies) expect(body.buffer.byteLength).toBe(body.length)
  })

  it('does not store a response built while a write committed', async () => {
    const { request } = await makeApp({
      routes: (app) => {
        app.get('/test/racing', async () => {
          const read = { slug: 'x', name: 'X', path: 'x' }
          await announce(app.store, ['section:x']) // a write commits between the read and the store
          return read
        })
      },
    })
    expect((await request.get('/test/racing')).headers['x-cache']).toBe('MISS')
    expect((await request.get('/test/racing')).headers['x-cache']).toBe('MISS')
  })

  it('is off with RESPONSE_CACHE=false', async () => {
    const { request, app } = await setup({ RESPONSE_CACHE: 'false' })
    await request.get('/test/latest')
    expect((await request.get('/test/latest')).headers['x-cache']).toBeUndefined()
    expect(app.responseCache).toBeNull()
    await announce(app.store, ['articles:list'])
  })

  // A clean-clone CI run saw a node answer 200 MISS to 1,458 reads of one story after PostgreSQL
  // restarted, while it followed the change feed again: an entry kept before the next scheduled
  // change is known is served only once it is, and that read (on a pooled connection the restart
  // had stranded) never answered.
  it('gives up a read of the next scheduled change that never answers, and reads it again', async () => {
    let reads = 0
    const cache = new ResponseCache({
      maxBytes: 1_000_000,
      compressionThreshold: 1024,
      mostViewedTtlMs: 1000,
      clock: Date.now,
      catchUp: () => {},
      following: () => true,
      nextEventDeadlineMs: 50,
      nextContentEvent: async () => ++reads === 1 ? await new Promise<number>(() => {}) : Infinity,
    })
    const keep = () => cache.adopt('/v1/articles/story', '/v1/articles/:slug', { etag: '"1-1"', 'content-type': 'application/json' }, Buffer.from('{}'), ['article:1'])
    keep()
    // the schedule is not known: a miss
    expect(cache.get('/v1/articles/story')).toBeUndefined()
    // each miss keeps the answer again, as the routes do; once the first read is given up, the next
    // one answers and the entry is served
    const served = await eventually(async () => { keep(); return cache.get('/v1/articles/story') }, 5_000, 'served from the cache')
    expect(served.etag).toBe('"1-1"')
    expect(reads).toBe(2)
  })
})
