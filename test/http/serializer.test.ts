import { describe, expect, it } from 'vitest'
import { insertArticle, insertAuthor, insertSectionTree, insertTag, type Seed } from '../fixtures.js'
import { makeApp } from '../helpers.js'

function seed (db: Seed) {
  insertSectionTree(db)
  insertTag(db, { slug: 'gaza', name: 'Gaza', type: 'place', description: 'The strip.' })
  insertTag(db, { slug: 'diplomacy', name: 'Diplomacy' })
  insertAuthor(db, { slug: 'maya-haddad', name: 'Maya Haddad', avatarUrl: 'https://media.dateline.example/maya.jpg' })
  insertAuthor(db, { slug: 'afp', name: 'AFP', kind: 'agency', bio: 'Wire agency.' })
  const first = insertArticle(db, { slug: 'earlier-talks', section: 'news/world-news', publishedAt: '2026-11-10T09:00:00.000Z', tags: ['diplomacy'] })
  insertArticle(db, {
    slug: 'ceasefire-talks',
    section: 'news/world-news/middle-east',
    headline: 'Ceasefire talks resume',
    standfirst: 'Negotiators "meet" again — ünïcode.',
    byline: 'AFP',
    body: [
      { type: 'paragraph', text: 'Talks resumed on Monday.' },
      { type: 'image', src: 'https://media.dateline.example/maps/border.png', alt: 'Map', caption: null, credit: null, width: 10, height: 20 },
      { type: 'quote', text: 'We will rebuild.', attribution: 'The mayor' },
    ],
    heroImage: { src: 'https://media.dateline.example/hero.jpg', alt: 'Hero', caption: 'A caption', credit: 'AFP', width: 1600, height: 900 },
    tags: ['gaza', 'diplomacy'],
    authors: ['maya-haddad', 'afp'],
    related: [first],
  })
}

const paths = [
  '/v1/articles/ceasefire-talks',
  '/v1/articles/ceasefire-talks?format=html',
  '/v1/articles?limit=1',
  '/v1/articles?section=news',
  '/v1/articles?tag=gaza,diplomacy',
  '/v1/articles/earlier-talks/related',
  '/v1/search?q=talks',
  '/v1/most-viewed',
]

describe('response serialisation without validation (RESPONSE_VALIDATION=false, the production default)', () => {
  it('answers the hot delivery routes with the same bytes as the validating serialiser', async () => {
    // one cursor secret for both databases, so that page.nextCursor is the same too
    const secret = { CURSOR_SECRET: 'the-same-cursor-secret-for-both-apps' }
    const checked = await makeApp({ seed, env: { RESPONSE_CACHE: 'false', ...secret } })
    const fast = await makeApp({ seed, env: { RESPONSE_CACHE: 'false', RESPONSE_VALIDATION: 'false', ...secret } })
    expect(checked.config.responseValidation).toBe(true)
    expect(fast.config.responseValidation).toBe(false)
    for (const path of paths) {
      const [a, b] = [await checked.request.get(path), await fast.request.get(path)]
      expect(a.status, path).toBe(200)
      expect(b.status, path).toBe(200)
      expect(b.text, path).toBe(a.text)
    }
  })

  it('still answers 404 problems through their schema', async () => {
    const fast = await makeApp({ seed, env: { RESPONSE_VALIDATION: 'false' } })
    const res = await fast.request.get('/v1/articles/no-such-story')
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ status: 404, type: '/problems/not-found' })
  })
})
