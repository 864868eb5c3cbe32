import { describe, expect, it } from 'vitest'
import { eventually, reopenStore } from '../helpers.js'
import { count, makeNewsroom, rows, seedTaxonomy, story, type Newsroom } from './helpers.js'

const listedPaths = async (n: Newsroom, articleId: number) =>
  (await rows<{ path: string }>(n, 'select s.path from article_listings l join sections s on s.id = l.section_id where l.article_id = :articleId order by s.path', { articleId }))
    .map((r) => r.path)

describe('section management', () => {
  it('creates sections under a parent path, generating the slug from the name when left out', async () => {
    const { request, auth } = await makeNewsroom()
    await request.post('/v1/sections').set(auth).send({ slug: 'news', name: 'News' }).expect(201)
    const res = await request.post('/v1/sections').set(auth).send({ name: 'Middle East & Africa', parent: 'news', description: 'Region', position: 2, settings: { selectedCollection: 'mea-picks' } }).expect(201)
    expect(res.headers.location).toBe('/v1/sections/news/middle-east-and-africa')
    expect(res.body).toEqual({
      slug: 'middle-east-and-africa',
      name: 'Middle East & Africa',
      path: 'news/middle-east-and-africa',
      description: 'Region',
      position: 2,
      parent: { slug: 'news', name: 'News', path: 'news' },
      settings: { selectedCollection: 'mea-picks' },
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:00:00.000Z',
    })
    const again = await request.post('/v1/sections').set(auth).send({ name: 'Middle East & Africa', parent: 'news' }).expect(201)
    expect(again.body.path).toBe('news/middle-east-and-africa-2')
  })

  it('answers 409 to a taken path and 400 naming body.parent for an unknown parent', async () => {
    const { request, auth } = await makeNewsroom()
    await request.post('/v1/sections').set(auth).send({ slug: 'news', name: 'News' }).expect(201)
    await request.post('/v1/sections').set(auth).send({ slug: 'news', name: 'News again' }).expect(409)
    const res = await request.post('/v1/sections').set(auth).send({ slug: 'x', name: 'X', parent: 'nowhere' }).expect(400)
    expect(res.body.errors[0].path).toBe('body.parent')
    await request.post('/v1/sections').set(auth).send({ slug: 'x', name: 'X', path: 'x' }).expect(400)
  })

  it('moves a section: descendant paths follow and listings are rebuilt', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    const { request, auth } = n
    await request.post('/v1/sections').set(auth).send({ slug: 'europe', name: 'Europe', parent: 'news/world-news' }).expect(201)
    await request.post('/v1/articles').set(auth).send(story({ section: 'news/world-news/europe' })).expect(201)
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    expect(await listedPaths(n, 1)).toEqual(['news', 'news/world-news', 'news/world-news/europe'])

    const res = await request.patch('/v1/sections/news/world-news').set(auth).send({ parent: 'sport', slug: 'world' }).expect(200)
    expect(res.body).toMatchObject({ path: 'sport/world', parent: { path: 'sport' } })
    const paths = (await rows<{ path: string }>(n, 'select path from sections order by path')).map((r) => r.path)
    expect(paths).toEqual(['news', 'sport', 'sport/world', 'sport/world/europe'])
    expect(await listedPaths(n, 1)).toEqual(['sport', 'sport/world', 'sport/world/europe'])
    const rev = await request.patch('/v1/articles/1').set(auth).send({}).expect(200)
    expect(rev.body.url).toBe('/sport/world/europe/talks-resume-in-paris')
  })

  // On PostgreSQL a list's ?section= path is resolved from memory (db/postgres/section-ids.ts) until
  // the change feed reports a section write, here or in another process.
  it('resolves ?section= by the current paths right after a section moves, here or in another process', async () => {
    const n = await makeNewsroom({ env: { RESPONSE_CACHE: 'false' } })
    await seedTaxonomy(n)
    const { request, auth } = n
    await request.post('/v1/articles').set(auth).send(story({ section: 'news/world-news' })).expect(201)
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    expect((await request.get('/v1/articles?section=news/world-news').expect(200)).body.data).toHaveLength(1)
    await request.patch('/v1/sections/news/world-news').set(auth).send({ parent: 'sport', slug: 'world' }).expect(200)
    await request.get('/v1/articles?section=news/world-news').expect(400)
    expect((await request.get('/v1/articles?section=sport/world').expect(200)).body.data).toHaveLength(1)

    await request.post('/v1/sections').set(auth).send({ slug: 'culture', name: 'Culture' }).expect(201)
    expect((await request.get('/v1/articles?section=culture').expect(200)).body.data).toEqual([])
    const other = await reopenStore(n)
    await other.tx(async (repos) => {
      await repos.sql.run("update sections set slug = 'arts', path = 'arts' where path = 'culture'")
      await repos.changes.record(['section:culture', 'section:arts', 'sections:tree'])
    })
    await eventually(async () => (await request.get('/v1/articles?section=culture')).status === 400, 5_000, 'the other process\'s rename')
    await request.get('/v1/articles?section=arts').expect(200)
  })

  it('refuses moving a section under itself or its descendants', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    for (const parent of ['news', 'news/world-news']) {
      const res = await n.request.patch('/v1/sections/news').set(n.auth).send({ parent }).expect(400)
      expect(res.body.errors[0].path).toBe('body.parent')
    }
  })

  it('answers 409 to deleting a section with children or articles (drafts too), 204 once empty', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    const { request, auth } = n
    await request.delete('/v1/sections/news').set(auth).expect(409)
    await request.post('/v1/articles').set(auth).send(story({ section: 'sport' })).expect(201)
    await request.delete('/v1/sections/sport').set(auth).expect(409)
    await request.delete('/v1/articles/1').set(auth).expect(204)
    await request.delete('/v1/sections/sport').set(auth).expect(204)
    await request.delete('/v1/sections/sport').set(auth).expect(404)
    await request.delete('/v1/sections/news/world-news').set(auth).expect(204)
    await request.delete('/v1/sections/news').set(auth).expect(204)
    expect(await count(n, 'sections')).toBe(0)
  })
})

