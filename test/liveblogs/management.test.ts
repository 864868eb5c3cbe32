// Live blog management through HTTP: the live flag on articles, entry create/change/delete, their
// validation problems and If-Match; every write in one transaction with its event and change record.
import { describe, expect, it } from 'vitest'
import { count, rows } from '../management/helpers.js'
import { entry, makeBlog, post } from './helpers.js'

describe('live flag on articles', () => {
  it('create with live: true makes a live blog; PATCH live: false ends it; ordinary articles stay ordinary', async () => {
    const b = await makeBlog()
    const managed = await b.request.patch(`/v1/articles/${b.id}`).set(b.auth).send({}).expect(200)
    expect(managed.body.live).toBe(true)
    expect((await b.request.get(`/v1/articles/${b.slug}`).expect(200)).body.live.isLive).toBe(true)
    const ended = await b.request.patch(`/v1/articles/${b.id}`).set(b.auth).send({ live: false }).expect(200)
    expect(ended.body.live).toBe(false)
    expect((await b.request.get(`/v1/articles/${b.slug}`).expect(200)).body.live.isLive).toBe(false)
    // entries stay readable
    await b.request.get(`/v1/articles/${b.slug}/entries`).expect(200)

    const plain = await b.request.post('/v1/articles').set(b.auth).send({ headline: 'Plain story', body: [], section: 'news' }).expect(201)
    expect(plain.body).not.toHaveProperty('live')
    const stillPlain = await b.request.patch(`/v1/articles/${plain.body.id}`).set(b.auth).send({ live: false }).expect(200)
    expect(stillPlain.body).not.toHaveProperty('live')
    const res = await b.request.post(`/v1/articles/${plain.body.id}/entries`).set(b.auth).send(entry()).expect(409)
    expect(res.body.detail).toMatch(/not a live blog/)
    await b.request.patch(`/v1/articles/${plain.body.id}`).set(b.auth).send({ live: true }).expect(200)
    await b.request.post(`/v1/articles/${plain.body.id}/entries`).set(b.auth).send(entry()).expect(201)
  })

  it('refuses a live value that is not a boolean', async () => {
    const b = await makeBlog()
    const res = await b.request.patch(`/v1/articles/${b.id}`).set(b.auth).send({ live: 'yes' }).expect(400)
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.live', in: 'body' })])
  })
})

describe('POST /v1/articles/{id}/entries', () => {
  it('creates an entry (201) with its management view, ETag and Location; records an event and the change', async () => {
    const b = await makeBlog()
    b.clock.advance(60_000)
    const before = b.app.store.feed.delivered
    const res = await b.request.post(`/v1/articles/${b.id}/entries`).set(b.auth)
      .send({ headline: 'Exit poll', body: [{ type: 'paragraph', text: 'The exit poll is out.' }], authors: ['afp'], keyEvent: true }).expect(201)
    expect(res.body).toEqual({
      id: 1,
      createdAt: '2026-11-24T12:01:00.000Z',
      updatedAt: '2026-11-24T12:01:00.000Z',
      headline: 'Exit poll',
      body: [{ type: 'paragraph', text: 'The exit poll is out.' }],
      authors: [{ slug: 'afp', name: 'AFP', kind: 'agency', bio: null, avatarUrl: null }],
      keyEvent: true,
      pinned: false,
      articleId: b.id,
      revision: 1,
    })
    expect(res.headers.etag).toBe('"entry-1-1"')
    expect(res.headers.location).toBe(`/v1/articles/${b.id}/entries/1`)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(await rows(b, 'select entry_id as "entryId", kind from entry_events')).toEqual([{ entryId: 1, kind: 'created' }])
    expect(b.app.store.feed.delivered).toBe(before + 1)
    const change = await b.store.repos.changes.since(0, 1000)
    expect(change[change.length - 1]!.keys).toEqual([`article:${b.id}`, `liveblog:${b.id}`, 'articles:list'])
  })

  it('answers validation problems naming each bad field, and writes nothing', async () => {
    const b = await makeBlog()
    const bad = async (body: unknown, paths: string[]) => {
      const res = await b.request.post(`/v1/articles/${b.id}/entries`).set(b.auth).send(body as object).expect(400)
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(paths)
    }
    // (a top-level field named `body` is reported as `body`, as for articles: http/problem.ts)
    await bad({ body: [] }, ['body'])
    await bad({ body: [{ type: 'paragraph', text: '' }] }, ['body.body.0.text'])
    await bad({ body: [{ type: 'script', text: 'x' }] }, ['body.body.0.type'])
    await bad({ ...entry(), id: 5 }, ['body.id'])
    await bad({ ...entry(), keyEvent: 'yes' }, ['body.keyEvent'])
    await bad({ ...entry(), authors: ['nobody'] }, ['body.authors.0'])
    await bad({ ...entry(), authors: ['afp', 'afp'] }, ['body.authors.1'])
    await bad({ ...entry(), keyEvent: true }, ['body.headline'])
    expect(await count(b, 'live_entries')).toBe(0)
    expect(await count(b, 'entry_events')).toBe(0)
  })

  it('needs content:write, and 404s for an unknown article', async () => {
    const b = await makeBlog()
    await b.request.post(`/v1/articles/${b.id}/entries`).send(entry()).expect(401)
    await b.request.post(`/v1/articles/${b.id}/entries`).set(b.bearer(b.keys.previewer)).send(entry()).expect(403)
    await b.request.post('/v1/articles/999/entries').set(b.auth).send(entry()).expect(404)
    await b.request.post('/v1/articles/abc/entries').set(b.auth).send(entry()).expect(400)
  })
})

