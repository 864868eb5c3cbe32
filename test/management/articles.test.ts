import { describe, expect, it } from 'vitest'
import { count, makeNewsroom, rows, seedTaxonomy, story } from './helpers.js'

async function newsroom () {
  const n = await makeNewsroom()
  await seedTaxonomy(n)
  return n
}

describe('POST /v1/articles', () => {
  it('creates a draft with the management representation and an ETag', async () => {
    const { request, auth } = await newsroom()
    const res = await request.post('/v1/articles').set(auth).send(story()).expect(201)
    expect(res.headers.etag).toBe('"1-1"')
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.body).toEqual({
      id: 1,
      slug: 'talks-resume-in-paris',
      url: '/news/world-news/talks-resume-in-paris',
      headline: 'Talks resume in Paris',
      standfirst: 'Negotiators meet again.',
      body: [
        { type: 'paragraph', text: 'The talks resumed on Monday morning.' },
        { type: 'heading', level: 2, text: 'What next' },
        { type: 'image', src: 'https://media.example.com/map.png', alt: 'Map', caption: 'The region', credit: null },
      ],
      byline: 'AFP',
      authors: [{ slug: 'afp', name: 'AFP', kind: 'agency', bio: null, avatarUrl: null }],
      section: { slug: 'world-news', name: 'World News', path: 'news/world-news' },
      breadcrumbs: [{ slug: 'news', name: 'News', path: 'news' }, { slug: 'world-news', name: 'World News', path: 'news/world-news' }],
      tags: [{ slug: 'climate', name: 'Climate', type: 'topic', description: null }, { slug: 'paris', name: 'Paris', type: 'place', description: null }],
      heroImage: null,
      status: 'draft',
      revision: 1,
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:00:00.000Z',
      publishedAt: null,
      scheduledAt: null,
      wordCount: 17,
      readingTimeMinutes: 1,
      relatedIds: [],
    })
  })

  it('generates ASCII-folded, collision-safe slugs from the headline', async () => {
    const { request, auth } = await newsroom()
    const slugs = []
    for (let i = 0; i < 3; i++) {
      slugs.push((await request.post('/v1/articles').set(auth).send(story({ headline: 'Zürich: déjà vu à l’été!' })).expect(201)).body.slug)
    }
    expect(slugs).toEqual(['zuerich-deja-vu-a-l-ete', 'zuerich-deja-vu-a-l-ete-2', 'zuerich-deja-vu-a-l-ete-3'])
  })

  it('validates a given slug and refuses one that is taken with 409', async () => {
    const { request, auth } = await newsroom()
    const bad = await request.post('/v1/articles').set(auth).send(story({ slug: 'Not A Slug' })).expect(400)
    expect(bad.body.errors[0].path).toBe('body.slug')
    await request.post('/v1/articles').set(auth).send(story({ slug: 'mine' })).expect(201)
    await request.post('/v1/articles').set(auth).send(story({ slug: 'mine' })).expect(409)
  })

  it('answers 400 naming the field for an unknown section, tag, author or related id', async () => {
    const n = await newsroom()
    const { request, auth } = n
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ section: 'news/nowhere' }, 'body.section'],
      [{ tags: ['climate', 'no-such-tag'] }, 'body.tags.1'],
      [{ authors: ['nobody'] }, 'body.authors.0'],
      [{ relatedIds: [999] }, 'body.relatedIds.0'],
      [{ tags: ['climate', 'climate'] }, 'body.tags.1'],
    ]
    for (const [override, path] of cases) {
      const res = await request.post('/v1/articles').set(auth).send(story(override)).expect(400)
      expect(res.body.errors, path).toEqual([expect.objectContaining({ path, in: 'body' })])
    }
    expect(await count(n, 'articles')).toBe(0)
  })

  it('leaves nothing behind when the transaction fails midway (tags and authors written, then a bad related id)', async () => {
    const n = await newsroom()
    const { request, auth } = n
    await request.post('/v1/articles').set(auth).send(story({ relatedIds: [42] })).expect(400)
    for (const table of ['articles', 'article_tags', 'article_authors', 'article_related', 'revisions', 'article_listings']) {
      expect(await count(n, table), table).toBe(0)
    }
  })

  it('refuses server-owned and unknown fields (mass assignment) with 400 naming each', async () => {
    const n = await newsroom()
    const { request, auth } = n
    const owned = { id: 7, status: 'published', revision: 9, createdAt: '2020-01-01T00:00:00.000Z', updatedAt: '2020-01-01T00:00:00.000Z', publishedAt: '2020-01-01T00:00:00.000Z', wordCount: 1, sectionId: 1 }
    const res = await request.post('/v1/articles').set(auth).send(story(owned)).expect(400)
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(Object.keys(owned).map((k) => `body.${k}`).sort())
    expect(await count(n, 'articles')).toBe(0)
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    await request.patch('/v1/articles/1').set(auth).send({ status: 'published' }).expect(400)
    await request.patch('/v1/articles/1').set(auth).send({ publishedAt: '2020-01-01T00:00:00.000Z' }).expect(400)
    expect(await rows(n, 'select status, published_at, revision from articles where id = 1')).toEqual([{ status: 'draft', published_at: null, revision: 1 }])
  })
})

