import { describe, expect, it } from 'vitest'
import { insertArticle, insertSectionTree, insertTag, type Seed } from '../fixtures.js'
import { makeApp, type TestContext } from '../helpers.js'

const SAME_TIME = '2026-11-20T09:00:00.000Z'
const COUNT = 250

// 250 live articles sharing one publishedAt, spread over three sections and two tags, plus drafts
// and scheduled articles interleaved (which must never appear).
function seed (db: Seed) {
  insertSectionTree(db)
  insertTag(db, { slug: 'odd' })
  insertTag(db, { slug: 'even' })
  const sections = ['news', 'news/world-news', 'news/world-news/middle-east', 'sport']
  for (let n = 0; n < COUNT; n++) {
    insertArticle(db, { slug: `story-${n}`, section: sections[n % 4]!, publishedAt: SAME_TIME, tags: [n % 2 ? 'odd' : 'even'] })
    if (n % 25 === 0) {
      insertArticle(db, { slug: `draft-${n}`, section: 'news', status: 'draft', publishedAt: null, tags: ['odd'] })
      insertArticle(db, { slug: `later-${n}`, section: 'news', publishedAt: '2026-12-01T00:00:00.000Z', tags: ['odd'] })
    }
  }
}

// Follows nextCursor (and checks the Link header says the same) until the last page.
async function collect ({ request }: TestContext, query: string, limits: number[]): Promise<string[]> {
  const seen: string[] = []
  let url: string | null = `/v1/articles?${query}&limit=${limits[0]}`
  for (let page = 0; url; page++) {
    const res = await request.get(url).expect(200)
    const limit = limits[page % limits.length]!
    expect(res.body.page.limit).toBe(limit)
    expect(res.body.data.length).toBeLessThanOrEqual(limit)
    seen.push(...res.body.data.map((a: { slug: string }) => a.slug))
    const next = res.body.page.nextCursor as string | null
    if (next === null) {
      expect(res.headers.link).toBeUndefined()
      url = null
    } else {
      const linked = /^<([^>]+)>; rel="next"$/.exec(res.headers.link ?? '')?.[1]
      expect(new URL(linked!, 'http://x').searchParams.get('cursor')).toBe(next)
      const nextLimit = limits[(page + 1) % limits.length]
      url = `/v1/articles?${query}&limit=${nextLimit}&cursor=${encodeURIComponent(next)}`
    }
    expect(page).toBeLessThan(COUNT + 1)
  }
  return seen
}

const expected = (keep: (n: number) => boolean) =>
  Array.from({ length: COUNT }, (_, n) => n).filter(keep).reverse().map((n) => `story-${n}`)

describe('cursor paging over articles with identical publishedAt', () => {
  it('never skips or repeats an article, whatever the page size', async () => {
    const ctx = await makeApp({ seed })
    for (const limits of [[1], [7], [20], [100], [3, 100, 11]]) {
      const seen = await collect(ctx, '', limits)
      expect(seen, String(limits)).toEqual(expected(() => true))
    }
  })

  it('never skips or repeats an article in a section list with descendants', async () => {
    const ctx = await makeApp({ seed })
    expect(await collect(ctx, 'section=news', [9])).toEqual(expected((n) => n % 4 !== 3))
    expect(await collect(ctx, 'section=news/world-news', [50, 13])).toEqual(expected((n) => n % 4 === 1 || n % 4 === 2))
  })

  it('never skips or repeats an article in a tag or time-filtered list', async () => {
    const ctx = await makeApp({ seed })
    expect(await collect(ctx, 'tag=odd', [16])).toEqual(expected((n) => n % 2 === 1))
    expect(await collect(ctx, 'tag=odd,even&section=sport', [10])).toEqual(expected((n) => n % 4 === 3))
    expect(await collect(ctx, `since=${SAME_TIME}&until=2026-11-20T09:00:00.001Z`, [64])).toEqual(expected(() => true))
  })

  it('returns nextCursor null on an exactly full last page', async () => {
    const { request } = await makeApp({ seed })
    const first = await request.get('/v1/articles?limit=100').expect(200)
    const second = await request.get(`/v1/articles?limit=100&cursor=${first.body.page.nextCursor}`).expect(200)
    const third = await request.get(`/v1/articles?limit=50&cursor=${second.body.page.nextCursor}`).expect(200)
    expect(third.body.data).toHaveLength(50)
    expect(third.body.page).toEqual({ limit: 50, nextCursor: null })
  })
})
