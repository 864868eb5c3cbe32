// Draft and scheduled stories through every delivery GET in the OpenAPI document: invisible without
// preview (even when curated into a collection, related by editors or most viewed), visible with a
// content:preview key and preview=true (private, no-store), refused with 401/403 otherwise.
import { describe, expect, it } from 'vitest'
import { HOUR, insertViews, seedStore } from '../fixtures.js'
import { makeApp, makeClock } from '../helpers.js'
import { checkResponse, fillPath, loadOperations, makeValidators, managementToken, neverLeaksUnpublished, NOW, SECRET, SECURITY_ENV, seedNewsroom, type Operation } from './operations.js'

const { doc, operations } = await loadOperations()
const validators = makeValidators(doc)
const deliveryGets = operations.filter((op) => op.method === 'GET' && !op.secured && op.path.startsWith('/v1/'))
const supportsPreview = (op: Operation) => op.parameters.some((p) => p.in === 'query' && p.name === 'preview')

// every value worth trying for each path parameter, and extra queries per operation
const VALUES: Record<string, string[]> = {
  slug: ['talks-resume', SECRET.draftSlug, SECRET.scheduledSlug, 'elections', 'afp', 'selected'],
  path: ['news', 'news/world-news'],
  file: ['rss.xml', 'atom.xml', 'feed.json'],
  month: ['2026-11', '2026-12'],
}
const WILDCARD: Record<string, string[]> = {
  '/v1/fronts/{*}': ['news', 'news/world-news'],
  '/v1/feeds/sections/{*}': ['news/rss.xml', 'news/world-news/atom.xml', 'news/world-news/feed.json'],
}
const QUERIES: Record<string, string[]> = {
  '/v1/search': ['q=embargoed', 'q=scheduled', 'q=headline', 'q=officials'],
  '/v1/most-viewed': ['period=1h', 'period=24h', 'period=7d', 'period=30d', 'section=news'],
  '/v1/articles': ['limit=100', 'tag=elections', 'author=afp', 'section=news'],
}

function urlsFor (op: Operation): string[] {
  let paths = [op.path]
  for (const param of op.parameters.filter((p) => p.in === 'path')) {
    const values = param.name === '*' ? WILDCARD[op.path] ?? ['news'] : VALUES[param.name] ?? ['x']
    paths = paths.flatMap((path) => values.map((value) => fillPath(path, { [param.name]: value }).replace(`{${param.name}}`, value)))
  }
  const feedQuery = op.path.startsWith('/v1/feeds') ? ['mode=full'] : []
  const needsQuery = op.parameters.some((p) => p.in === 'query' && p.required)
  const queries = [...(needsQuery ? [] : ['']), ...(QUERIES[op.path] ?? []), ...feedQuery]
  return paths.flatMap((path) => queries.map((q) => (q ? `${path}?${q}` : path)))
}

// the two secrets curated, related, viewed and tagged like any live story
async function newsroomWithSecretsEverywhere () {
  const ctx = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
  const admin = { authorization: `Bearer ${await managementToken(ctx.store)}` }
  const put = await ctx.request.put('/v1/collections/selected').set(admin).send({ name: 'Selected', items: [{ articleId: 3 }, { articleId: 4 }, { articleId: 1 }] })
  expect(put.status, put.text).toBe(201)
  await ctx.request.patch('/v1/articles/1').set(admin).send({ relatedIds: [3, 4, 2] }).expect(200)
  await seedStore(ctx.store, (s) => { for (const [id, count] of [[3, 5000], [4, 4000], [1, 10], [2, 5]] as const) insertViews(s, id, NOW - HOUR, count) })
  const keys = {
    preview: { authorization: `Bearer ${await managementToken(ctx.store, ['content:preview'])}` },
    write: { authorization: `Bearer ${await managementToken(ctx.store, ['content:write'])}` },
  }
  return { ...ctx, keys }
}

describe('unpublished stories without preview', () => {
  it.each(deliveryGets.map((op) => [`${op.method} ${op.path}`, op] as const))('%s shows neither the draft nor the scheduled story', async (_name, op) => {
    const { app } = await newsroomWithSecretsEverywhere()
    for (const url of urlsFor(op)) {
      for (const suffix of ['', `${url.includes('?') ? '&' : '?'}preview=false`]) {
        const res = await app.inject({ method: 'GET', url: url + suffix })
        checkResponse(op, res, validators, url + suffix, { url: url + suffix })
        neverLeaksUnpublished(res, url + suffix, { url: url + suffix })
      }
    }
  })

  it('answers a draft slug exactly like a slug that never existed', async () => {
    const { app } = await newsroomWithSecretsEverywhere()
    for (const suffix of ['', '/related']) {
      const secret = await app.inject({ method: 'GET', url: `/v1/articles/${SECRET.draftSlug}${suffix}` })
      const unknown = await app.inject({ method: 'GET', url: `/v1/articles/no-such-story-at-all${suffix}` })
      expect(secret.statusCode).toBe(404)
      const strip = (body: string, slug: string) => body.replaceAll(slug, 'SLUG').replace(/"requestId":"[^"]*"/, '')
      expect(strip(secret.body, SECRET.draftSlug)).toBe(strip(unknown.body, 'no-such-story-at-all'))
    }
    const view = await app.inject({ method: 'POST', url: `/v1/articles/${SECRET.draftSlug}/views` })
    const unknownView = await app.inject({ method: 'POST', url: '/v1/articles/no-such-story-at-all/views' })
    expect(view.statusCode).toBe(unknownView.statusCode)
  })
})

describe('unpublished stories with preview', () => {
  const previewGets = deliveryGets.filter(supportsPreview)

  it('covers the preview-capable delivery operations', () => {
    expect(previewGets.length).toBeGreaterThan(5)
  })

  it.each(previewGets.map((op) => [`${op.method} ${op.path}`, op] as const))('%s?preview=true is 401 without a key, 403 with a write-only key, private with a preview key', async (_name, op) => {
    const { app, keys } = await newsroomWithSecretsEverywhere()
    for (const url of urlsFor(op)) {
      const previewUrl = `${url}${url.includes('?') ? '&' : '?'}preview=true`
      const anonymous = await app.inject({ method: 'GET', url: previewUrl })
      expect(anonymous.statusCode, previewUrl).toBe(401)
      checkResponse(op, anonymous, validators, previewUrl, { url: previewUrl })
      const writer = await app.inject({ method: 'GET', url: previewUrl, headers: keys.write })
      expect(writer.statusCode, previewUrl).toBe(403)
      const previewer = await app.inject({ method: 'GET', url: previewUrl, headers: keys.preview })
      checkResponse(op, previewer, validators, previewUrl, { url: previewUrl })
      if (previewer.statusCode === 200) expect(previewer.headers['cache-control'], previewUrl).toBe('private, no-store')
    }
  })

  it.each([
    ['the list', '/v1/articles?limit=100'],
    ['the draft itself', `/v1/articles/${SECRET.draftSlug}`],
    ['the scheduled story itself', `/v1/articles/${SECRET.scheduledSlug}`],
    ['the collection', '/v1/collections/selected'],
    ['the editors\' related list', '/v1/articles/talks-resume/related'],
    ['most viewed', '/v1/most-viewed'],
    ['search', '/v1/search?q=embargoed'],
  ])('shows the unpublished story in %s to a preview key', async (_name, url) => {
    const { app, keys } = await newsroomWithSecretsEverywhere()
    const res = await app.inject({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}preview=true`, headers: keys.preview })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.body).toMatch(new RegExp(`${SECRET.draftHeadline}|${SECRET.scheduledHeadline}`))
  })
})
