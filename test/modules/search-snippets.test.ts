import { describe, expect, it } from 'vitest'
import { parseSearchQuery } from '../../src/search/query.js'
import { markSnippet } from '../../src/search/repository.js'
import { makeApp } from '../helpers.js'
import { insertArticle, insertSection } from './fixtures.js'

// Search snippets are made in JS (src/search/snippet.ts); they must be exactly what FTS5's own
// snippet(articles_fts, -1, ..., '…', 24) gives, escaped and marked the same way.
const WORDS = ['running', 'runs', 'run', 'Raqqā', 'São', 'Paulo', 'café', 'cafés', 'naïve', 'NAÏVE', 'storm', 'storms', 'stormy',
  'the', 'a', 'of', 'hope', 'hoping', 'hopping', 'relational', 'generalization', 'general', 'x', '42', '3.5', 'Zürich', 'straße',
  'µs', 'μs', 'e\u0301cole', 'école', 'It’s', "don't", 'co-operate', 'U.S.', 'Ελλάδα', 'Москва', '日本', 'harbour', 'HARBOUR',
  'fishing', 'fished', 'ays', 'skies', 'sky', '<script>', '&amp;']
const SEPARATORS = [' ', ' ', ' ', ', ', '. ', ': ', '.\n', ' — ', ' (', ') ', '; ', '! ', ' "', '" ', '.', '\t', '  ', '…']
const QUERIES = ['storm', 'running', 'hope', 'cafe', 'RAQQA', 'sao paulo', '"sao paulo"', 'harbour storms', '"storm harbour"',
  'general', 'naive', 'ecole', 'sky', 'ays', 'the', 'a of', '"the storm" run', 'storm storm', 'μs', '42', 'script', 'u s']

function random (seed: number) {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
}

describe('search snippets', () => {
  it('are exactly FTS5 snippet() over headline, standfirst and body, escaped with <mark>', async () => {
    const next = random(7)
    const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!
    const text = (words: number) => Array.from({ length: words }, () => pick(WORDS) + pick(SEPARATORS)).join('')
    const { request, db } = await makeApp({
      env: { RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, 'news')
        for (let i = 0; i < 120; i++) {
          insertArticle(db, {
            slug: `story-${i}`,
            section: 'news',
            headline: `Story ${i} ${text(1 + Math.floor(next() * 10))}`,
            standfirst: next() < 0.2 ? null : text(Math.floor(next() * 25)),
            body: Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({ type: 'paragraph', text: text(Math.floor(next() * 60)) })),
          })
        }
      },
    })
    // the cast: FTS5 mishandles a rowid compared with a REAL, and a JS number is bound as one
    const fts5 = db.$client.prepare(`select snippet(articles_fts, -1, char(2), char(3), '…', 24) from articles_fts
      where articles_fts match ? and rowid = cast(? as integer)`).pluck()
    let compared = 0
    for (const q of QUERIES) {
      const res = await request.get(`/v1/search?q=${encodeURIComponent(q)}&limit=100`).expect(200)
      const { fts } = parseSearchQuery(q)
      for (const hit of res.body.data as Array<{ id: number, snippet: string }>) {
        expect(hit.snippet, `${q} #${hit.id}`).toBe(markSnippet(fts5.get(fts, hit.id) as string))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(300)
  })
})
