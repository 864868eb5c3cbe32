import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'
import { DAY, insertArticle, insertSection } from '../fixtures.js'

const at = (iso: string) => Date.parse(iso)

describe('GET /v1/articles/{slug}/related', () => {
  it('lists editor-chosen articles first in their order, then scored ones, never the story itself or drafts', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'sport' })
        const pickB = insertArticle(db, { slug: 'pick-b', section: 'sport' })
        const pickA = insertArticle(db, { slug: 'pick-a', section: 'sport' })
        const draftPick = insertArticle(db, { slug: 'draft-pick', section: 'news', status: 'draft', publishedAt: null })
        insertArticle(db, { slug: 'shares-tag', section: 'sport', tags: ['floods'] })
        insertArticle(db, { slug: 'same-section', section: 'news' })
        insertArticle(db, { slug: 'draft-same-tag', section: 'news', tags: ['floods'], status: 'draft', publishedAt: null })
        insertArticle(db, { slug: 'scheduled-same-tag', section: 'news', tags: ['floods'], publishedAt: '2026-12-01T00:00:00.000Z' })
        insertArticle(db, { slug: 'story', section: 'news', tags: ['floods'], related: [pickA, draftPick, pickB] })
      },
    })
    const res = await request.get('/v1/articles/story/related').expect(200)
    expect(res.body.data.map((a: { slug: string }) => a.slug)).toEqual(['pick-a', 'pick-b', 'shares-tag', 'same-section'])
    expect(res.body.data[0].reason).toEqual({ kind: 'editor' })
    expect(res.body.data[2].reason).toMatchObject({ kind: 'tags', tags: ['floods'] })
    expect(res.body.data[2].reason.score).toBeGreaterThan(0)
    expect(res.body.data[3].reason).toMatchObject({ kind: 'section' })
    expect(res.body.data[0]).toMatchObject({ slug: 'pick-a', url: '/sport/pick-a', section: { path: 'sport' } })
  })

  it('ranks an article sharing a rare tag above one sharing a common tag', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'culture' })
        for (let i = 0; i < 20; i++) insertArticle(db, { slug: `filler-${i}`, section: 'culture', tags: ['politics'], publishedAt: at('2026-01-01T00:00:00.000Z') + i })
        insertArticle(db, { slug: 'rare-match', section: 'culture', tags: ['raqqa'], publishedAt: '2026-11-19T00:00:00.000Z' })
        insertArticle(db, { slug: 'common-match', section: 'culture', tags: ['politics'], publishedAt: '2026-11-19T00:00:00.000Z' })
        insertArticle(db, { slug: 'story', section: 'news', tags: ['politics', 'raqqa'] })
      },
    })
    const res = await request.get('/v1/articles/story/related?limit=2').expect(200)
    expect(res.body.data.map((a: { slug: string }) => a.slug)).toEqual(['rare-match', 'common-match'])
    expect(res.body.data[0].reason.score).toBeGreaterThan(res.body.data[1].reason.score)
  })

  it('weighs closeness in time to the story, not to now', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'near-the-story', section: 'news', tags: ['election'], publishedAt: at('2024-03-02T00:00:00.000Z') })
        insertArticle(db, { slug: 'story', section: 'news', tags: ['election'], publishedAt: '2024-03-01T00:00:00.000Z' })
        insertArticle(db, { slug: 'fresh-today', section: 'news', tags: ['election'], publishedAt: at('2026-11-24T11:00:00.000Z') })
      },
    })
    const res = await request.get('/v1/articles/story/related').expect(200)
    expect(res.body.data.map((a: { slug: string }) => a.slug)).toEqual(['near-the-story', 'fresh-today'])
  })

  it('counts the parent section, less than the same section, and breaks ties by publication time then id', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'world', parent: 'news' })
        insertSection(db, { slug: 'local', parent: 'news' })
        insertSection(db, { slug: 'sport' })
        const t = at('2026-11-20T12:00:00.000Z')
        insertArticle(db, { slug: 'sibling', section: 'news/local', publishedAt: t - DAY })
        insertArticle(db, { slug: 'same-a', section: 'news/world', publishedAt: t - DAY })
        insertArticle(db, { slug: 'same-b', section: 'news/world', publishedAt: t - DAY })
        insertArticle(db, { slug: 'elsewhere', section: 'sport', publishedAt: t - DAY })
        insertArticle(db, { slug: 'story', section: 'news/world', publishedAt: t })
      },
    })
    const res = await request.get('/v1/articles/story/related').expect(200)
    expect(res.body.data.map((a: { slug: string }) => a.slug)).toEqual(['same-b', 'same-a', 'sibling'])
    expect(res.body.data[0].reason.score).toBe(res.body.data[1].reason.score)
  })

  it('answers 404 for an unknown, draft or scheduled story and 400 for a bad limit', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'draft', section: 'news', status: 'draft', publishedAt: null })
        insertArticle(db, { slug: 'scheduled', section: 'news', publishedAt: '2027-01-01T00:00:00.000Z' })
        insertArticle(db, { slug: 'story', section: 'news' })
      },
    })
    await request.get('/v1/articles/nope/related').expect(404)
    await request.get('/v1/articles/draft/related').expect(404)
    await request.get('/v1/articles/scheduled/related').expect(404)
    const bad = await request.get('/v1/articles/story/related?limit=21').expect(400)
    expect(bad.body.errors[0].path).toBe('limit')
    expect((await request.get('/v1/articles/story/related').expect(200)).body.data).toEqual([])
  })
})
