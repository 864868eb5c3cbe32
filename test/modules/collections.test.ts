import { describe, expect, it } from 'vitest'
import { makeApp, makeClock } from '../helpers.js'
import { insertArticle, insertCollection, insertSection, seedStore, setStatus } from '../fixtures.js'

describe('GET /v1/collections/{slug}', () => {
  it('lists items in the editors\' order, leaving out expired, unpublished, scheduled and deleted articles and renumbering positions', async () => {
    const clock = makeClock('2026-11-24T12:00:00.000Z')
    const ids: Record<string, number> = {}
    const { request, store } = await makeApp({
      clock,
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        for (const slug of ['first', 'expired', 'expires-later', 'unpublished', 'deleted', 'last']) ids[slug] = insertArticle(db, { slug, section: 'news' })
        ids.scheduled = insertArticle(db, { slug: 'scheduled', section: 'news', publishedAt: '2026-11-25T00:00:00.000Z' })
        insertCollection(db, 'selected', [
          { articleId: ids.first! },
          { articleId: ids.expired!, expiresAt: '2026-11-24T12:00:00.000Z' },
          { articleId: ids['expires-later']!, expiresAt: '2026-11-24T13:00:00.000Z' },
          { articleId: ids.unpublished! },
          { articleId: ids.scheduled! },
          { articleId: ids.deleted! },
          { articleId: ids.last! },
        ])
      },
    })
    await seedStore(store, (s) => setStatus(s, ids.unpublished!, 'draft'))
    await store.repos.sql.run('delete from articles where id = :id', { id: ids.deleted! })

    const res = await request.get('/v1/collections/selected').expect(200)
    expect(res.body).toMatchObject({ slug: 'selected', name: 'The selected', description: null })
    expect(res.body.items.map((i: { position: number, article: { slug: string } }) => [i.position, i.article.slug]))
      .toEqual([[0, 'first'], [1, 'expires-later'], [2, 'last']])
    expect(res.body.items[0].article).toMatchObject({ id: ids.first, url: '/news/first', section: { path: 'news' } })

    clock.set('2026-11-25T00:00:00.000Z')
    const later = await request.get('/v1/collections/selected').expect(200)
    expect(later.body.items.map((i: { article: { slug: string } }) => i.article.slug)).toEqual(['first', 'scheduled', 'last'])
    expect((await store.repos.collections.findShowable('selected', clock()))?.articleIds).toEqual([ids.first, ids.scheduled, ids.last])
  })

  it('answers 404 for an unknown collection and 400 for a malformed slug', async () => {
    const { request, store } = await makeApp()
    await request.get('/v1/collections/nope').expect(404).expect('content-type', /problem\+json/)
    await request.get('/v1/collections/Bad%20Slug').expect(400)
    expect(await store.repos.collections.findShowable('nope', Date.now())).toBeUndefined()
  })
})
