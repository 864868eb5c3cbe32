// ETags and If-Match on sections, tags, authors and collections: every management response names the
// record's current state, and a write based on an older state gets 412 and changes nothing.
import { describe, expect, it } from 'vitest'
import { makeNewsroom, type Newsroom } from './helpers.js'

interface Kind {
  name: string
  create: (n: Newsroom) => Promise<{ status: number, headers: Record<string, string> }>
  // the write under test: PATCH for sections, tags and authors, PUT for a collection
  change: (n: Newsroom, name: string, headers?: Record<string, string>) => ReturnType<Newsroom['request']['patch']>
  remove?: (n: Newsroom, headers?: Record<string, string>) => ReturnType<Newsroom['request']['delete']>
  get: string
  table: string
}

// sections, tags and authors: created by POST, changed by PATCH, removed by DELETE at /v1/<plural>/<key>
const crud = (name: string, table: string, key: string, created: Record<string, unknown>): Kind => {
  const at = `/v1/${table}/${key}`
  return {
    name,
    create: ({ request, auth }) => request.post(`/v1/${table}`).set(auth).send(created),
    change: ({ request, auth }, newName, headers = {}) => request.patch(at).set({ ...auth, ...headers }).send({ name: newName }),
    remove: ({ request, auth }, headers = {}) => request.delete(at).set({ ...auth, ...headers }),
    get: at,
    table,
  }
}

const kinds: Kind[] = [
  crud('section', 'sections', 'news', { slug: 'news', name: 'News' }),
  crud('tag', 'tags', 'climate', { slug: 'climate', name: 'Climate', type: 'topic' }),
  crud('author', 'authors', 'afp', { slug: 'afp', name: 'AFP', kind: 'agency' }),
  {
    name: 'collection',
    create: ({ request, auth }) => request.put('/v1/collections/selected').set(auth).send({ name: 'Selected', items: [] }),
    change: ({ request, auth }, name, headers = {}) => request.put('/v1/collections/selected').set({ ...auth, ...headers }).send({ name, items: [] }),
    get: '/v1/collections/selected',
    table: 'collections',
  },
]

const rows = (n: Newsroom, table: string) => n.store.repos.sql.all(`select * from ${table} order by id`)
const shownName = async (n: Newsroom, path: string) => (await n.request.get(path).expect(200)).body.name as string

