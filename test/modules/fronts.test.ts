import { describe, expect, it } from 'vitest'
import { makeApp, makeClock } from '../helpers.js'
import { insertArticle, insertCollection, insertSection, insertViews } from '../fixtures.js'

const slugsOf = (items: Array<{ slug: string }>) => items.map((a) => a.slug)

describe('GET /v1/fronts and /v1/fronts/{path}', () => {
  it('shows each story in one module only: selected, then latest, then most viewed, each filled up to limit', async () => {
    const clock = makeClock('2026-11-24T12:30:00.000Z')
    const { request } = await makeApp({
      clock,
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        const ids: number[] = []
        for (let i = 0; i < 6; i++) ids.push(insertArticle(db, { slug: `s${i}`, section: 'news', publishedAt: Date.parse('2026-11-24T00:00:00.000Z') + i * 60_000 }))
        const draft = insertArticle(db, { slug: 'draft', section: 'news', status: 'draft', publishedAt: null })
        // newest first: s5 s4 s3 s2 s1 s0
        insertCollection(db, 'selected', [{ articleId: ids[4]! }, { articleId: draft }, { articleId: ids[5]! }])
        for (const [i, views] of [[5, 100], [3, 90], [4, 80], [0, 70], [1, 60]] as const) insertViews(db, ids[i]!, clock(), views)
        insertViews(db, draft, clock(), 1000)
      },
    })
    const res = await request.get('/v1/fronts?limit=2').expect(200)
    expect(res.body.section).toBeNull()
    expect(slugsOf(res.body.selected)).toEqual(['s4', 's5'])
    expect(slugsOf(res.body.latest)).toEqual(['s3', 's2'])
    expect(res.body.mostViewed.map((m: any) => [m.rank, m.article.slug, m.views])).toEqual([[1, 's0', 70], [2, 's1', 60]])
    const all = [...res.body.selected, ...res.body.latest, ...res.body.mostViewed.map((m: any) => m.article)].map((a: any) => a.id)
    expect(new Set(all).size).toBe(all.length)
  })

  it('builds a section front from the section\'s collection setting and its descendants', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news', settings: { selectedCollection: 'news-picks' } })
        insertSection(db, { slug: 'world', parent: 'news' })
        insertSection(db, { slug: 'sport' })
        const world = insertArticle(db, { slug: 'world', section: 'news/world', publishedAt: '2026-11-23T00:00:00.000Z' })
        const sport = insertArticle(db, { slug: 'sport', section: 'sport', publishedAt: '2026-11-23T01:00:00.000Z' })
        const pick = insertArticle(db, { slug: 'pick', section: 'sport', publishedAt: '2026-11-22T00:00:00.000Z' })
        insertCollection(db, 'news-picks', [{ articleId: pick }])
        insertCollection(db, 'selected', [{ articleId: sport }])
        insertViews(db, world, '2026-11-24T11:00:00.000Z', 5)
        insertViews(db, sport, '2026-11-24T11:00:00.000Z', 50)
      },
    })
    const res = await request.get('/v1/fronts/news').expect(200)
    expect(res.body.section).toMatchObject({ slug: 'news', path: 'news', breadcrumbs: [{ slug: 'news', path: 'news' }] })
    expect(slugsOf(res.body.selected)).toEqual(['pick'])
    expect(slugsOf(res.body.latest)).toEqual(['world'])
    expect(res.body.mostViewed).toEqual([])

    const world = await request.get('/v1/fronts/news/world').expect(200)
    expect(world.body.section.breadcrumbs.map((b: any) => b.path)).toEqual(['news', 'news/world'])
    expect(slugsOf(world.body.selected)).toEqual(['sport'])
    expect(slugsOf(world.body.latest)).toEqual(['world'])

    const sport = await request.get('/v1/fronts/sport?limit=5').expect(200)
    expect(slugsOf(sport.body.selected)).toEqual(['sport'])
    expect(slugsOf(sport.body.latest)).toEqual(['pick'])
    expect(sport.body.mostViewed).toEqual([])
  })

  it('answers 404 for an unknown section and 400 for a bad limit', async () => {
    const { request } = await makeApp()
    await request.get('/v1/fronts/no/such/section').expect(404)
    await request.get('/v1/fronts/%00bad').expect(404)
    const res = await request.get('/v1/fronts?limit=51').expect(400)
    expect(res.body.errors[0].path).toBe('limit')
    expect((await request.get('/v1/fronts').expect(200)).body).toEqual({ section: null, selected: [], latest: [], mostViewed: [] })
  })
})
