import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'
import { makeNewsroom } from '../management/helpers.js'
import { insertArticle, insertArticles, insertAuthor, insertSection, insertTag, seedStore, setStatus } from '../fixtures.js'

const slugs = (res: { body: { data: Array<{ slug: string }> } }) => res.body.data.map((hit) => hit.slug)
const para = (text: string) => [{ type: 'paragraph' as const, text }]

describe('GET /v1/search', () => {
  it('ranks a headline match above a body match, and a fresh story above an equally relevant old one', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'body-match', section: 'news', headline: 'Council meets', body: para('The harbour will be dredged next year.'), publishedAt: '2026-11-20T00:00:00.000Z' })
        insertArticle(db, { slug: 'headline-match', section: 'news', headline: 'Harbour to be dredged', body: para('The council met on Monday.'), publishedAt: '2026-11-20T00:00:00.000Z' })
        insertArticle(db, { slug: 'old-twin', section: 'news', headline: 'Lighthouse reopens', body: para('Visitors return.'), publishedAt: '2025-11-20T00:00:00.000Z' })
        insertArticle(db, { slug: 'fresh-twin', section: 'news', headline: 'Lighthouse reopens', body: para('Visitors return.'), publishedAt: '2026-11-23T00:00:00.000Z' })
      },
    })
    expect(slugs(await request.get('/v1/search?q=harbour').expect(200))).toEqual(['headline-match', 'body-match'])
    const twins = await request.get('/v1/search?q=lighthouse').expect(200)
    expect(slugs(twins)).toEqual(['fresh-twin', 'old-twin'])
    expect(twins.body.data[0].score).toBeGreaterThan(twins.body.data[1].score)
    expect(twins.body.data[0]).toMatchObject({ url: '/news/fresh-twin', section: { path: 'news' }, snippet: '<mark>Lighthouse</mark> reopens' })
  })

  it('folds diacritics both ways and stems English words', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'raqqa', section: 'news', headline: 'Return to Raqqā', body: para('Families were running back to São Paulo street.') })
        insertArticle(db, { slug: 'plain', section: 'news', headline: 'Raqqa rebuilds' })
      },
    })
    expect(slugs(await request.get('/v1/search?q=Raqqa').expect(200)).sort()).toEqual(['plain', 'raqqa'])
    expect(slugs(await request.get(`/v1/search?q=${encodeURIComponent('RAQQĀ')}`).expect(200)).sort()).toEqual(['plain', 'raqqa'])
    expect(slugs(await request.get('/v1/search?q=runs').expect(200))).toEqual(['raqqa'])
    expect(slugs(await request.get('/v1/search?q=sao%20paulo').expect(200))).toEqual(['raqqa'])
  })

  it('matches "exact phrases" in order and treats an unbalanced quote as text', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'in-order', section: 'news', headline: 'Water shortage hits the north' })
        insertArticle(db, { slug: 'reversed', section: 'news', headline: 'A shortage of clean water' })
      },
    })
    expect(slugs(await request.get('/v1/search?q=water%20shortage').expect(200)).sort()).toEqual(['in-order', 'reversed'])
    expect(slugs(await request.get(`/v1/search?q=${encodeURIComponent('"water shortage"')}`).expect(200))).toEqual(['in-order'])
    expect(slugs(await request.get(`/v1/search?q=${encodeURIComponent('"water shortage')}`).expect(200)).sort()).toEqual(['in-order', 'reversed'])
  })

  it('never answers 500 to hostile query strings', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'near', section: 'news', headline: 'Near and far: AND or NOT', body: para('a b c (x) y* z^ "quoted"') })
      },
    })
    const hostile = ['"', '""', '"""', '*', '(', ')', '()', 'NEAR', 'NEAR(a b)', 'AND', 'OR', 'NOT', 'a AND', 'AND a', '-', '-near', 'a:b', 'headline:near',
      '^', '^near', 'near*', '{headline standfirst}: near', 'near + far', "'", '\\', '\u0000', '%', 'a"b"c"', '" near', 'NEAR/2', 'x'.repeat(500), 'a '.repeat(250)]
    for (const q of hostile) {
      const res = await request.get(`/v1/search?q=${encodeURIComponent(q)}`)
      expect([200, 400], q).toContain(res.status)
      if (res.status === 400) expect(res.body.errors[0].path, q).toBe('q')
    }
    expect(slugs(await request.get('/v1/search?q=NEAR').expect(200))).toEqual(['near'])
    expect(slugs(await request.get('/v1/search?q=AND%20far').expect(200))).toEqual(['near'])
    expect(slugs(await request.get('/v1/search?q=-near').expect(200))).toEqual(['near'])
    expect(slugs(await request.get('/v1/search?q=headline:far').expect(200))).toEqual([])
  })

  it('answers 400 naming q when q is missing, empty after cleaning or longer than 500 characters', async () => {
    const { request } = await makeApp()
    for (const q of [undefined, '', '   ', '*', '"()"', '-:^', 'x'.repeat(501), 'a '.repeat(40)]) {
      const res = await request.get('/v1/search').query(q === undefined ? {} : { q }).expect(400)
      expect(res.body.errors[0].path).toBe('q')
    }
  })

  it('escapes article text in snippets and leaves only <mark> unescaped', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        // "hacked" outside the tags too: PostgreSQL's parser skips what looks like markup (the
        // contents of <script>...</script> are not indexed there), FTS5 indexes every word
        insertArticle(db, { slug: 'xss', section: 'news', headline: 'Quiet day', body: para('Someone hacked <script>alert("hacked")</script> & left \u0002 a marker.') })
      },
    })
    const res = await request.get('/v1/search?q=hacked').expect(200)
    const snippet: string = res.body.data[0].snippet
    expect(snippet).toContain('<mark>hacked</mark> &lt;script&gt;alert(&quot;<mark>hacked</mark>&quot;)&lt;/script&gt; &amp; left')
    expect(snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>]/)
    expect(snippet).not.toContain('\u0002')
  })

  it('never returns drafts or scheduled stories, and stays in step after UPDATE and DELETE', async () => {
    const ids: Record<string, number> = {}
    // direct SQL below bypasses the API's cache invalidation: the response cache is off here
    const { request, store } = await makeApp({
      env: { RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        ids.draft = insertArticle(db, { slug: 'draft', section: 'news', headline: 'Volcano draft', status: 'draft', publishedAt: null })
        ids.scheduled = insertArticle(db, { slug: 'scheduled', section: 'news', headline: 'Volcano tomorrow', publishedAt: '2026-12-01T00:00:00.000Z' })
        ids.live = insertArticle(db, { slug: 'live', section: 'news', headline: 'Volcano erupts' })
        ids.other = insertArticle(db, { slug: 'other', section: 'news', headline: 'Glacier melts' })
      },
    })
    expect(slugs(await request.get('/v1/search?q=volcano').expect(200))).toEqual(['live'])
    await seedStore(store, (s) => setStatus(s, ids.live!, 'draft'))
    expect(slugs(await request.get('/v1/search?q=volcano').expect(200))).toEqual([])
    await store.repos.sql.run('update articles set headline = :headline, body = :body where id = :id', { headline: 'Volcano quiet again', body: para('Ash settles.'), id: ids.other! })
    expect(slugs(await request.get('/v1/search?q=volcano').expect(200))).toEqual(['other'])
    expect(slugs(await request.get('/v1/search?q=glacier').expect(200))).toEqual([])
    expect(slugs(await request.get('/v1/search?q=ash').expect(200))).toEqual(['other'])
    await store.repos.sql.run('delete from articles where id = :id', { id: ids.other! })
    expect(slugs(await request.get('/v1/search?q=volcano').expect(200))).toEqual([])
    // the index follows the delete (FTS5 table on SQLite, tsvector rows on PostgreSQL)
    const index = store.engine === 'sqlite' ? 'articles_fts' : 'articles_search'
    expect(await store.repos.sql.get(`select count(*) as n from ${index}`)).toEqual({ n: 3 })
  })

  it('takes the /v1/articles filters and pages with a cursor and a Link header', async () => {
    const { request } = await makeApp({
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'world', parent: 'news' })
        insertSection(db, { slug: 'sport' })
        for (let i = 0; i < 5; i++) insertArticle(db, { slug: `world-${i}`, section: 'news/world', headline: `Storm report ${i}`, tags: ['weather'], publishedAt: Date.parse('2026-11-20T00:00:00.000Z') + i * 60_000 })
        insertArticle(db, { slug: 'sport-storm', section: 'sport', headline: 'Storm stops the match' })
      },
    })
    expect(slugs(await request.get('/v1/search?q=storm&section=sport').expect(200))).toEqual(['sport-storm'])
    expect(slugs(await request.get('/v1/search?q=storm&tag=weather&limit=100').expect(200))).toHaveLength(5)
    await request.get('/v1/search?q=storm&section=nope').expect(400)
    const seen: string[] = []
    let url: string | null = '/v1/search?q=storm&section=news&limit=2'
    while (url) {
      const res: { body: any, headers: Record<string, string> } = await request.get(url).expect(200)
      seen.push(...slugs(res))
      const next: string | null = res.body.page.nextCursor
      if (next) expect(res.headers.link).toContain('rel="next"')
      url = next ? `/v1/search?q=storm&section=news&limit=2&cursor=${encodeURIComponent(next)}` : null
    }
    expect(seen).toEqual(['world-4', 'world-3', 'world-2', 'world-1', 'world-0'])
    const first = await request.get('/v1/search?q=storm&section=news&limit=2').expect(200)
    const reused = await request.get(`/v1/search?q=report&section=news&limit=2&cursor=${encodeURIComponent(first.body.page.nextCursor)}`).expect(400)
    expect(reused.body.errors[0].path).toBe('cursor')
  })

  it('ranks only the newest SEARCH_RANK_LIMIT matches of a huge match set, keeping headline over body, fresh over old, liveness and paging', async () => {
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`
    const { request } = await makeApp({
      env: { SEARCH_RANK_LIMIT: '5', RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'oldest-headline', section: 'news', headline: 'Harbour plan', body: para('Old news.'), publishedAt: at(1) })
        insertArticle(db, { slug: 'old-twin', section: 'news', headline: 'Lighthouse', body: para('The harbour reopens.'), publishedAt: at(10) })
        insertArticle(db, { slug: 'body-match', section: 'news', headline: 'Council meets', body: para('The harbour will be dredged.'), publishedAt: at(20) })
        insertArticle(db, { slug: 'draft', section: 'news', headline: 'Harbour draft', status: 'draft', publishedAt: null })
        insertArticle(db, { slug: 'headline-match', section: 'news', headline: 'Harbour to be dredged', body: para('The council met.'), publishedAt: at(20) })
        insertArticle(db, { slug: 'standfirst-match', section: 'news', headline: 'Dredging', standfirst: 'The harbour again.', body: para('Mud.'), publishedAt: at(20) })
        insertArticle(db, { slug: 'fresh-twin', section: 'news', headline: 'Lighthouse', body: para('The harbour reopens.'), publishedAt: at(23) })
      },
    })
    const all = await request.get('/v1/search?q=harbour&limit=10').expect(200)
    // seven matches: the newest five by id include the draft, which is left out, and not the two oldest
    expect(slugs(all)).toEqual(['headline-match', 'standfirst-match', 'fresh-twin', 'body-match'])
    expect(all.body.data[2].score).toBeGreaterThan(all.body.data[3].score)
    expect(all.body.data[0].snippet).toContain('<mark>Harbour</mark>')
    const seen: string[] = []
    let url: string | null = '/v1/search?q=harbour&limit=2'
    while (url) {
      const res: { body: any } = await request.get(url).expect(200)
      seen.push(...slugs(res))
      url = res.body.page.nextCursor ? `/v1/search?q=harbour&limit=2&cursor=${encodeURIComponent(res.body.page.nextCursor)}` : null
    }
    expect(seen).toEqual(slugs(all))
    // a section-filtered search ranks the newest five live matches of the section (its listing)
    expect(slugs(await request.get('/v1/search?q=harbour&section=news&limit=10').expect(200))).toEqual([...slugs(all), 'old-twin'])
    // one matching fewer stories than the limit ranks every match
    expect(slugs(await request.get('/v1/search?q=dredged&limit=10').expect(200))).toHaveLength(3)
  })

  it('weighs a phrase by the column it appears in as a phrase when ranking the newest SEARCH_RANK_LIMIT matches', async () => {
    const day = '2026-11-20T00:00:00.000Z'
    const { request } = await makeApp({
      env: { SEARCH_RANK_LIMIT: '3', RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertArticle(db, { slug: 'oldest-body', section: 'news', headline: 'Tides', body: para('The harbour master spoke.'), publishedAt: day })
        insertArticle(db, { slug: 'headline-phrase', section: 'news', headline: 'Harbour master retires', body: para('After forty years.'), publishedAt: day })
        insertArticle(db, { slug: 'standfirst-phrase', section: 'news', headline: 'Farewell', standfirst: 'The harbour master leaves.', body: para('Cake.'), publishedAt: day })
        // both words in the headline but not as the phrase: only its body's phrase counts
        insertArticle(db, { slug: 'words-apart', section: 'news', headline: 'Master plan for the harbour', body: para('The harbour master agreed.'), publishedAt: day })
      },
    })
    const res = await request.get('/v1/search?q=%22harbour%20master%22&limit=10').expect(200)
    expect(slugs(res)).toEqual(['headline-phrase', 'standfirst-phrase', 'words-apart'])
    const [headline, standfirst, body] = res.body.data.map((r: { score: number }) => r.score)
    expect(headline / body).toBeCloseTo(11, 3)
    expect(standfirst / body).toBeCloseTo(5, 3)
  })

  it('finds the newest SEARCH_RANK_LIMIT matches whether they are dense among the newest stories or sparse and old', async () => {
    const { request } = await makeApp({
      env: { SEARCH_RANK_LIMIT: '3', RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        for (let i = 1; i <= 60; i++) {
          insertArticle(db, {
            slug: `s${i}`,
            section: 'news',
            headline: i % 6 === 0 ? `Story ${i} at the harbour` : `Story ${i}`,
            body: para(i <= 4 ? 'The lighthouse keeper.' : 'Nothing to see.'),
            publishedAt: Date.parse('2026-11-01T00:00:00.000Z') + i * 3_600_000,
          })
        }
      },
    })
    // every sixth story: the newest three of ten matches, freshest first
    expect(slugs(await request.get('/v1/search?q=harbour&limit=10').expect(200))).toEqual(['s60', 's54', 's48'])
    // four old stories: the newest three
    expect(slugs(await request.get('/v1/search?q=lighthouse&limit=10').expect(200))).toEqual(['s4', 's3', 's2'])
    // filtered: the newest three that pass the filter
    expect(slugs(await request.get('/v1/search?q=harbour&section=news&limit=10').expect(200))).toEqual(['s60', 's54', 's48'])
  })

  // A filtered search for a word in nearly every story ranked every match: 43 s (SQLite, the event
  // loop held) and 24 s (PostgreSQL) for `q=election&section=news` at 1,000,000 articles. It now
  // ranks the newest SEARCH_RANK_LIMIT matches that pass the filters, found from the filters' side
  // when the filter is narrow and the matches are old (a walk of the newest matches alone would
  // find none of them), and through the index when the matches are sparse.
  it('ranks the newest SEARCH_RANK_LIMIT matches that pass the filters, however narrow the filter or sparse the matches', async () => {
    const base = Date.parse('2026-11-01T00:00:00.000Z')
    const { request } = await makeApp({
      env: { SEARCH_RANK_LIMIT: '3', RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'sport' })
        insertSection(db, { slug: 'world', parent: 'news' })
        insertTag(db, { slug: 'archive' })
        insertTag(db, { slug: 'floods' })
        insertAuthor(db, { slug: 'keeper' })
        insertArticles(db, Array.from({ length: 240 }, (_, k) => {
          const i = k + 1
          return {
            slug: `s${i}`,
            section: i % 2 === 0 ? 'sport' : i % 3 === 0 ? 'news/world' : 'news',
            // every story says "harbour"; only the oldest five say "lighthouse" (sparse matches)
            headline: i % 10 === 0 ? `Harbour story ${i}` : `Story ${i}`,
            body: para(i <= 5 ? 'The harbour lighthouse keeper.' : 'News from the harbour.'),
            tags: i === 7 || i === 11 || i === 13 || i === 17 ? ['archive'] : i <= 5 ? ['floods'] : [],
            authors: i === 3 || i === 4 || i === 120 ? ['keeper'] : [],
            status: i === 239 ? 'draft' as const : 'published' as const,
            publishedAt: i === 239 ? null : base + i * 3_600_000,
          }
        }))
      },
    })
    const search = async (query: string) => slugs(await request.get(`/v1/search?${query}&limit=10`).expect(200))
    // a narrow tag on old stories: its newest three, freshest first (equal relevance)
    expect(await search('q=harbour&tag=archive')).toEqual(['s17', 's13', 's11'])
    expect(await search('q=harbour&tag=archive,floods')).toEqual(['s17', 's13', 's11'])
    expect(await search('q=harbour&author=keeper')).toEqual(['s120', 's4', 's3'])
    // a section and its descendants, live stories only (the draft s239 is not listed)
    expect(await search('q=harbour&section=news')).toEqual(['s237', 's235', 's233'])
    expect(await search('q=harbour&section=news/world')).toEqual(['s237', 's231', 's225'])
    // headline matches outrank fresher body matches among the newest three of sport
    expect(await search('q=harbour&section=sport')).toEqual(['s240', 's238', 's236'])
    expect(await search('q=harbour&section=sport&until=2026-11-10T00:00:00.000Z')).toEqual(['s210', 's214', 's212'])
    expect(await search(`q=harbour&since=${new Date(base + 100 * 3_600_000).toISOString()}&until=${new Date(base + 103 * 3_600_000).toISOString()}`)).toEqual(['s100', 's102', 's101'])
    expect(await search('q=harbour&tag=archive&section=sport')).toEqual([])
    // sparse matches (the five oldest stories): the newest three that pass the filter
    expect(await search('q=lighthouse&section=news')).toEqual(['s5', 's3', 's1'])
    expect(await search('q=lighthouse&tag=floods&author=keeper')).toEqual(['s4', 's3'])
    expect(await search('q=lighthouse%20keeper&section=sport')).toEqual(['s4', 's2'])
    // pages of a filtered search: the same ranking, one story at a time
    const seen: string[] = []
    let url: string | null = '/v1/search?q=harbour&author=keeper&limit=1'
    while (url) {
      const res: { body: any } = await request.get(url).expect(200)
      seen.push(...slugs(res))
      url = res.body.page.nextCursor ? `/v1/search?q=harbour&author=keeper&limit=1&cursor=${encodeURIComponent(res.body.page.nextCursor)}` : null
    }
    expect(seen).toEqual(['s120', 's4', 's3'])
  })

  // An editor's search (preview=true) for a word in nearly every story ranked every match: 26 s
  // with the event loop held for `q=election&preview=true` at 1,000,000 articles on SQLite.
  it('ranks the newest SEARCH_RANK_LIMIT matches of a preview search too, drafts included, by creation time before publication', async () => {
    const base = Date.parse('2026-11-01T00:00:00.000Z')
    const ctx = await makeNewsroom({
      env: { SEARCH_RANK_LIMIT: '3', RESPONSE_CACHE: 'false' },
      seed: (db) => {
        insertSection(db, { slug: 'news' })
        insertSection(db, { slug: 'sport' })
        insertArticles(db, Array.from({ length: 12 }, (_, k) => {
          const i = k + 1
          const draft = i === 11
          return {
            slug: `s${i}`,
            section: i % 2 === 0 ? 'sport' : 'news',
            headline: i === 9 ? 'Harbour story' : `Story ${i}`,
            body: para('News from the harbour.'),
            status: draft ? 'draft' as const : 'published' as const,
            publishedAt: draft ? null : base + i * 3_600_000,
            // the draft was written long before: its creation time ranks it
            createdAt: draft ? base - 30 * 86_400_000 : base + i * 3_600_000,
          }
        }))
      },
    })
    const preview = async (query: string) => slugs(await ctx.request.get(`/v1/search?${query}&limit=10&preview=true`).set(ctx.bearer(ctx.keys.previewer)).expect(200))
    // the newest three by id (the draft among them, ranked by its old creation time)
    expect(await preview('q=harbour')).toEqual(['s12', 's10', 's11'])
    // filtered: the newest three of news (s11, s9, s7), the headline match first
    expect(await preview('q=harbour&section=news')).toEqual(['s9', 's7', 's11'])
    // delivery leaves the draft out of the same three
    expect(slugs(await ctx.request.get('/v1/search?q=harbour&limit=10').expect(200))).toEqual(['s12', 's10'])
    // a preview's time filter is on publication time, or creation time for a story never published
    expect(await preview(`q=harbour&since=${new Date(base + 8 * 3_600_000).toISOString()}`)).toEqual(['s9', 's12', 's10'])
    expect(await preview(`q=harbour&until=${new Date(base).toISOString()}`)).toEqual(['s11'])
    expect(slugs(await ctx.request.get(`/v1/search?q=harbour&until=${new Date(base).toISOString()}`).expect(200))).toEqual([])
  })
})