describe.each(kinds)('$name ETag and If-Match', (kind) => {
  it('sends a strong ETag on create and on every write, a new one after each change (even within one millisecond)', async () => {
    const n = await makeNewsroom()
    const created = await kind.create(n)
    expect(created.status).toBe(201)
    const first = created.headers.etag
    expect(first).toMatch(new RegExp(`^"${kind.name}-[A-Za-z0-9_-]+"$`))
    const second = (await kind.change(n, 'Renamed').expect(200)).headers.etag
    const third = (await kind.change(n, 'Renamed again').expect(200)).headers.etag
    expect(new Set([first, second, third]).size).toBe(3)
    // the delivery GET keeps its own body-hash ETag
    const delivered = await n.request.get(kind.get).expect(200)
    expect(delivered.headers.etag).toMatch(/^"/)
    expect(delivered.headers.etag).not.toBe(third)
    // and it validates the body, not the record: as If-Match it is stale (the 412 names the current one)
    const refused = await kind.change(n, 'From a GET', { 'if-match': delivered.headers.etag! }).expect(412)
    expect(refused.headers.etag).toBe(third)
    expect(refused.body.detail).toContain(third)
  })

  it('lets exactly one of two writes based on the same ETag through', async () => {
    const n = await makeNewsroom()
    const etag = (await kind.create(n)).headers.etag!
    const results = await Promise.all([
      kind.change(n, 'First', { 'if-match': etag }),
      kind.change(n, 'Second', { 'if-match': etag }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 412])
    const winner = results.find((r) => r.status === 200)!
    expect(await shownName(n, kind.get)).toBe(winner.body.name)
  })

  it('answers 412 with the current ETag to a stale or weak If-Match, and changes nothing', async () => {
    const n = await makeNewsroom()
    const stale = (await kind.create(n)).headers.etag!
    const current = (await kind.change(n, 'Edited').expect(200)).headers.etag
    const before = await rows(n, kind.table)
    const attempts = [
      kind.change(n, 'Lost update', { 'if-match': stale }),
      kind.change(n, 'Lost update', { 'if-match': `W/${current}` }),
      kind.change(n, 'Lost update', { 'if-match': '"something-else"' }),
      kind.change(n, 'Lost update', { 'if-match': '' }),
      ...(kind.remove ? [kind.remove(n, { 'if-match': stale })] : []),
    ]
    for (const attempt of attempts) {
      const res = await attempt.expect(412)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).toMatchObject({ status: 412, type: '/problems/precondition-failed' })
      expect(res.headers.etag).toBe(current)
    }
    expect(await rows(n, kind.table)).toEqual(before)
    expect(await shownName(n, kind.get)).toBe('Edited')
  })

  it('applies a write whose If-Match is current (alone or in a list), or *, or absent', async () => {
    const n = await makeNewsroom()
    const etag = (await kind.create(n)).headers.etag!
    const next = (await kind.change(n, 'One', { 'if-match': etag }).expect(200)).headers.etag!
    expect(await shownName(n, kind.get)).toBe('One')
    await kind.change(n, 'Two', { 'if-match': `"old", ${next}` }).expect(200)
    await kind.change(n, 'Three', { 'if-match': '*' }).expect(200)
    expect(await shownName(n, kind.get)).toBe('Three')
    await kind.change(n, 'Four').expect(200)
    expect(await shownName(n, kind.get)).toBe('Four')
  })

  it('refuses an If-Match longer than 1000 characters with 400 naming the header', async () => {
    const n = await makeNewsroom()
    await kind.create(n)
    const res = await kind.change(n, 'Long', { 'if-match': `"${'a'.repeat(1000)}"` }).expect(400)
    expect(res.body.errors[0]).toMatchObject({ path: 'if-match', in: 'header' })
    expect(await shownName(n, kind.get)).not.toBe('Long')
  })
})

describe.each(kinds.filter((k) => k.remove))('$name DELETE with If-Match', (kind) => {
  it('deletes when If-Match is current; an unknown record is 404 before any If-Match check', async () => {
    const n = await makeNewsroom()
    const etag = (await kind.create(n)).headers.etag!
    await kind.remove!(n, { 'if-match': etag }).expect(204)
    await n.request.get(kind.get).expect(404)
    await kind.remove!(n, { 'if-match': etag }).expect(404)
    await kind.change(n, 'Gone', { 'if-match': etag }).expect(404)
  })

  it('never matches an ETag of a deleted record once the same slug is created again', async () => {
    const n = await makeNewsroom()
    const old = (await kind.create(n)).headers.etag!
    await kind.remove!(n).expect(204)
    const fresh = (await kind.create(n)).headers.etag
    expect(fresh).not.toBe(old)
    await kind.change(n, 'Stale', { 'if-match': old }).expect(412)
  })
})

describe('ETag scope', () => {
  it("changes a section's ETag when its parent is renamed, since the section shows the parent", async () => {
    const n = await makeNewsroom()
    const { request, auth } = n
    await request.post('/v1/sections').set(auth).send({ slug: 'news', name: 'News' }).expect(201)
    const child = (await request.post('/v1/sections').set(auth).send({ slug: 'world', name: 'World', parent: 'news' }).expect(201)).headers.etag
    await request.patch('/v1/sections/news').set(auth).send({ name: 'Headlines' }).expect(200)
    await request.patch('/v1/sections/news/world').set({ ...auth, 'if-match': child }).send({ name: 'Lost' }).expect(412)
    expect((await request.get('/v1/sections/news/world').expect(200)).body.name).toBe('World')
  })

  it('answers 412 to any If-Match (* included) on a collection that does not exist, and creates nothing', async () => {
    const n = await makeNewsroom()
    for (const ifMatch of ['*', '"collection-abc"']) {
      const res = await n.request.put('/v1/collections/picks').set({ ...n.auth, 'if-match': ifMatch }).send({ name: 'Picks', items: [] }).expect(412)
      expect(res.body.detail).toMatch(/does not exist yet/)
    }
    expect(await rows(n, 'collections')).toEqual([])
    await n.request.get('/v1/collections/picks').expect(404)
  })

  it("changes a collection's ETag when an article in it is deleted", async () => {
    const n = await makeNewsroom()
    const { request, auth } = n
    await request.post('/v1/sections').set(auth).send({ slug: 'news', name: 'News' }).expect(201)
    await request.post('/v1/articles').set(auth).send({ headline: 'A', body: [], section: 'news', tags: [], authors: [] }).expect(201)
    const etag = (await request.put('/v1/collections/selected').set(auth).send({ name: 'Selected', items: [{ articleId: 1 }] }).expect(201)).headers.etag
    await request.delete('/v1/articles/1').set(auth).expect(204)
    await request.put('/v1/collections/selected').set({ ...auth, 'if-match': etag }).send({ name: 'Lost', items: [] }).expect(412)
  })
})
