import { describe, expect, it } from 'vitest'
import { isPreview, PreviewQuery } from '../../src/http/auth.js'
import { createApiKey, revokeApiKey, type ScopeName } from '../../src/keys/repository.js'
import { makeApp } from '../helpers.js'
import { makeNewsroom } from './helpers.js'

// Every management operation, with a body that would be valid enough to get past authentication.
const operations: Array<[method: 'post' | 'patch' | 'delete' | 'get' | 'put', path: string, body?: object]> = [
  ['post', '/v1/articles', {}],
  ['patch', '/v1/articles/1', {}],
  ['post', '/v1/articles/1/publish', {}],
  ['post', '/v1/articles/1/unpublish'],
  ['delete', '/v1/articles/1'],
  ['get', '/v1/articles/1/revisions'],
  ['get', '/v1/articles/1/revisions/1'],
  ['post', '/v1/sections', {}],
  ['patch', '/v1/sections/news/world-news', {}],
  ['delete', '/v1/sections/news'],
  ['post', '/v1/tags', {}],
  ['patch', '/v1/tags/climate', {}],
  ['delete', '/v1/tags/climate'],
  ['post', '/v1/authors', {}],
  ['patch', '/v1/authors/afp', {}],
  ['delete', '/v1/authors/afp'],
  ['put', '/v1/collections/selected', {}],
]

describe('API keys and scopes on management endpoints', () => {
  it('answers 401 with WWW-Authenticate: Bearer to every management operation without a key', async () => {
    const { request } = await makeNewsroom()
    for (const [method, path, body] of operations) {
      const res = await request[method](path).send(body)
      expect(res.status, `${method} ${path}`).toBe(401)
      expect(res.headers['www-authenticate'], `${method} ${path}`).toMatch(/^Bearer /)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).toMatchObject({ status: 401, type: '/problems/unauthorized' })
    }
  })

  it('answers 403 with WWW-Authenticate: Bearer to a key without content:write', async () => {
    const { request, keys, bearer } = await makeNewsroom()
    for (const [method, path, body] of operations) {
      const res = await request[method](path).set(bearer(keys.previewer)).send(body)
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.headers['www-authenticate'], `${method} ${path}`).toMatch(/^Bearer .*insufficient_scope/)
      expect(res.body.detail).toContain('content:write')
    }
  })

  it('lets content:write and admin keys through to every management operation', async () => {
    const { request, keys, bearer } = await makeNewsroom()
    for (const key of [keys.writer, keys.admin]) {
      for (const [method, path, body] of operations) {
        const res = await request[method](path).set(bearer(key)).send(body)
        expect([401, 403], `${method} ${path}`).not.toContain(res.status)
        expect(res.status, `${method} ${path}`).toBeLessThan(500)
      }
    }
  })

  it('answers 401 to malformed Authorization headers and unknown keys', async () => {
    const { request, keys } = await makeNewsroom()
    const bad = [
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer',
      `Bearer ${keys.writer} extra`,
      `${keys.writer}`,
      `Bearer ${keys.writer.slice(0, -1)}`,
      `Bearer dl_live_${'A'.repeat(43)}`,
      `Bearer ${keys.writer.replace('dl_live_', 'dl_test_')}`,
    ]
    for (const authorization of bad) {
      const res = await request.post('/v1/tags').set({ authorization }).send({ name: 'X', type: 'topic' })
      expect(res.status, authorization).toBe(401)
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /)
    }
  })

  it('answers 401 to a revoked key', async () => {
    const { request, store, clock, keys, bearer } = await makeNewsroom()
    await request.post('/v1/tags').set(bearer(keys.writer)).send({ name: 'Before', type: 'topic' }).expect(201)
    await revokeApiKey(store, 'writer', clock())
    const res = await request.post('/v1/tags').set(bearer(keys.writer)).send({ name: 'After', type: 'topic' }).expect(401)
    expect(res.body.detail).toMatch(/unknown or revoked/)
  })

  it('ignores a key sent in the query string', async () => {
    const { request, keys } = await makeNewsroom()
    for (const name of ['api_key', 'key', 'access_token', 'authorization']) {
      await request.post(`/v1/tags?${name}=${encodeURIComponent(keys.admin)}`).send({ name: 'X', type: 'topic' }).expect(401)
    }
  })

  it('checks the key before validating the request', async () => {
    const { request } = await makeNewsroom()
    await request.post('/v1/articles').send({ nonsense: true }).expect(401)
    await request.patch('/v1/articles/not-a-number').send({}).expect(401)
  })

  it('stores only a SHA-256 hash of each key and records its last use at most once a minute', async () => {
    const { request, store, clock, keys, bearer } = await makeNewsroom()
    const row = async () => (await store.repos.sql.get<Record<string, unknown>>("select * from api_keys where name = 'writer'"))!
    expect(keys.writer).toMatch(/^dl_live_[A-Za-z0-9_-]{43}$/)
    expect(JSON.stringify(await row())).not.toContain(keys.writer.slice(12))
    expect((await row()).hash).toMatch(/^[0-9a-f]{64}$/)
    expect((await row()).last_used_at).toBeNull()

    await request.post('/v1/tags').set(bearer(keys.writer)).send({ name: 'One', type: 'topic' }).expect(201)
    const first = clock()
    expect((await row()).last_used_at).toBe(first)
    clock.advance(30_000)
    await request.post('/v1/tags').set(bearer(keys.writer)).send({ name: 'Two', type: 'topic' }).expect(201)
    expect((await row()).last_used_at).toBe(first)
    clock.advance(31_000)
    await request.post('/v1/tags').set(bearer(keys.writer)).send({ name: 'Three', type: 'topic' }).expect(201)
    expect((await row()).last_used_at).toBe(clock())
  })
})

