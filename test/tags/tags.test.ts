import { describe, expect, it } from 'vitest'
import { insertTag, type Seed } from '../fixtures.js'
import { makeApp } from '../helpers.js'

function seed (db: Seed) {
  insertTag(db, { slug: 'gaza', name: 'Gaza', type: 'place' })
  insertTag(db, { slug: 'climate', name: 'Climate', type: 'topic', description: 'Climate change and policy.' })
  insertTag(db, { slug: 'united-nations', name: 'United Nations', type: 'organisation' })
  insertTag(db, { slug: 'elections', name: 'Elections', type: 'topic' })
}

describe('GET /v1/tags', () => {
  it('lists every tag ordered by name', async () => {
    const { request } = await makeApp({ seed })
    await request.get('/v1/tags').expect(200, {
      data: [
        { slug: 'climate', name: 'Climate', type: 'topic', description: 'Climate change and policy.' },
        { slug: 'elections', name: 'Elections', type: 'topic', description: null },
        { slug: 'gaza', name: 'Gaza', type: 'place', description: null },
        { slug: 'united-nations', name: 'United Nations', type: 'organisation', description: null },
      ],
    })
  })

  it('lists only the tags of one type with type=', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/tags?type=topic').expect(200)
    expect(res.body.data.map((t: { slug: string }) => t.slug)).toEqual(['climate', 'elections'])
    await request.get('/v1/tags?type=person').expect(200, { data: [] })
  })

  it('answers an unknown type with a 400 problem naming type', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/tags?type=colour').expect(400)
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'type', in: 'query' })])
  })
})

describe('GET /v1/tags/{slug}', () => {
  it('returns one tag', async () => {
    const { request } = await makeApp({ seed })
    await request.get('/v1/tags/gaza').expect(200, { slug: 'gaza', name: 'Gaza', type: 'place', description: null })
  })

  it('answers an unknown slug with a 404 problem', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/tags/no-such-tag').expect(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404, instance: '/v1/tags/no-such-tag' })
  })

  it('answers a malformed slug with a 400 problem naming slug', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/tags/Not%20A%20Slug').expect(400)
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'slug', in: 'path' })])
  })
})
