import { describe, expect, it } from 'vitest'
import { JsonFeed } from '../../src/feeds/schemas.js'
import { announce, makeApp, type TestContext } from '../helpers.js'
import { insertArticle, insertAuthor, insertSection, insertTag, seedStore } from '../fixtures.js'
import { parseXml } from './fixtures.js'
import { skipOnPostgresUntilPorted } from '../e2e/pending.js'

// on PostgreSQL, each test waits (skips with the reason) until the port it needs is merged
skipOnPostgresUntilPorted()

const BASE = 'https://news.example.com'
const HERO = { src: 'https://media.example.com/2026/hero.jpg', alt: 'Hero', caption: null, credit: null }

async function newsroom (): Promise<TestContext> {
  const t = await makeApp({ env: { PUBLIC_BASE_URL: BASE, PUBLICATION_NAME: 'The Courier' } })
  await seedStore(t.store, (s) => insertSection(s, { slug: 'news', name: 'News' }))
  await seedStore(t.store, (s) => insertSection(s, { slug: 'world-news', parent: 'news', name: 'World News' }))
  await seedStore(t.store, (s) => insertSection(s, { slug: 'sport', name: 'Sport' }))
  await seedStore(t.store, (s) => insertTag(s, { slug: 'elections', name: 'Elections' }))
  await seedStore(t.store, (s) => insertAuthor(s, { slug: 'jane', name: 'Jane Doe' }))
  await seedStore(t.store, (s) => insertArticle(s, { slug: 'top-level', section: 'news', publishedAt: '2026-11-24T08:00:00.000Z', tags: ['elections'] }))
  await seedStore(t.store, (s) => insertArticle(s, {
    slug: 'world-story',
    section: 'news/world-news',
    headline: 'Headline world-story',
    standfirst: 'Standfirst world-story',
    publishedAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T11:00:00.000Z',
    heroImage: HERO,
    authors: ['jane'],
    tags: ['elections'],
    body: [{ type: 'heading', level: 2, text: 'What next' }, { type: 'paragraph', text: 'The full body text.' }],
  }))
  await seedStore(t.store, (s) => insertArticle(s, { slug: 'match-report', section: 'sport', publishedAt: '2026-11-24T09:00:00.000Z' }))
  await seedStore(t.store, (s) => insertArticle(s, { slug: 'draft-story', section: 'news', status: 'draft', publishedAt: null }))
  await seedStore(t.store, (s) => insertArticle(s, { slug: 'scheduled-story', section: 'news', publishedAt: '2026-11-25T09:00:00.000Z' }))
  return t
}

const rssItems = (text: string) => parseXml(text).rss.channel.item ?? []
const links = (items: Array<{ link: string }>) => items.map((i) => i.link)

describe('RSS 2.0', () => {
  it('serves the site feed with the required channel and item elements, latest first', async () => {
    const t = await newsroom()
    const res = await t.request.get('/v1/feeds/rss.xml').expect(200)
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8')
    const channel = parseXml(res.text).rss.channel
    expect(channel.title).toBe('The Courier')
    expect(channel.link).toBe(`${BASE}/`)
    expect(channel.description).toBeTruthy()
    expect(channel['atom:link']['@href']).toBe(`${BASE}/v1/feeds/rss.xml`)
    expect(channel.lastBuildDate).toBe('Tue, 24 Nov 2026 11:00:00 GMT')
    expect(links(channel.item)).toEqual([`${BASE}/news/world-news/world-story`, `${BASE}/sport/match-report`, `${BASE}/news/top-level`])
    for (const item of channel.item) {
      expect(item.title).toBeTruthy()
      expect(item.guid['#text']).toMatch(/^tag:news\.example\.com,2026-11-01:articles\/\d+$/)
      expect(item.guid['@isPermaLink']).toBe('false')
      expect(item.pubDate).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    }
    expect(channel.item[0].pubDate).toBe('Tue, 24 Nov 2026 10:00:00 GMT')
  })

  it('never lists a draft or a scheduled article', async () => {
    const t = await newsroom()
    for (const path of ['/v1/feeds/rss.xml', '/v1/feeds/sections/news/rss.xml', '/v1/feeds/atom.xml', '/v1/feeds/feed.json']) {
      const res = await t.request.get(path).expect(200)
      expect(res.text).not.toContain('draft-story')
      expect(res.text).not.toContain('scheduled-story')
    }
  })

  it('lists the scheduled article once its time has come', async () => {
    const t = await newsroom()
    t.clock.set('2026-11-25T09:00:00.000Z')
    const res = await t.request.get('/v1/feeds/rss.xml').expect(200)
    expect(links(rssItems(res.text))[0]).toBe(`${BASE}/news/scheduled-story`)
  })

  it('includes descendant sections in a section feed, and nothing from other sections', async () => {
    const t = await newsroom()
    const res = await t.request.get('/v1/feeds/sections/news/rss.xml').expect(200)
    const channel = parseXml(res.text).rss.channel
    expect(channel.title).toBe('News | The Courier')
    expect(channel.link).toBe(`${BASE}/news`)
    expect(links(channel.item)).toEqual([`${BASE}/news/world-news/world-story`, `${BASE}/news/top-level`])
    const child = await t.request.get('/v1/feeds/sections/news/world-news/rss.xml').expect(200)
    expect(links(rssItems(child.text))).toEqual([`${BASE}/news/world-news/world-story`])
  })

  it('serves a tag feed with the tagged articles only', async () => {
    const t = await newsroom()
    const res = await t.request.get('/v1/feeds/tags/elections/rss.xml').expect(200)
    expect(links(rssItems(res.text))).toEqual([`${BASE}/news/world-news/world-story`, `${BASE}/news/top-level`])
  })

  it('carries the hero image as an enclosure with length 0 and a type from the extension', async () => {
    const t = await newsroom()
    const item = rssItems((await t.request.get('/v1/feeds/rss.xml')).text)[0]
    expect(item.enclosure).toEqual([{ '@url': HERO.src, '@length': '0', '@type': 'image/jpeg' }])
    expect(item['dc:creator']).toBe('Jane Doe')
    expect(item.category).toEqual(['Elections'])
  })

  it('gives the standfirst only in summary mode and the rendered body in full mode', async () => {
    const t = await newsroom()
    const summary = rssItems((await t.request.get('/v1/feeds/rss.xml')).text)[0]
    expect(summary.description).toBe('Standfirst world-story')
    expect(summary['content:encoded']).toBeUndefined()
    const full = rssItems((await t.request.get('/v1/feeds/rss.xml?mode=full')).text)[0]
    expect(full['content:encoded']).toBe('<h2>What next</h2>\n<p>The full body text.</p>')
  })

  it('honours limit and rejects a limit over 100 and an unknown mode with 400', async () => {
    const t = await newsroom()
    expect(rssItems((await t.request.get('/v1/feeds/rss.xml?limit=1')).text)).toHaveLength(1)
    const tooMany = await t.request.get('/v1/feeds/rss.xml?limit=101').expect(400)
    expect(tooMany.body.errors[0].path).toBe('limit')
    const mode = await t.request.get('/v1/feeds/rss.xml?mode=everything').expect(400)
    expect(mode.body.errors[0].path).toBe('mode')
  })
})