describe('tag and author management', () => {
  it('creates, edits and deletes tags; 409 for a taken slug or a tag still in use', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    const { request, auth } = n
    const created = await request.post('/v1/tags').set(auth).send({ name: 'Élection présidentielle', type: 'topic', description: 'Vote' }).expect(201)
    expect(created.body).toEqual({ slug: 'election-presidentielle', name: 'Élection présidentielle', type: 'topic', description: 'Vote' })
    await request.post('/v1/tags').set(auth).send({ slug: 'climate', name: 'Climate', type: 'topic' }).expect(409)
    await request.post('/v1/tags').set(auth).send({ name: 'X', type: 'colour' }).expect(400)
    const edited = await request.patch('/v1/tags/election-presidentielle').set(auth).send({ slug: 'election', type: 'topic', description: null }).expect(200)
    expect(edited.body).toEqual({ slug: 'election', name: 'Élection présidentielle', type: 'topic', description: null })
    await request.patch('/v1/tags/election').set(auth).send({ slug: 'climate' }).expect(409)
    await request.patch('/v1/tags/nope').set(auth).send({ name: 'X' }).expect(404)
    await request.post('/v1/articles').set(auth).send(story({ tags: ['climate'] })).expect(201)
    await request.delete('/v1/tags/climate').set(auth).expect(409)
    await request.delete('/v1/tags/election').set(auth).expect(204)
    await request.delete('/v1/tags/election').set(auth).expect(404)
  })

  it('creates, edits and deletes authors; avatarUrl must be http(s)', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    const { request, auth } = n
    const created = await request.post('/v1/authors').set(auth).send({ name: 'Jane Doe', kind: 'staff', bio: 'Reporter', avatarUrl: 'https://media.example.com/jane.jpg' }).expect(201)
    expect(created.body).toEqual({ slug: 'jane-doe', name: 'Jane Doe', kind: 'staff', bio: 'Reporter', avatarUrl: 'https://media.example.com/jane.jpg' })
    const bad = await request.post('/v1/authors').set(auth).send({ name: 'Evil', kind: 'staff', avatarUrl: 'javascript:alert(1)' }).expect(400)
    expect(bad.body.errors[0].path).toBe('body.avatarUrl')
    await request.patch('/v1/authors/jane-doe').set(auth).send({ kind: 'contributor' }).expect(200)
    await request.post('/v1/articles').set(auth).send(story({ authors: ['jane-doe'] })).expect(201)
    await request.delete('/v1/authors/jane-doe').set(auth).expect(409)
    await request.delete('/v1/authors/afp').set(auth).expect(204)
  })
})

describe('PUT /v1/collections/{slug}', () => {
  it('creates (201) then replaces (200) a collection, items in order', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    const { request, auth } = n
    for (let i = 0; i < 3; i++) await request.post('/v1/articles').set(auth).send(story()).expect(201)
    const created = await request.put('/v1/collections/selected').set(auth)
      .send({ name: 'Selected', description: "Editors' picks", items: [{ articleId: 2 }, { articleId: 1, expiresAt: '2026-11-25T00:00:00.000Z' }] }).expect(201)
    expect(created.body).toEqual({
      slug: 'selected',
      name: 'Selected',
      description: "Editors' picks",
      updatedAt: '2026-11-24T12:00:00.000Z',
      items: [{ position: 0, articleId: 2, expiresAt: null }, { position: 1, articleId: 1, expiresAt: '2026-11-25T00:00:00.000Z' }],
    })
    const replaced = await request.put('/v1/collections/selected').set(auth).send({ name: 'Picks', items: [{ articleId: 3 }] }).expect(200)
    expect(replaced.body).toMatchObject({ name: 'Picks', description: null, items: [{ position: 0, articleId: 3, expiresAt: null }] })
    expect(await count(n, 'collection_items')).toBe(1)
  })

  it('answers 400 naming the item for an unknown or repeated article and keeps the old items', async () => {
    const n = await makeNewsroom()
    await seedTaxonomy(n)
    const { request, auth } = n
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    await request.put('/v1/collections/selected').set(auth).send({ name: 'Selected', items: [{ articleId: 1 }] }).expect(201)
    const unknown = await request.put('/v1/collections/selected').set(auth).send({ name: 'Changed', items: [{ articleId: 1 }, { articleId: 99 }] }).expect(400)
    expect(unknown.body.errors[0].path).toBe('body.items.1.articleId')
    const twice = await request.put('/v1/collections/selected').set(auth).send({ name: 'Changed', items: [{ articleId: 1 }, { articleId: 1 }] }).expect(400)
    expect(twice.body.errors[0].path).toBe('body.items.1.articleId')
    expect(await rows(n, 'select c.name, i.article_id from collections c join collection_items i on i.collection_id = c.id'))
      .toEqual([{ name: 'Selected', article_id: 1 }])
    await request.put('/v1/collections/Bad Slug').set(auth).send({ name: 'X', items: [] }).expect(400)
  })
})