describe('PATCH /v1/articles/{id}', () => {
  it('changes the given fields, replaces lists, recomputes the word count and bumps the revision and ETag', async () => {
    const { request, auth, clock } = await newsroom()
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    await request.post('/v1/articles').set(auth).send(story({ headline: 'Other story' })).expect(201)
    clock.advance(60_000)
    const res = await request.patch('/v1/articles/1').set(auth)
      .send({ headline: 'Talks resume', body: [{ type: 'paragraph', text: 'One two three.' }], tags: ['paris'], section: 'sport', relatedIds: [2], standfirst: null })
      .expect(200)
    expect(res.headers.etag).toBe('"1-2"')
    expect(res.body).toMatchObject({
      headline: 'Talks resume',
      slug: 'talks-resume-in-paris',
      url: '/sport/talks-resume-in-paris',
      standfirst: null,
      tags: [{ slug: 'paris' }],
      authors: [{ slug: 'afp' }],
      relatedIds: [2],
      wordCount: 5,
      revision: 2,
      createdAt: '2026-11-24T12:00:00.000Z',
      updatedAt: '2026-11-24T12:01:00.000Z',
    })
  })

  it('answers 400 to a non-integer id and 404 to an unknown one', async () => {
    const { request, auth } = await newsroom()
    for (const id of ['abc', '1.5', '-1', '0', '1e3']) {
      const res = await request.patch(`/v1/articles/${id}`).set(auth).send({}).expect(400)
      expect(res.body.errors[0]).toMatchObject({ path: 'article', in: 'path' })
    }
    await request.patch('/v1/articles/12345').set(auth).send({ headline: 'X' }).expect(404)
    await request.delete('/v1/articles/12345').set(auth).expect(404)
    await request.post('/v1/articles/12345/publish').set(auth).send({}).expect(404)
  })

  it('refuses relating an article to itself', async () => {
    const { request, auth } = await newsroom()
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    const res = await request.patch('/v1/articles/1').set(auth).send({ relatedIds: [1] }).expect(400)
    expect(res.body.errors[0].path).toBe('body.relatedIds.0')
  })
})

describe('optimistic concurrency with If-Match', () => {
  it('applies a write whose If-Match is current, or * or absent', async () => {
    const { request, auth } = await newsroom()
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    await request.patch('/v1/articles/1').set(auth).set('if-match', '"1-1"').send({ headline: 'A' }).expect(200)
    await request.patch('/v1/articles/1').set(auth).set('if-match', '*').send({ headline: 'B' }).expect(200)
    const res = await request.patch('/v1/articles/1').set(auth).send({ headline: 'C' }).expect(200)
    expect(res.headers.etag).toBe('"1-4"')
  })

  it('answers 412 to a stale If-Match on PATCH, publish, unpublish and DELETE, and changes nothing', async () => {
    const n = await newsroom()
    const { request, auth } = n
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    await request.patch('/v1/articles/1').set(auth).send({ headline: 'Second' }).expect(200)
    const before = await rows(n, 'select * from articles')
    const stale = { ...auth, 'if-match': '"1-1"' }
    const attempts = [
      request.patch('/v1/articles/1').set(stale).send({ headline: 'Lost update' }),
      request.post('/v1/articles/1/publish').set(stale).send({}),
      request.post('/v1/articles/1/unpublish').set(stale),
      request.delete('/v1/articles/1').set(stale),
      request.patch('/v1/articles/1').set({ ...auth, 'if-match': 'W/"1-2"' }).send({ headline: 'Weak' }),
    ]
    for (const attempt of attempts) {
      const res = await attempt.expect(412)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.headers.etag).toBe('"1-2"')
    }
    expect(await rows(n, 'select * from articles')).toEqual(before)
    expect(await count(n, 'revisions')).toBe(2)
  })
})