describe('Atom 1.0', () => {
  it('has feed id, title, updated and self link, and entries with id, title, updated and link', async () => {
    const t = await newsroom()
    const res = await t.request.get('/v1/feeds/sections/news/atom.xml?mode=full').expect(200)
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    const feed = parseXml(res.text).feed
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom')
    expect(feed.id).toBe(`${BASE}/v1/feeds/sections/news/atom.xml?mode=full`)
    expect(feed.title).toBe('News | The Courier')
    expect(feed.updated).toBe('2026-11-24T11:00:00.000Z')
    expect(feed.link.find((l: any) => l['@rel'] === 'self')['@href']).toBe(`${BASE}/v1/feeds/sections/news/atom.xml?mode=full`)
    expect(feed.entry).toHaveLength(2)
    const [entry] = feed.entry
    expect(entry.id).toMatch(/^tag:news\.example\.com,/)
    expect(entry.title['#text']).toBe('Headline world-story')
    expect(entry.updated).toBe('2026-11-24T11:00:00.000Z')
    expect(entry.published).toBe('2026-11-24T10:00:00.000Z')
    expect(entry.link.find((l: any) => l['@rel'] === 'alternate')['@href']).toBe(`${BASE}/news/world-news/world-story`)
    expect(entry.link.find((l: any) => l['@rel'] === 'enclosure')).toMatchObject({ '@href': HERO.src, '@type': 'image/jpeg' })
    expect(entry.author).toEqual([{ name: 'Jane Doe' }])
    expect(entry.content['#text']).toContain('<p>The full body text.</p>')
  })
})

describe('JSON Feed 1.1', () => {
  it('is a valid JSON Feed 1.1 document with ids, urls and publication dates', async () => {
    const t = await newsroom()
    const res = await t.request.get('/v1/feeds/tags/elections/feed.json').expect(200)
    expect(res.headers['content-type']).toBe('application/feed+json; charset=utf-8')
    const feed = JsonFeed.parse(JSON.parse(res.text))
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.title).toBe('Elections | The Courier')
    expect(feed.feed_url).toBe(`${BASE}/v1/feeds/tags/elections/feed.json`)
    expect(feed.language).toBe('en')
    expect(feed.items.map((i) => i.url)).toEqual([`${BASE}/news/world-news/world-story`, `${BASE}/news/top-level`])
    const [item] = feed.items
    expect(item).toMatchObject({ date_published: '2026-11-24T10:00:00.000Z', image: HERO.src, content_text: 'Standfirst world-story', authors: [{ name: 'Jane Doe' }] })
    expect(item!.id).toMatch(/^tag:/)
    const full = JsonFeed.parse(JSON.parse((await t.request.get('/v1/feeds/feed.json?mode=full')).text))
    expect(full.items[0]!.content_html).toBe('<h2>What next</h2>\n<p>The full body text.</p>')
    expect(full.items[0]!.summary).toBe('Standfirst world-story')
  })
})