describe('isPreview(request) for delivery routes', () => {
  // A delivery-like route that merges PreviewQuery into its querystring, as delivery routes do.
  async function previewApp () {
    const { request, store, clock } = await makeApp({
      routes: (app) => {
        app.get('/probe', { schema: { hide: true, querystring: PreviewQuery } }, async (request, reply) => {
          const preview = isPreview(request)
          reply.header('cache-control', 'public, max-age=60')
          return { preview }
        })
      },
    })
    const key = (name: string, scopes: ScopeName[]) => createApiKey(store, { name, scopes, now: clock() })
    return { request, preview: await key('p', ['content:preview']), admin: await key('a', ['admin']), writer: await key('w', ['content:write']) }
  }

  it('is false without preview=true, whatever the key, and leaves public caching alone', async () => {
    const { request, writer } = await previewApp()
    const res = await request.get('/probe').expect(200, { preview: false })
    expect(res.headers['cache-control']).toBe('public, max-age=60')
    await request.get('/probe?preview=false').set({ authorization: `Bearer ${writer}` }).expect(200, { preview: false })
  })

  it('is true for a content:preview or admin key, and the response is private, no-store', async () => {
    const { request, preview, admin } = await previewApp()
    for (const key of [preview, admin]) {
      const res = await request.get('/probe?preview=true').set({ authorization: `Bearer ${key}` }).expect(200, { preview: true })
      expect(res.headers['cache-control']).toBe('private, no-store')
    }
  })

  it('answers 401 to preview=true without a key (or with the key in the query) and 403 to a key without the scope', async () => {
    const { request, preview, writer } = await previewApp()
    await request.get('/probe?preview=true').expect(401)
    await request.get(`/probe?preview=true&api_key=${preview}`).expect(401)
    const res = await request.get('/probe?preview=true').set({ authorization: `Bearer ${writer}` }).expect(403)
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /)
    expect(res.headers['cache-control']).toBe('no-store')
  })
})
