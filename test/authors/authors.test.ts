import { describe, expect, it } from 'vitest'
import { insertAuthor, type Seed } from '../fixtures.js'
import { makeApp } from '../helpers.js'

const afp = { slug: 'afp', name: 'AFP', kind: 'agency', bio: 'International news agency.', avatarUrl: null }
const reuters = { slug: 'wire-service', name: 'Wire Service', kind: 'agency', bio: null, avatarUrl: null }
const maya = { slug: 'maya-haddad', name: 'Maya Haddad', kind: 'staff', bio: 'Middle East correspondent.', avatarUrl: 'https://media.dateline.example/people/maya.jpg' }
const tom = { slug: 'tom-reyes', name: 'Tom Reyes', kind: 'contributor', bio: null, avatarUrl: null }

function seed (db: Seed) {
  for (const author of [tom, afp, maya, reuters]) insertAuthor(db, author as Parameters<typeof insertAuthor>[1])
}

describe('GET /v1/authors', () => {
  it('lists every author ordered by name', async () => {
    const { request } = await makeApp({ seed })
    await request.get('/v1/authors').expect(200, { data: [afp, maya, tom, reuters] })
  })

  it('lists only wire agencies with kind=agency', async () => {
    const { request } = await makeApp({ seed })
    await request.get('/v1/authors?kind=agency').expect(200, { data: [afp, reuters] })
    await request.get('/v1/authors?kind=staff').expect(200, { data: [maya] })
  })

  it('answers an unknown kind with a 400 problem naming kind', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/authors?kind=robot').expect(400)
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'kind', in: 'query' })])
  })
})

describe('GET /v1/authors/{slug}', () => {
  it('returns one author', async () => {
    const { request } = await makeApp({ seed })
    await request.get('/v1/authors/maya-haddad').expect(200, maya)
  })

  it('answers an unknown slug with a 404 problem', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/authors/nobody').expect(404)
    expect(res.body).toMatchObject({ type: '/problems/not-found', status: 404, instance: '/v1/authors/nobody' })
  })

  it('refuses preview=true without an API key', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/authors?preview=true')
    expect([401, 403]).toContain(res.status)
  })
})
