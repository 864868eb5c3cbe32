import { describe, expect, it } from 'vitest'
import { makeNewsroom, seedTaxonomy, story } from './helpers.js'

async function newsroomWithDraft () {
  const n = await makeNewsroom()
  await seedTaxonomy(n)
  await n.request.post('/v1/articles').set(n.auth).send(story()).expect(201)
  const live = async () => (await n.store.repos.articles.summariesByIds([1], { now: n.clock() })).map((s) => s.id)
  const listed = async () => (await n.store.repos.sql.all<{ path: string }>(
    'select s.path from article_listings l join sections s on s.id = l.section_id where l.article_id = 1 and l.published_at <= :now order by s.path',
    { now: n.clock() })).map((r) => r.path)
  return { ...n, live, listed }
}

describe('editorial workflow', () => {
  it('keeps a draft out of delivery', async () => {
    const { live, listed } = await newsroomWithDraft()
    expect(await live()).toEqual([])
    expect(await listed()).toEqual([])
  })

  it('publishes a draft now: published, publishedAt = now, live in its section and every ancestor', async () => {
    const { request, auth, live, listed } = await newsroomWithDraft()
    const res = await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    expect(res.headers.etag).toBe('"1-2"')
    expect(res.body).toMatchObject({ status: 'published', publishedAt: '2026-11-24T12:00:00.000Z', scheduledAt: null, revision: 2 })
    expect(await live()).toEqual([1])
    expect(await listed()).toEqual(['news', 'news/world-news'])
  })

  it('publishes with no body at all', async () => {
    const { request, auth } = await newsroomWithDraft()
    const res = await request.post('/v1/articles/1/publish').set(auth).expect(200)
    expect(res.body.status).toBe('published')
  })

  it('schedules a draft for a future time and makes it live from that second on, with no job', async () => {
    const { request, auth, clock, live, listed } = await newsroomWithDraft()
    const res = await request.post('/v1/articles/1/publish').set(auth).send({ at: '2026-11-24T15:00:00.000Z' }).expect(200)
    expect(res.body).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-24T15:00:00.000Z', publishedAt: '2026-11-24T15:00:00.000Z' })
    expect(await live()).toEqual([])
    expect(await listed()).toEqual([])
    clock.set('2026-11-24T14:59:59.999Z')
    expect(await live()).toEqual([])
    clock.set('2026-11-24T15:00:00.000Z')
    expect(await live()).toEqual([1])
    expect(await listed()).toEqual(['news', 'news/world-news'])
    const later = await request.patch('/v1/articles/1').set(auth).send({ headline: 'Now live' }).expect(200)
    expect(later.body).toMatchObject({ status: 'published', scheduledAt: null, publishedAt: '2026-11-24T15:00:00.000Z' })
  })

  it('answers 400 to a publish time that is not in the future, and changes nothing', async () => {
    const { request, auth, live } = await newsroomWithDraft()
    for (const at of ['2026-11-24T11:59:59.000Z', '2026-11-24T12:00:00.000Z', 'tomorrow']) {
      const res = await request.post('/v1/articles/1/publish').set(auth).send({ at }).expect(400)
      expect(res.body.errors[0].path).toBe('body.at')
    }
    const { body } = await request.get('/v1/articles/1/revisions').set(auth).expect(200)
    expect(body.data).toHaveLength(1)
    expect(await live()).toEqual([])
  })

  it('unpublishes a published article back to draft: gone from delivery at once', async () => {
    const { request, auth, live, listed } = await newsroomWithDraft()
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    const res = await request.post('/v1/articles/1/unpublish').set(auth).expect(200)
    expect(res.body).toMatchObject({ status: 'draft', publishedAt: null, scheduledAt: null, revision: 3 })
    expect(await live()).toEqual([])
    expect(await listed()).toEqual([])
  })

  it('unschedules a scheduled article', async () => {
    const { request, auth, clock, live } = await newsroomWithDraft()
    await request.post('/v1/articles/1/publish').set(auth).send({ at: '2026-11-24T15:00:00.000Z' }).expect(200)
    await request.post('/v1/articles/1/unpublish').set(auth).expect(200)
    clock.set('2026-11-24T16:00:00.000Z')
    expect(await live()).toEqual([])
  })

  it('keeps the first publication time when republishing; later edits move updatedAt only', async () => {
    const { request, auth, clock } = await newsroomWithDraft()
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    clock.advance(3_600_000)
    const edited = await request.patch('/v1/articles/1').set(auth).send({ headline: 'Update' }).expect(200)
    expect(edited.body).toMatchObject({ publishedAt: '2026-11-24T12:00:00.000Z', updatedAt: '2026-11-24T13:00:00.000Z', status: 'published' })
    await request.post('/v1/articles/1/unpublish').set(auth).expect(200)
    clock.advance(3_600_000)
    const again = await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    expect(again.body).toMatchObject({ publishedAt: '2026-11-24T12:00:00.000Z', updatedAt: '2026-11-24T14:00:00.000Z', status: 'published' })
  })

  it('takes the actual time for a scheduled article published early', async () => {
    const { request, auth, clock } = await newsroomWithDraft()
    await request.post('/v1/articles/1/publish').set(auth).send({ at: '2026-11-25T08:00:00.000Z' }).expect(200)
    clock.advance(60_000)
    const res = await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    expect(res.body).toMatchObject({ status: 'published', publishedAt: '2026-11-24T12:01:00.000Z' })
  })

  it('leaves a live article as it is on publish, and refuses to schedule it (409) until unpublished', async () => {
    const { request, auth, live } = await newsroomWithDraft()
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    const same = await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    expect(same.body.revision).toBe(2)
    await request.post('/v1/articles/1/publish').set(auth).send({ at: '2026-11-25T08:00:00.000Z' }).expect(409)
    expect(await live()).toEqual([1])
  })

  it('moves listings along when a published article changes section', async () => {
    const { request, auth, listed } = await newsroomWithDraft()
    await request.post('/v1/articles/1/publish').set(auth).send({}).expect(200)
    await request.patch('/v1/articles/1').set(auth).send({ section: 'sport' }).expect(200)
    expect(await listed()).toEqual(['sport'])
  })

  it('shows a draft to preview only', async () => {
    const { store, clock } = await newsroomWithDraft()
    expect((await store.repos.articles.summariesByIds([1], { now: clock(), preview: true })).map((s) => s.id)).toEqual([1])
    expect(await store.repos.articles.summariesByIds([1], { now: clock() })).toEqual([])
  })
})