describe('revisions', () => {
  it('stores every save with the key that made it and lists them newest first', async () => {
    const { request, auth, keys, bearer, clock } = await newsroom()
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    clock.advance(1000)
    await request.patch('/v1/articles/1').set(bearer(keys.admin)).send({ headline: 'Edited' }).expect(200)
    clock.advance(1000)
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    clock.advance(1000)
    await request.post('/v1/articles/1/unpublish').set(auth).expect(200)
    const res = await request.get('/v1/articles/1/revisions').set(auth).expect(200)
    expect(res.headers.etag).toBe('"1-4"')
    expect(res.body.data).toEqual([
      { revision: 4, keyName: 'writer', savedAt: '2026-11-24T12:00:03.000Z', status: 'draft', headline: 'Edited' },
      { revision: 3, keyName: 'writer', savedAt: '2026-11-24T12:00:02.000Z', status: 'published', headline: 'Edited' },
      { revision: 2, keyName: 'admin', savedAt: '2026-11-24T12:00:01.000Z', status: 'draft', headline: 'Edited' },
      { revision: 1, keyName: 'writer', savedAt: '2026-11-24T12:00:00.000Z', status: 'draft', headline: 'Talks resume in Paris' },
    ])
    const one = await request.get('/v1/articles/1/revisions/1').set(auth).expect(200)
    expect(one.body).toMatchObject({ revision: 1, keyName: 'writer', article: { id: 1, revision: 1, headline: 'Talks resume in Paris', tags: [{ slug: 'climate' }, { slug: 'paris' }] } })
    await request.get('/v1/articles/1/revisions/9').set(auth).expect(404)
    await request.get('/v1/articles/2/revisions').set(auth).expect(404)
  })
})

describe('DELETE /v1/articles/{id}', () => {
  it('deletes the article with its revisions, relations and listings (204)', async () => {
    const n = await newsroom()
    const { request, auth } = n
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    await request.post('/v1/articles').set(auth).send(story({ relatedIds: [1] })).expect(201)
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    await request.put('/v1/collections/selected').set(auth).send({ name: 'Selected', items: [{ articleId: 1 }] }).expect(201)
    const res = await request.delete('/v1/articles/1').set(auth).set('if-match', '"1-2"').expect(204)
    expect(res.text).toBe('')
    expect(await count(n, 'articles')).toBe(1)
    for (const table of ['article_listings', 'collection_items', 'article_related']) expect(await count(n, table), table).toBe(0)
    expect(await rows(n, 'select cast(count(*) as integer) as n from revisions where article_id = 1')).toEqual([{ n: 0 }])
    await request.delete('/v1/articles/1').set(auth).expect(404)
  })
})

describe('reading time', () => {
  it('is the same in the management and the delivery representation (461 words: 3 minutes, rounded up)', async () => {
    const n = await newsroom()
    const { request, auth } = n
    // 7 words in the headline and standfirst of story(), 454 in the body: 461 / 230 = 2.004
    const words = Array.from({ length: 454 }, (_, i) => `word${i}`).join(' ')
    const created = await request.post('/v1/articles').set(auth).send(story({ body: [{ type: 'paragraph', text: words }] })).expect(201)
    const published = await request.post(`/v1/articles/${created.body.id}/publish`).set(auth).set('if-match', created.headers.etag!).expect(200)
    const management = await request.get(`/v1/articles/${created.body.id}/revisions/${published.body.revision}`).set(auth).expect(200)
    const delivery = await request.get(`/v1/articles/${created.body.slug}`).expect(200)
    expect(management.body.article.wordCount).toBe(461)
    expect(delivery.body.wordCount).toBe(461)
    expect(management.body.article.readingTimeMinutes).toBe(3)
    expect(delivery.body.readingTimeMinutes).toBe(3)
    expect(published.body.readingTimeMinutes).toBe(3)
  })
})
