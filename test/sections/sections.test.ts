import { describe, expect, it } from 'vitest'
import { insertSectionTree } from '../fixtures.js'
import { makeApp } from '../helpers.js'

const news = { slug: 'news', name: 'News', path: 'news' }
const worldNews = { slug: 'world-news', name: 'World News', path: 'news/world-news' }
const middleEast = { slug: 'middle-east', name: 'Middle East', path: 'news/world-news/middle-east' }
const ukNews = { slug: 'uk-news', name: 'UK News', path: 'news/uk-news' }
const sport = { slug: 'sport', name: 'Sport', path: 'sport' }
const football = { slug: 'football', name: 'Football', path: 'sport/football' }

const middleEastNode = {
  ...middleEast, description: null, position: 0, parent: worldNews, children: [], breadcrumbs: [news, worldNews, middleEast],
}
const worldNewsNode = {
  ...worldNews, description: null, position: 1, parent: news, children: [middleEastNode], breadcrumbs: [news, worldNews],
}

describe('GET /v1/sections', () => {
  it('returns the whole tree with children in position order and breadcrumbs on each node', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    const res = await request.get('/v1/sections').expect(200)
    expect(res.body).toEqual({
      data: [
        {
          ...news,
          description: 'The day\'s news.',
          position: 0,
          parent: null,
          breadcrumbs: [news],
          children: [
            { ...ukNews, description: null, position: 0, parent: news, children: [], breadcrumbs: [news, ukNews] },
            worldNewsNode,
          ],
        },
        {
          ...sport,
          description: null,
          position: 1,
          parent: null,
          breadcrumbs: [sport],
          children: [{ ...football, description: null, position: 0, parent: sport, children: [], breadcrumbs: [sport, football] }],
        },
      ],
    })
  })

  it('returns an empty tree on an empty database', async () => {
    const { request } = await makeApp()
    await request.get('/v1/sections').expect(200, { data: [] })
  })
})

describe('GET /v1/sections/{path}', () => {
  it('returns a nested section by its slash-joined path', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    await request.get('/v1/sections/news/world-news').expect(200, worldNewsNode)
    await request.get('/v1/sections/news/world-news/middle-east').expect(200, middleEastNode)
  })

  it('accepts the path with its slashes percent-encoded (as Swagger UI sends it)', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    await request.get('/v1/sections/news%2Fworld-news').expect(200, worldNewsNode)
  })

  it('answers an unknown path with a 404 problem', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    const res = await request.get('/v1/sections/news/no-such-section').expect(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404, instance: '/v1/sections/news/no-such-section' })
    expect(res.body.detail).toContain('news/no-such-section')
  })

  it('answers a malformed path with a 400 problem naming path', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    for (const bad of ['News', 'news//world-news', 'news/world_news', '%00']) {
      const res = await request.get(`/v1/sections/${bad}`).expect(400)
      expect(res.body.errors, bad).toEqual([expect.objectContaining({ path: 'path', in: 'path' })])
    }
  })

  it('ignores a trailing slash', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    await request.get('/v1/sections/news/world-news/').expect(200, worldNewsNode)
  })

  it('refuses preview=true without an API key', async () => {
    const { request } = await makeApp({ seed: insertSectionTree })
    const res = await request.get('/v1/sections/news?preview=true')
    expect([401, 403]).toContain(res.status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
