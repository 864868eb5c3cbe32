// Concurrent writes against the real app, on both engines: SQLite serialises transactions; on
// PostgreSQL (READ COMMITTED) each read-check-write locks the row it checks, so of several writes
// based on one ETag exactly one goes through, and a check that loses a race to a concurrent insert
// ends as a 409 (or, for a generated slug, as the next free slug), never a 500.
import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'
import { count, makeNewsroom, rows, seedTaxonomy, story, type Newsroom } from './helpers.js'

async function newsroomWithDraft () {
  const n = await makeNewsroom()
  await seedTaxonomy(n)
  await n.request.post('/v1/articles').set(n.auth).send(story()).expect(201)
  await warm(n)
  return n
}

const statuses = (results: Array<{ status: number }>) => results.map((r) => r.status).sort()

// In-process requests (app.inject), all started in the same tick, on a warm pool: over sockets, or
// while PostgreSQL connections are still being opened, the second request of a batch often starts
// after the first has committed, and nothing would race.
type Sent = { status: number, headers: Record<string, string | undefined>, body: any, text: string }
async function warm (n: Newsroom) {
  if (n.store.engine === 'postgres') await Promise.all(Array.from({ length: 4 }, () => n.store.repos.sql.get('select pg_sleep(0.05)')))
}

function send (n: Newsroom, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}): Promise<Sent> {
  return n.app.inject({ method, url, payload, headers: { ...n.auth, ...headers } }).then((res) => ({
    status: res.statusCode,
    headers: res.headers as Record<string, string | undefined>,
    body: res.body ? JSON.parse(res.body) : undefined,
    text: res.body,
  }))
}

describe('concurrent article writes', () => {
  it('lets exactly one of two PATCHes with the same If-Match through; the other gets 412 with the new ETag', async () => {
    const n = await newsroomWithDraft()
    const results = await Promise.all(['First', 'Second'].map((headline) => send(n, 'PATCH', '/v1/articles/1', { headline }, { 'if-match': '"1-1"' })))
    expect(statuses(results)).toEqual([200, 412])
    const winner = results.find((r) => r.status === 200)!
    const loser = results.find((r) => r.status === 412)!
    expect(winner.headers.etag).toBe('"1-2"')
    expect(loser.headers.etag).toBe('"1-2"')
    expect(await rows(n, 'select revision, headline from articles')).toEqual([{ revision: 2, headline: winner.body.headline }])
    expect(await count(n, 'revisions')).toBe(2)
  })

  it('lets exactly one of many writes (edits, publish, schedule, delete) based on one ETag through', async () => {
    const n = await newsroomWithDraft()
    const at = { 'if-match': '"1-1"' }
    const results = await Promise.all([
      ...['A', 'B', 'C', 'D'].map((headline) => send(n, 'PATCH', '/v1/articles/1', { headline }, at)),
      send(n, 'POST', '/v1/articles/1/publish', {}, at),
      send(n, 'POST', '/v1/articles/1/publish', { at: '2026-11-25T08:00:00.000Z' }, at),
      send(n, 'DELETE', '/v1/articles/1', undefined, at),
    ])
    const through = results.filter((r) => r.status < 300)
    expect(through, JSON.stringify(statuses(results))).toHaveLength(1)
    // the others find revision 2 (412) or, when the delete won, no article (404)
    const deleted = through[0]!.status === 204
    expect(results.filter((r) => r.status === (deleted ? 404 : 412))).toHaveLength(results.length - 1)
    expect(await count(n, 'revisions')).toBe(deleted ? 0 : 2)
  })

  it('answers 409 to all but one of several creates with the same slug, and stores one article', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    await warm(n)
    const results = await Promise.all(Array.from({ length: 4 }, () => send(n, 'POST', '/v1/articles', story({ slug: 'same-slug' }))))
    expect(statuses(results)).toEqual([201, 409, 409, 409])
    for (const res of results.filter((r) => r.status === 409)) expect(res.body).toMatchObject({ status: 409, type: '/problems/conflict' })
    expect(await rows(n, 'select slug from articles')).toEqual([{ slug: 'same-slug' }])
  })

  it('gives concurrent creates of one headline the next free slugs', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    await warm(n)
    const results = await Promise.all(Array.from({ length: 3 }, () => send(n, 'POST', '/v1/articles', story())))
    expect(statuses(results)).toEqual([201, 201, 201])
    expect(results.map((r) => r.body.slug).sort()).toEqual(['talks-resume-in-paris', 'talks-resume-in-paris-2', 'talks-resume-in-paris-3'])
  })
})

