import { describe, expect, it } from 'vitest'
import { parseSearchQuery } from '../../src/search/query.js'
import { markSnippet } from '../../src/search/service.js'
import { makeApp } from '../helpers.js'
import { insertArticle, insertSection } from '../fixtures.js'

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

// seeded picks, and text of `words` random words and separators
function randomText (seed: number) {
  const next = random(seed)
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!
  const text = (words: number) => Array.from({ length: words }, () => pick(WORDS) + pick(SEPARATORS)).join('')
  return { next, pick, text }
}

type App = Awaited<ReturnType<typeof makeApp>>

// every hit's snippet for each query, against FTS5's snippet() of the same row; returns how many
async function expectFts5Snippets ({ request, db }: App, queries: string[]): Promise<number> {
  // the cast: FTS5 mishandles a rowid compared with a REAL, and a JS number is bound as one
  const fts5 = db.$client.prepare(`select snippet(articles_fts, -1, char(2), char(3), '…', 24) from articles_fts
    where articles_fts match ? and rowid = cast(? as integer)`).pluck()
  let compared = 0
  for (const q of queries) {
    const res = await request.get(`/v1/search?q=${encodeURIComponent(q)}&limit=100`).expect(200)
    const { fts } = parseSearchQuery(q)
    for (const hit of res.body.data as Array<{ id: number, snippet: string }>) {
      expect(hit.snippet, `${q} #${hit.id}`).toBe(markSnippet(fts5.get(fts, hit.id) as string))
      compared++
    }
  }
  return compared
}

// characters that JS's Unicode properties and SQLite's unicode61 tables (Unicode 6.1 plus its own
// choices) class or fold differently: emoji and other symbols that are token characters to FTS5,
// U+19B0 and U+1CF2 that are not, and letters whose lower case JS knows and SQLite does not
const ODD_CHARACTERS = ['🙂', '🤔', '🥳', '📸', '🗞', '\u061C', '\u08CA', 'ᦰ', '\u1CF2', '\uFFFE', 'Ǡ', 'ǡ', 'Ǣ', 'ǣ', 'Ǽ',
  'ǽ', 'Ǿ', 'ǿ', 'Ꭰ', 'ꭰ', 'Ა', 'ა', '𐒰', '𐓘', 'Ꟁ', 'ꟁ', 'Ꞔ', 'ꞔ', 'ẞ', 'ß', 'é', 'e\u0301', '\u0301']

describe('search snippets', () => {
  it('are exactly FTS5 snippet() over headline, standfirst and body, escaped with <mark>', async () => {
    const { next, text } = randomText(7)
    const app = await makeApp({
      env: { RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
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
    expect(await expectFts5Snippets(app, QUERIES)).toBeGreaterThan(300)
  })

  it('are exactly FTS5 snippet() for bodies with more token edges than the tokenizer\'s reused buffer holds (65,536)', async () => {
    const { text } = randomText(13)
    const app = await makeApp({
      env: { RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        // a long one between short ones: the buffer is reused before and after it
        for (const [i, words] of [[0, 40], [1, 40_000], [2, 40], [3, 9_000]] as const) {
          // a word found only at the end: its snippet needs the last token's edges
          insertArticle(db, { slug: `long-${i}`, section: 'news', headline: `Long ${i}`, body: [{ type: 'paragraph', text: `${text(words)} and then a zebrafinch sang.` }] })
        }
      },
    })
    // two edges a token: more than the buffer's 65,536 in the longest body
    const body = JSON.parse(app.db.$client.prepare("select body from articles where slug = 'long-1'").pluck().get() as string) as Array<{ text: string }>
    expect(body[0]!.text.match(/[\p{L}\p{N}\p{M}]+/gu)!.length).toBeGreaterThan(40_000)
    expect(await expectFts5Snippets(app, ['zebrafinch', 'storm', 'harbour storms', '"sao paulo"', 'cafe', 'the'])).toBeGreaterThanOrEqual(20)
    const { body: found } = await app.request.get('/v1/search?q=zebrafinch&limit=10').expect(200)
    expect((found.data as Array<{ slug: string, snippet: string }>).find((hit) => hit.slug === 'long-1')!.snippet).toMatch(/a <mark>zebrafinch<\/mark> sang\.$/)
  })

  it('do not mark an emoji between two query words, which FTS5 counts as a token', async () => {
    const app = await makeApp({
      env: { RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, {
          slug: 'calm',
          section: 'news',
          headline: 'Weather',
          body: [{ type: 'paragraph', text: 'Before it all, calm 🙂 storm. Then came the news of more weather, and after it calm storm' }],
        })
      },
    })
    const [hit] = (await app.request.get('/v1/search?q=calm%20storm').expect(200)).body.data as Array<{ snippet: string }>
    expect(hit!.snippet).toContain('<mark>calm</mark> 🙂 <mark>storm</mark>')
    expect(hit!.snippet).not.toContain('<mark>calm 🙂 storm</mark>')
    expect(await expectFts5Snippets(app, ['calm storm', '"calm storm"', 'storm'])).toBe(3)
  })

  it('are exactly FTS5 snippet() for text with emoji, symbols and letters SQLite folds its own way', async () => {
    const { next, pick } = randomText(11)
    const odd = ODD_CHARACTERS
    const word = () => next() < 0.4 ? pick(odd) : next() < 0.5 ? pick(WORDS) + pick(odd) : pick(odd) + pick(['storm', 'calm', 'a'])
    const text = (words: number) => Array.from({ length: words }, () => word() + pick(SEPARATORS)).join('')
    const app = await makeApp({
      env: { RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        for (let i = 0; i < 60; i++) {
          insertArticle(db, {
            slug: `odd-${i}`,
            section: 'news',
            headline: `Odd ${i} ${text(1 + Math.floor(next() * 6))}`,
            standfirst: text(Math.floor(next() * 10)),
            body: [{ type: 'paragraph', text: text(10 + Math.floor(next() * 50)) }],
          })
        }
      },
    })
    const queries = ['storm', 'calm storm', '"storm calm"', 'cafe', 'a', ...odd.filter((c) => /[\p{L}\p{N}]/u.test(c)).flatMap((c) => [c, `${c}storm`, `${c}a`])]
    expect(await expectFts5Snippets(app, queries)).toBeGreaterThan(300)
  })
})