describe('PATCH and DELETE /v1/articles/{id}/entries/{entryId}', () => {
  it('changes an entry, bumps its revision and ETag, and checks If-Match (412 with the current ETag)', async () => {
    const b = await makeBlog()
    const e = await post(b, { headline: 'First' })
    b.clock.advance(30_000)
    const res = await b.request.patch(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).set('if-match', '"entry-1-1"')
      .send({ pinned: true, headline: null }).expect(200)
    expect(res.body).toMatchObject({ id: e.id, revision: 2, pinned: true, headline: null, updatedAt: '2026-11-24T12:01:30.000Z', createdAt: '2026-11-24T12:01:00.000Z' })
    expect(res.headers.etag).toBe('"entry-1-2"')
    const stale = await b.request.patch(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).set('if-match', '"entry-1-1"').send({ pinned: false }).expect(412)
    expect(stale.headers.etag).toBe('"entry-1-2"')
    expect(stale.body.type).toBe('/problems/precondition-failed')
    await b.request.patch(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).send({ keyEvent: true }).expect(400)
    await b.request.patch(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).send({ revision: 9 }).expect(400)
    await b.request.patch(`/v1/articles/${b.id}/entries/99`).set(b.auth).send({ pinned: false }).expect(404)
    expect((await rows(b, 'select kind from entry_events order by id')).map((r) => r.kind)).toEqual(['created', 'changed'])

    await b.request.delete(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).set('if-match', '"entry-1-1"').expect(412)
    await b.request.delete(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).set('if-match', '"entry-1-2"').expect(204)
    await b.request.delete(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).expect(404)
    expect(await count(b, 'live_entries')).toBe(0)
    expect(await rows(b, 'select entry_id as "entryId", kind from entry_events order by id')).toEqual([
      { entryId: 1, kind: 'created' }, { entryId: 1, kind: 'changed' }, { entryId: 1, kind: 'deleted' },
    ])
  })

  it('keeps every saved state as a revision, newest first, with the key that saved it', async () => {
    const b = await makeBlog()
    const e = await post(b, { headline: 'First', authors: ['afp'] })
    b.clock.advance(1000)
    const changed = await b.request.patch(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).send({ headline: 'Second' }).expect(200)
    const res = await b.request.get(`/v1/articles/${b.id}/entries/${e.id}/revisions`).set(b.auth).expect(200)
    expect(res.headers.etag).toBe('"entry-1-2"')
    expect(res.body.data.map((r: { revision: number, keyName: string }) => [r.revision, r.keyName])).toEqual([[2, 'writer'], [1, 'writer']])
    expect(res.body.data[0].entry).toEqual(changed.body)
    expect(JSON.stringify(res.body.data[0].entry)).toBe(JSON.stringify(changed.body))
    expect(res.body.data[1].entry).toMatchObject({ headline: 'First', revision: 1, authors: [{ slug: 'afp' }] })
    expect(res.body.data[1].savedAt).toBe('2026-11-24T12:01:00.000Z')
    await b.request.get(`/v1/articles/${b.id}/entries/${e.id}/revisions`).expect(401)
    await b.request.get(`/v1/articles/${b.id}/entries/99/revisions`).set(b.auth).expect(404)
  })

  it('does not touch an entry of another live blog', async () => {
    const b = await makeBlog()
    const e = await post(b)
    const other = await b.request.post('/v1/articles').set(b.auth).send({ headline: 'Other live', body: [], section: 'news', live: true }).expect(201)
    await b.request.patch(`/v1/articles/${other.body.id}/entries/${e.id}`).set(b.auth).send({ pinned: true }).expect(404)
    await b.request.delete(`/v1/articles/${other.body.id}/entries/${e.id}`).set(b.auth).expect(404)
  })
})
