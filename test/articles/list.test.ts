import { describe, expect, it } from 'vitest'
import { insertArticle, insertAuthor, insertSectionTree, insertTag, type Seed } from '../fixtures.js'
import { makeApp } from '../helpers.js'

const at = (day: number, hour = 9) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`

// Clock (makeApp default): 2026-11-24T12:00Z.
function seed (db: Seed) {
  insertSectionTree(db)
  insertTag(db, { slug: 'gaza', type: 'place' })
  insertTag(db, { slug: 'climate' })
  insertTag(db, { slug: 'elections' })
  insertAuthor(db, { slug: 'afp', name: 'AFP', kind: 'agency' })
  insertAuthor(db, { slug: 'maya-haddad' })
  insertArticle(db, { slug: 'ceasefire-talks', section: 'news/world-news/middle-east', publishedAt: at(20), tags: ['gaza'], authors: ['afp'], byline: 'AFP', standfirst: 'Negotiators meet again.' })
  insertArticle(db, { slug: 'flood-defences', section: 'news/uk-news', publishedAt: at(21), tags: ['climate'], authors: ['maya-haddad'] })
  insertArticle(db, { slug: 'summit-opens', section: 'news/world-news', publishedAt: at(22), tags: ['climate', 'gaza'], authors: ['maya-haddad', 'afp'] })
  insertArticle(db, { slug: 'cup-final', section: 'sport/football', publishedAt: at(23) })
  insertArticle(db, { slug: 'news-roundup', section: 'news', publishedAt: at(19), tags: ['elections'] })
  insertArticle(db, { slug: 'draft-story', section: 'news/world-news', status: 'draft', publishedAt: null, tags: ['gaza'], authors: ['afp'] })
  insertArticle(db, { slug: 'unpublished-again', section: 'news', status: 'draft', publishedAt: at(18), tags: ['gaza'] })
  insertArticle(db, { slug: 'scheduled-story', section: 'news/world-news/middle-east', publishedAt: '2026-11-25T06:00:00.000Z', tags: ['gaza'], authors: ['afp'] })
}

const slugs = (body: { data: Array<{ slug: string }> }) => body.data.map((a) => a.slug)

describe('GET /v1/articles', () => {
  it('lists live articles latest first as summaries, with a page object', async () => {
    const { request, store } = await makeApp({ seed })
    const id = async (slug: string) => (await store.repos.sql.get<{ id: number }>('select id from articles where slug = :slug', { slug }))?.id
    const res = await request.get('/v1/articles').expect(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.headers.link).toBeUndefined()
    expect(slugs(res.body)).toEqual(['cup-final', 'summit-opens', 'flood-defences', 'ceasefire-talks', 'news-roundup'])
    expect(res.body.page).toEqual({ limit: 20, nextCursor: null })
    expect(res.body.data[3]).toEqual({
      id: await id('ceasefire-talks'),
      slug: 'ceasefire-talks',
      url: '/news/world-news/middle-east/ceasefire-talks',
      headline: 'Ceasefire Talks',
      standfirst: 'Negotiators meet again.',
      byline: 'AFP',
      section: { slug: 'middle-east', name: 'Middle East', path: 'news/world-news/middle-east' },
      heroImage: null,
      publishedAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:00:00.000Z',
    })
  })

  it('never lists a draft, an unpublished article or a scheduled one', async () => {
    const { request } = await makeApp({ seed })
    for (const query of ['', '?section=news', '?tag=gaza', '?author=afp', '?section=news/world-news/middle-east&tag=gaza']) {
      const res = await request.get(`/v1/articles${query}`).expect(200)
      expect(slugs(res.body), query).not.toContain('draft-story')
      expect(slugs(res.body), query).not.toContain('unpublished-again')
      expect(slugs(res.body), query).not.toContain('scheduled-story')
    }
  })

  it('lists a scheduled article once the clock passes its time', async () => {
    const { request, clock } = await makeApp({ seed })
    clock.set('2026-11-25T05:59:59.999Z')
    expect(slugs((await request.get('/v1/articles?section=news/world-news/middle-east').expect(200)).body)).toEqual(['ceasefire-talks'])
    clock.set('2026-11-25T06:00:00.000Z')
    expect(slugs((await request.get('/v1/articles?section=news/world-news/middle-east').expect(200)).body)).toEqual(['scheduled-story', 'ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?limit=1').expect(200)).body)).toEqual(['scheduled-story'])
  })

  it('lists descendant sections under section=news', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles?section=news').expect(200)
    expect(slugs(res.body)).toEqual(['summit-opens', 'flood-defences', 'ceasefire-talks', 'news-roundup'])
    expect(slugs((await request.get('/v1/articles?section=news/world-news').expect(200)).body)).toEqual(['summit-opens', 'ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?section=news/world-news/middle-east').expect(200)).body)).toEqual(['ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?section=sport').expect(200)).body)).toEqual(['cup-final'])
  })

  it('lists articles with any of the tags in tag=a,b, each once', async () => {
    const { request } = await makeApp({ seed })
    expect(slugs((await request.get('/v1/articles?tag=gaza').expect(200)).body)).toEqual(['summit-opens', 'ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?tag=climate,gaza').expect(200)).body)).toEqual(['summit-opens', 'flood-defences', 'ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?tag=elections,climate').expect(200)).body)).toEqual(['summit-opens', 'flood-defences', 'news-roundup'])
  })

  it('lists articles by one author, agencies included', async () => {
    const { request } = await makeApp({ seed })
    expect(slugs((await request.get('/v1/articles?author=afp').expect(200)).body)).toEqual(['summit-opens', 'ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?author=maya-haddad').expect(200)).body)).toEqual(['summit-opens', 'flood-defences'])
  })

  it('filters on publishedAt with since (inclusive) and until (exclusive)', async () => {
    const { request } = await makeApp({ seed })
    expect(slugs((await request.get(`/v1/articles?since=${at(21)}`).expect(200)).body)).toEqual(['cup-final', 'summit-opens', 'flood-defences'])
    expect(slugs((await request.get(`/v1/articles?until=${at(21)}`).expect(200)).body)).toEqual(['ceasefire-talks', 'news-roundup'])
    expect(slugs((await request.get(`/v1/articles?since=${at(20)}&until=${at(22)}`).expect(200)).body)).toEqual(['flood-defences', 'ceasefire-talks'])
    expect(slugs((await request.get('/v1/articles?since=2026-11-21T10:00:00%2B01:00').expect(200)).body)).toEqual(['cup-final', 'summit-opens', 'flood-defences'])
  })

  it('combines section, tag, author and time filters', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get(`/v1/articles?section=news&tag=gaza,climate&author=maya-haddad&since=${at(21)}`).expect(200)
    expect(slugs(res.body)).toEqual(['summit-opens', 'flood-defences'])
    await request.get('/v1/articles?section=sport&tag=gaza').expect(200, { data: [], page: { limit: 20, nextCursor: null } })
  })
})

describe('GET /v1/articles: bad parameters', () => {
  const cases: Array<[string, string]> = [
    ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=abc', 'limit'], ['limit=2.5', 'limit'],
    ['section=no-such-section', 'section'], ['section=News', 'section'], ['tag=gaza,no-such-tag', 'tag'], ['tag=,', 'tag'],
    ['author=nobody', 'author'], ['since=yesterday', 'since'], ['since=2026-11-31T00:00:00Z', 'since'],
    ['until=2026-11-20', 'until'], [`since=${at(22)}&until=${at(21)}`, 'until'],
    ['cursor=garbage', 'cursor'], ['cursor=a.b.c', 'cursor'], ['preview=yes', 'preview'],
  ]
  for (const [query, parameter] of cases) {
    it(`answers ${query} with a 400 problem naming ${parameter}`, async () => {
      const { request } = await makeApp({ seed })
      const res = await request.get(`/v1/articles?${query}`).expect(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).toMatchObject({ type: '/problems/validation-error', title: 'Bad Request', status: 400, instance: '/v1/articles' })
      expect(res.body.errors).toEqual([expect.objectContaining({ path: parameter, in: 'query' })])
    })
  }

  it('answers a forged cursor (valid base64 JSON, wrong signature) with a 400 naming cursor', async () => {
    const { request } = await makeApp({ seed })
    const first = await request.get('/v1/articles?limit=2').expect(200)
    const [, mac] = (first.body.page.nextCursor as string).split('.')
    const forged = `${Buffer.from(JSON.stringify({ p: Date.parse(at(30)), i: 1 })).toString('base64url')}.${mac}`
    const res = await request.get(`/v1/articles?limit=2&cursor=${forged}`).expect(400)
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor', in: 'query' })])
  })

  it('answers a cursor taken from another query with a 400 naming cursor', async () => {
    const { request } = await makeApp({ seed })
    const first = await request.get('/v1/articles?limit=1&section=news').expect(200)
    const cursor = first.body.page.nextCursor as string
    await request.get(`/v1/articles?limit=1&section=news&cursor=${cursor}`).expect(200)
    for (const other of ['', 'section=news/world-news', 'section=news&tag=gaza', 'section=news&author=afp', `section=news&since=${at(1)}`]) {
      const res = await request.get(`/v1/articles?limit=1&${other}&cursor=${cursor}`).expect(400)
      expect(res.body.errors, other).toEqual([expect.objectContaining({ path: 'cursor' })])
    }
  })

  it('answers a repeated parameter (limit=1&limit=2, tag=a&tag=b) with one error saying it was given more than once', async () => {
    const { request } = await makeApp({ seed })
    for (const [query, parameter] of [['limit=1&limit=2', 'limit'], ['tag=gaza&tag=climate', 'tag'], ['section=news&section=', 'section']]) {
      const res = await request.get(`/v1/articles?${query}`).expect(400)
      expect(res.body.errors, query).toEqual([{ path: parameter, in: 'query', message: 'is given more than once; send it once' }])
    }
  })

  it('refuses preview=true without an API key', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles?preview=true')
    expect([401, 403]).toContain(res.status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(JSON.stringify(res.body)).not.toContain('draft-story')
  })
})

describe('delivery endpoints never answer 500 to odd input', () => {
  const urls = [
    '/v1/articles?limit=', '/v1/articles?limit=1e1', '/v1/articles?limit=-1', '/v1/articles?limit=1&limit=2',
    '/v1/articles?section=', '/v1/articles?section=%00', '/v1/articles?tag=gaza&tag=climate', `/v1/articles?tag=${'a,'.repeat(1200)}a`,
    '/v1/articles?since=', '/v1/articles?since=9999-12-31T23:59:59Z', '/v1/articles?until=0000-01-01T00:00:00Z',
    '/v1/articles?cursor=', `/v1/articles?cursor=${'x'.repeat(2000)}`, '/v1/articles?cursor=.', '/v1/articles?cursor=%FF.%FF',
    `/v1/articles?cursor=${Buffer.from('null').toString('base64url')}.AAAA`, '/v1/articles?unknown=1',
    `/v1/articles/${'a'.repeat(300)}`, '/v1/articles/%E2%80%AE', '/v1/articles/a%2Fb',
    `/v1/sections/${'a/'.repeat(300)}a`, '/v1/sections/%2e%2e', '/v1/tags/%00', '/v1/authors/..',
  ]
  for (const url of urls) {
    it(`answers ${url.slice(0, 60)} without a 500`, async () => {
      const { request } = await makeApp({ seed })
      const res = await request.get(url)
      expect(res.status, url).toBeLessThan(500)
      if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    })
  }
})