describe('concurrent taxonomy writes', () => {
  it('gives concurrent creates of one tag, author or section name the next free slugs', async () => {
    const n = await makeNewsroom()
    await warm(n)
    const create = (path: string, body: object) => Promise.all(Array.from({ length: 3 }, () => send(n, 'POST', path, body)))
    const cases = [['/v1/tags', { name: 'Climate', type: 'topic' }, 'climate'], ['/v1/authors', { name: 'Jane Doe', kind: 'staff' }, 'jane-doe'], ['/v1/sections', { name: 'World' }, 'world']] as const
    for (const [path, body, slug] of cases) {
      const results = await create(path, body)
      expect(statuses(results), path).toEqual([201, 201, 201])
      expect(results.map((r) => r.body.slug).sort(), path).toEqual([slug, `${slug}-2`, `${slug}-3`])
    }
  })

  it('never answers 5xx to a tag deleted while articles are being tagged with it', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    await warm(n)
    const results = await Promise.all([
      send(n, 'POST', '/v1/articles', story({ tags: ['climate'] })),
      send(n, 'DELETE', '/v1/tags/climate'),
      send(n, 'POST', '/v1/articles', story({ tags: ['climate'] })),
    ])
    for (const res of results) expect([201, 204, 400, 409], res.text).toContain(res.status)
    const tagged = await count(n, 'article_tags')
    const tag = await rows(n, "select id from tags where slug = 'climate'")
    // either the tag is gone and no article carries it, or it stayed because articles carry it
    expect(tag.length === 0 ? tagged === 0 : results[1]!.status === 409).toBe(true)
  })

  it('lets exactly one of two section moves with the same If-Match through', async () => {
    const n: Newsroom = await makeNewsroom()
    await seedTaxonomy(n)
    const etag = (await n.request.patch('/v1/sections/news/world-news').set(n.auth).send({}).expect(200)).headers.etag!
    await warm(n)
    const results = await Promise.all([
      send(n, 'PATCH', '/v1/sections/news/world-news', { name: 'World' }, { 'if-match': etag }),
      send(n, 'PATCH', '/v1/sections/news/world-news', { parent: 'sport' }, { 'if-match': etag }),
    ])
    const [rename, move] = results as [{ status: number }, { status: number }]
    // the loser read the section before the winner committed (412), or, when the move won, found
    // no section at the path it names any more (404): never both applied
    if (move.status === 200) expect([404, 412]).toContain(rename.status)
    else expect([rename.status, move.status]).toEqual([200, 412])
    const sections = await rows(n, "select name, path from sections where slug = 'world-news'")
    expect(sections).toEqual([move.status === 200 ? { name: 'World News', path: 'sport/world-news' } : { name: 'World', path: 'news/world-news' }])
  })
})

describe('a unique violation that escapes a repository', () => {
  it('is a 409 problem, not a 500', async () => {
    const { request } = await makeApp({
      routes: (app) => {
        // two tags with one slug in one transaction, past the service's check: the database's own unique violation
        app.post('/test/duplicate', { schema: { hide: true } }, async () => app.store.tx(async ({ tags }) => {
          const tag = { slug: 'twice', name: 'Twice', type: 'topic' as const, description: null, createdAt: 0, updatedAt: 0 }
          await tags.insert(tag)
          await tags.insert(tag)
          return { ok: true }
        }))
      },
    })
    const res = await request.post('/test/duplicate').expect(409)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ status: 409, type: '/problems/conflict', title: 'Conflict' })
    expect(res.text).not.toMatch(/SQLITE|23505|duplicate key|tags_slug/i)
  })
})
