import { describe, expect, it } from 'vitest'
import { announce, makeApp } from '../helpers.js'
import { registerTestRoutes, seedNewsroom } from './fixtures.js'

const setup = (env: Record<string, string> = {}) => makeApp({ env, seed: seedNewsroom, routes: registerTestRoutes })

describe.each([['cache on', 'true'], ['cache off', 'false']])('HTTP caching semantics (%s)', (_name, responseCache) => {
  const env = { RESPONSE_CACHE: responseCache }

  it('sends a strong ETag, public Cache-Control and Vary on a GET 200', async () => {
    const { request } = await setup(env)
    const res = await request.get('/test/articles/talks-resume').expect(200)
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(res.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300')
    expect(res.headers.vary).toMatch(/accept-encoding/)
    expect(res.headers['last-modified']).toBe('Tue, 24 Nov 2026 11:00:00 GMT')
  })

  it('answers 304 with no body to a matching If-None-Match, every time', async () => {
    const { request } = await setup(env)
    const { headers } = await request.get('/test/latest').expect(200)
    for (const inm of [headers.etag, `W/${headers.etag}`, `"other", ${headers.etag}`, '*', headers.etag]) {
      const res = await request.get('/test/latest').set('if-none-match', inm!).expect(304)
      expect(res.text ?? '').toBe('')
      expect(res.headers['content-length']).toBeUndefined()
      expect(res.headers.etag).toBe(headers.etag)
      expect(res.headers['cache-control']).toMatch(/^public/)
    }
  })

  it('answers 200 to an If-None-Match that does not match', async () => {
    const { request } = await setup(env)
    const res = await request.get('/test/latest').set('if-none-match', '"stale"').expect(200)
    expect(res.body.data).toHaveLength(2)
  })

  it('answers 304 to If-Modified-Since at or after Last-Modified, unless If-None-Match is sent', async () => {
    const { request } = await setup(env)
    await request.get('/test/articles/talks-resume').set('if-modified-since', 'Tue, 24 Nov 2026 11:00:00 GMT').expect(304)
    await request.get('/test/articles/talks-resume').set('if-modified-since', 'Tue, 24 Nov 2026 10:59:59 GMT').expect(200)
    await request.get('/test/articles/talks-resume')
      .set('if-modified-since', 'Tue, 24 Nov 2026 11:00:00 GMT').set('if-none-match', '"stale"').expect(200)
  })

  it('keeps the ETag while content is unchanged and changes it when the content changes', async () => {
    const { request, app, store } = await setup(env)
    const first = await request.get('/test/articles/talks-resume').expect(200)
    const again = await request.get('/test/articles/talks-resume').expect(200)
    expect(again.headers.etag).toBe(first.headers.etag)
    await store.tx(({ sql }) => sql.run("update articles set headline = 'Talks collapse' where id = 1"))
    await announce(app.store, ['article:1'])
    const changed = await request.get('/test/articles/talks-resume').expect(200)
    expect(changed.body.headline).toBe('Talks collapse')
    expect(changed.headers.etag).not.toBe(first.headers.etag)
    await request.get('/test/articles/talks-resume').set('if-none-match', first.headers.etag!).expect(200)
  })

  it('names every record of the body in Surrogate-Key', async () => {
    const { request } = await setup(env)
    const res = await request.get('/test/articles/talks-resume').expect(200)
    expect(res.headers['surrogate-key']!.split(' ').sort()).toEqual(
      ['article:1', 'article:2', 'author:afp', 'section:news', 'section:news/world-news', 'tag:climate'])
    const collection = await request.get('/test/collections/selected').expect(200)
    expect(collection.headers['surrogate-key']!.split(' ').sort()).toEqual(
      ['article:2', 'collection:selected', 'section:news/world-news'])
  })

  it('adds the keys a route names itself', async () => {
    const { request } = await setup(env)
    const res = await request.get('/test/latest').expect(200)
    expect(res.headers['surrogate-key']!.split(' ')).toEqual(expect.arrayContaining(['articles:list', 'article:1', 'article:2']))
  })

  it('keeps a route\'s own Cache-Control, and never marks requests with credentials public', async () => {
    const { request } = await setup(env)
    const priv = await request.get('/test/private').expect(200)
    expect(priv.headers['cache-control']).toBe('private, no-store')
    const authed = await request.get('/test/latest').set('authorization', 'Bearer abc').expect(200)
    expect(authed.headers['cache-control']).toBe('no-store')
    expect(authed.headers['x-cache']).toBeUndefined()
  })

  it('marks writes and problems no-store, without ETag or Surrogate-Key', async () => {
    const { request } = await setup(env)
    const write = await request.post('/test/write').expect(201)
    expect(write.headers['cache-control']).toBe('no-store')
    expect(write.headers.etag).toBeUndefined()
    const missing = await request.get('/test/articles/nope').expect(404)
    expect(missing.headers['cache-control']).toBe('no-store')
    expect(missing.headers.etag).toBeUndefined()
    expect(missing.headers['surrogate-key']).toBeUndefined()
  })
})