describe('hostile text', () => {
  const hostile = 'Breaking <script>alert("x")</script> ]]> & "quotes" \u0001'

  it('is escaped in every format and the XML still parses', async () => {
    const t = await newsroom()
    await seedStore(t.store, (s) => insertArticle(s, {
      slug: 'hostile',
      section: 'news',
      headline: hostile,
      standfirst: hostile,
      byline: hostile,
      publishedAt: '2026-11-24T11:30:00.000Z',
      body: [{ type: 'paragraph', text: hostile }, { type: 'embed', provider: 'other', url: 'https://example.com/a?b=1&c=<2>', title: hostile }],
    }))
    for (const file of ['rss.xml', 'atom.xml']) {
      const res = await t.request.get(`/v1/feeds/${file}?mode=full`).expect(200)
      expect(res.text).not.toContain('<script')
      expect(res.text).not.toContain('\u0001')
      expect(() => parseXml(res.text)).not.toThrow()
    }
    const raw = (await t.request.get('/v1/feeds/rss.xml?mode=full')).text
    const rss = rssItems(raw)[0]
    expect(rss.title).toBe('Breaking <script>alert("x")</script> ]]> & "quotes"')
    expect(rss.description).toBe('Breaking &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; &amp; &quot;quotes&quot;')
    expect(rss['content:encoded']).not.toContain('<script')
    expect(rss['content:encoded']).toContain('href="https://example.com/a?b=1&amp;c=%3C2%3E"')
    const json = JSON.parse((await t.request.get('/v1/feeds/feed.json?mode=full')).text)
    expect(json.items[0].content_html).not.toContain('<script')
  })

  it('keeps entity-like text exactly as written, in text and attributes', async () => {
    const t = await newsroom()
    const text = 'Q&amp;A &nbsp; &undefined; &#60;'
    await seedStore(t.store, (s) => insertTag(s, { slug: 'odd', name: text }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'entities', section: 'news', headline: text, tags: ['odd'], publishedAt: '2026-11-24T11:30:00.000Z' }))
    const rss = rssItems((await t.request.get('/v1/feeds/rss.xml')).text)[0]
    expect(rss.title).toBe(text)
    expect(rss.category).toEqual([text])
    const atom = parseXml((await t.request.get('/v1/feeds/atom.xml')).text).feed.entry[0]
    expect(atom.category[0]['@label']).toBe(text)
  })

  it('drops image and embed URLs that are not http(s)', async () => {
    const t = await newsroom()
    await seedStore(t.store, (s) => insertArticle(s, {
      slug: 'bad-urls',
      section: 'news',
      publishedAt: '2026-11-24T11:30:00.000Z',
      body: [{ type: 'image', src: 'javascript:alert(1)', alt: 'x', caption: null, credit: null }, { type: 'paragraph', text: 'kept' }],
    }))
    const item = rssItems((await t.request.get('/v1/feeds/rss.xml?mode=full')).text)[0]
    expect(item['content:encoded']).toBe('<p>kept</p>')
  })
})

describe('errors and caching', () => {
  it('answers 404 problems for an unknown section, tag or feed file', async () => {
    const t = await newsroom()
    for (const path of ['/v1/feeds/sections/nowhere/rss.xml', '/v1/feeds/tags/nothing/atom.xml', '/v1/feeds/feed.xml', '/v1/feeds/sections/news/index.html', '/v1/feeds/sections/rss.xml']) {
      const res = await t.request.get(path).expect(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
  })

  it('sends a strong ETag and public Cache-Control, and 304 to a matching If-None-Match', async () => {
    const t = await newsroom()
    const first = await t.request.get('/v1/feeds/rss.xml').expect(200)
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/)
    expect(first.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300')
    const again = await t.request.get('/v1/feeds/rss.xml').set('If-None-Match', first.headers.etag!).expect(304)
    expect(again.text).toBe('')
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'newer', section: 'news', publishedAt: '2026-11-24T11:45:00.000Z' }))
    await announce(t.app.store, ['articles:list']) // what every article write through the API does
    const changed = await t.request.get('/v1/feeds/rss.xml').set('If-None-Match', first.headers.etag!).expect(200)
    expect(changed.headers.etag).not.toBe(first.headers.etag)
  })

  it('derives absolute links from the Host header when PUBLIC_BASE_URL is unset', async () => {
    const t = await makeApp()
    await seedStore(t.store, (s) => insertSection(s, { slug: 'news', name: 'News' }))
    await seedStore(t.store, (s) => insertArticle(s, { slug: 'a', section: 'news' }))
    const res = await t.request.get('/v1/feeds/rss.xml').set('Host', 'feeds.example.org').expect(200)
    expect(res.headers.vary?.split(/,\s*/)).toContain('Host')
    expect(parseXml(res.text).rss.channel.item[0].link).toBe('http://feeds.example.org/news/a')
  })
})
