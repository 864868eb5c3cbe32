// Writes the server refuses: script-capable URL schemes in every URL field, and mass assignment of
// server-owned fields on create and update. Each refusal is a 400 naming the field and changes nothing.
import { describe, expect, it } from 'vitest'
import { makeApp, makeClock } from '../helpers.js'
import { managementToken, NOW, SECURITY_ENV, seedNewsroom } from './operations.js'

const BAD_URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'javascript://example.com/%0Aalert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'data:image/svg+xml,<svg onload=alert(1)>', 'vbscript:msgbox(1)',
  'file:///etc/passwd', '//evil.example/x.jpg', '/relative.jpg',
]

const article = { headline: 'A story', section: 'news/world-news', body: [{ type: 'paragraph', text: 'Text.' }] }
// each URL field with the request that writes it
const URL_FIELDS: Array<[string, string, string, (url: string) => object]> = [
  ['image block src', 'POST', '/v1/articles', (url) => ({ ...article, body: [{ type: 'image', src: url, alt: 'A' }] })],
  ['hero image src', 'POST', '/v1/articles', (url) => ({ ...article, heroImage: { src: url, alt: 'A' } })],
  ['embed url', 'POST', '/v1/articles', (url) => ({ ...article, body: [{ type: 'embed', provider: 'other', url }] })],
  ['image block src (update)', 'PATCH', '/v1/articles/1', (url) => ({ body: [{ type: 'image', src: url, alt: 'A' }] })],
  ['hero image src (update)', 'PATCH', '/v1/articles/1', (url) => ({ heroImage: { src: url, alt: 'A' } })],
  ['embed url (update)', 'PATCH', '/v1/articles/1', (url) => ({ body: [{ type: 'embed', provider: 'youtube', url }] })],
  ['author avatarUrl', 'POST', '/v1/authors', (url) => ({ name: 'Jane Doe', kind: 'staff', avatarUrl: url })],
  ['author avatarUrl (update)', 'PATCH', '/v1/authors/afp', (url) => ({ avatarUrl: url })],
]

// every row a refused write must leave alone, read the same way on both engines
const snapshot = async (ctx: Awaited<ReturnType<typeof makeApp>>) => ({
  a: await ctx.store.repos.sql.all('select id, revision, updated_at, body, hero_image from articles order by id'),
  b: await ctx.store.repos.sql.all('select slug, avatar_url from authors order by id'),
})

async function setup () {
  const ctx = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
  return { ...ctx, auth: { authorization: `Bearer ${await managementToken(ctx.store)}` } }
}

describe('URL schemes', () => {
  it.each(URL_FIELDS)('refuses script-capable and non-absolute URLs in the %s with a 400 naming the field', async (_name, method, url, body) => {
    const ctx = await setup()
    const before = await snapshot(ctx)
    for (const bad of BAD_URLS) {
      const res = await ctx.app.inject({ method: method as 'POST', url, headers: ctx.auth, payload: body(bad) })
      expect(res.statusCode, `${bad}: ${res.body}`).toBe(400)
      const problem = res.json()
      expect(problem.errors.length, bad).toBeGreaterThan(0)
      expect(problem.errors.every((e: { in: string, path: string }) => e.in === 'body' && /src|url|avatarUrl/i.test(e.path)), JSON.stringify(problem.errors)).toBe(true)
    }
    expect(await snapshot(ctx)).toEqual(before)
    // the same field with an https URL is accepted
    const ok = await ctx.app.inject({ method: method as 'POST', url, headers: ctx.auth, payload: body('https://images.example.com/ok.jpg') })
    expect(ok.statusCode, ok.body).toBeLessThan(300)
  })
})

const SERVER_OWNED: Record<string, unknown> = {
  id: 99,
  status: 'published',
  revision: 42,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  publishedAt: '2020-01-01T00:00:00.000Z',
  scheduledAt: '2030-01-01T00:00:00.000Z',
  wordCount: 100000,
  readingTimeMinutes: 1,
  url: '/x/y',
}
const OWNED_ELSEWHERE: Array<[string, string, object]> = [
  ['POST', '/v1/sections', { slug: 'culture', name: 'Culture' }],
  ['PATCH', '/v1/sections/news', { name: 'News!' }],
  ['POST', '/v1/tags', { slug: 'climate', name: 'Climate', type: 'topic' }],
  ['PATCH', '/v1/tags/elections', { name: 'Votes' }],
  ['POST', '/v1/authors', { slug: 'jane', name: 'Jane', kind: 'staff' }],
  ['PATCH', '/v1/authors/afp', { name: 'AFP!' }],
]

describe('mass assignment', () => {
  it.each(Object.keys(SERVER_OWNED))('refuses "%s" on article create and update with a 400 naming it, and changes nothing', async (field) => {
    const ctx = await setup()
    const before = await snapshot(ctx)
    for (const [method, url, body] of [['POST', '/v1/articles', article], ['PATCH', '/v1/articles/3', { headline: 'Changed' }]] as const) {
      const res = await ctx.app.inject({ method, url, headers: ctx.auth, payload: { ...body, [field]: SERVER_OWNED[field] } })
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(400)
      expect(res.json().errors).toContainEqual(expect.objectContaining({ path: `body.${field}`, in: 'body' }))
    }
    expect(await snapshot(ctx)).toEqual(before)
    expect(await ctx.store.repos.sql.get('select status, published_at from articles where id = 3')).toEqual({ status: 'draft', published_at: null })
  })

  it.each(OWNED_ELSEWHERE)('refuses id, createdAt and updatedAt on %s %s', async (method, url, body) => {
    const ctx = await setup()
    const tables = async () => Promise.all(['sections', 'tags', 'authors'].map((t) => ctx.store.repos.sql.all(`select id, slug, name, updated_at from ${t} order by id`)))
    const before = await tables()
    for (const field of ['id', 'createdAt', 'updatedAt']) {
      const res = await ctx.app.inject({ method: method as 'POST', url, headers: ctx.auth, payload: { ...body, [field]: field === 'id' ? 1 : '2020-01-01T00:00:00.000Z' } })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().errors).toContainEqual(expect.objectContaining({ path: `body.${field}` }))
    }
    expect(await tables()).toEqual(before)
  })

  it('ignores prototype-pollution keys rather than merging them', async () => {
    const ctx = await setup()
    const res = await ctx.app.inject({ method: 'PATCH', url: '/v1/articles/1', headers: { ...ctx.auth, 'content-type': 'application/json' }, payload: '{"headline":"Safe","__proto__":{"status":"draft","isAdmin":true}}' })
    expect([200, 400]).toContain(res.statusCode)
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(await ctx.store.repos.sql.get('select status from articles where id = 1')).toEqual({ status: 'published' })
  })
})
