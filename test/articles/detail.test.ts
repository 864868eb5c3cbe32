import { describe, expect, it } from 'vitest'
import type { Block } from '../../src/articles/schemas.js'
import { insertArticle, insertAuthor, insertSectionTree, insertTag, type Seed } from '../fixtures.js'
import { makeApp } from '../helpers.js'

const body: Block[] = [
  { type: 'paragraph', text: 'Talks resumed on Monday.' },
  { type: 'heading', level: 2, text: 'What was agreed' },
  { type: 'list', ordered: true, items: ['A pause', 'Aid convoys'] },
  { type: 'image', src: 'https://media.dateline.example/maps/border.png', alt: 'Map of the border', caption: 'The crossing points.', credit: 'Dateline graphics', width: 1200, height: 800 },
  { type: 'heading', level: 3, text: 'Reaction' },
  { type: 'quote', text: 'We will rebuild.', attribution: 'The mayor' },
  { type: 'list', ordered: false, items: ['Markets rose', 'Flights resumed'] },
  { type: 'embed', provider: 'twitter', url: 'https://twitter.com/example/status/1', title: 'Statement from the ministry' },
  { type: 'embed', provider: 'youtube', url: 'https://www.youtube.com/watch?v=abc', title: null },
  { type: 'image', src: 'https://media.dateline.example/photos/aid.jpg', alt: 'Lorries at the border', caption: null, credit: null },
]

const hostile: Block[] = [
  { type: 'paragraph', text: '<script>alert(1)</script> & "quotes"' },
  { type: 'heading', level: 2, text: '<h1>Big</h1>' },
  { type: 'image', src: 'https://media.dateline.example/x.png?a=1&b="2"', alt: '"onerror="alert(1)', caption: '<b>bold</b>', credit: '\'single\'' },
  { type: 'quote', text: '</p><script>x</script>', attribution: '<i>me</i>' },
  { type: 'list', ordered: false, items: ['</li><li onclick="x">'] },
  { type: 'embed', provider: 'other', url: 'https://example.org/post?x=<y>', title: '<img src=x onerror=alert(1)>' },
]

let ids: Record<string, number> = {}

function seed (db: Seed) {
  insertSectionTree(db)
  insertTag(db, { slug: 'gaza', name: 'Gaza', type: 'place' })
  insertTag(db, { slug: 'diplomacy', name: 'Diplomacy' })
  insertAuthor(db, { slug: 'maya-haddad', name: 'Maya Haddad' })
  insertAuthor(db, { slug: 'afp', name: 'AFP', kind: 'agency', bio: 'Wire agency.' })
  ids = {}
  ids['earlier-talks'] = insertArticle(db, { slug: 'earlier-talks', section: 'news/world-news', publishedAt: '2026-11-10T09:00:00.000Z' })
  ids.draft = insertArticle(db, { slug: 'draft-story', section: 'news', status: 'draft', publishedAt: null })
  ids.scheduled = insertArticle(db, { slug: 'scheduled-story', section: 'news', publishedAt: '2026-11-25T06:00:00.000Z' })
  ids['aid-convoys'] = insertArticle(db, { slug: 'aid-convoys', section: 'news', publishedAt: '2026-11-12T09:00:00.000Z' })
  ids.ceasefire = insertArticle(db, {
    slug: 'ceasefire-talks',
    section: 'news/world-news/middle-east',
    headline: 'Ceasefire talks resume',
    standfirst: 'Negotiators meet again.',
    byline: 'AFP',
    body,
    publishedAt: '2026-11-20T09:30:00.000Z',
    updatedAt: '2026-11-20T10:02:00.000Z',
    tags: ['gaza', 'diplomacy'],
    authors: ['afp', 'maya-haddad'],
    related: [ids.scheduled, ids['aid-convoys'], ids.draft, ids['earlier-talks']],
    heroImage: { src: 'https://media.dateline.example/hero.jpg', alt: 'Negotiators', caption: null, credit: 'AFP' },
    wordCount: 461,
  })
  insertArticle(db, { slug: 'hostile-input', section: 'news', headline: '<script>alert("h")</script>', body: hostile })
}

const news = { slug: 'news', name: 'News', path: 'news' }
const worldNews = { slug: 'world-news', name: 'World News', path: 'news/world-news' }
const middleEast = { slug: 'middle-east', name: 'Middle East', path: 'news/world-news/middle-east' }

describe('GET /v1/articles/{slug}', () => {
  it('returns the full article with authors, tags, breadcrumbs, url, reading time and live related ids', async () => {
    const { request } = await makeApp({ seed })
    await request.get('/v1/articles/ceasefire-talks').expect(200, {
      id: ids.ceasefire,
      slug: 'ceasefire-talks',
      url: '/news/world-news/middle-east/ceasefire-talks',
      headline: 'Ceasefire talks resume',
      standfirst: 'Negotiators meet again.',
      body,
      byline: 'AFP',
      authors: [
        { slug: 'afp', name: 'AFP', kind: 'agency', bio: 'Wire agency.', avatarUrl: null },
        { slug: 'maya-haddad', name: 'Maya Haddad', kind: 'staff', bio: null, avatarUrl: null },
      ],
      section: middleEast,
      breadcrumbs: [news, worldNews, middleEast],
      tags: [
        { slug: 'gaza', name: 'Gaza', type: 'place', description: null },
        { slug: 'diplomacy', name: 'Diplomacy', type: 'topic', description: null },
      ],
      heroImage: { src: 'https://media.dateline.example/hero.jpg', alt: 'Negotiators', caption: null, credit: 'AFP' },
      publishedAt: '2026-11-20T09:30:00.000Z',
      updatedAt: '2026-11-20T10:02:00.000Z',
      wordCount: 461,
      readingTimeMinutes: 3,
      relatedIds: [ids['aid-convoys'], ids['earlier-talks']],
    })
  })

  it('gives a reading time of at least one minute', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles/aid-convoys').expect(200)
    expect(res.body).toMatchObject({ wordCount: 6, readingTimeMinutes: 1, breadcrumbs: [news], authors: [], tags: [], relatedIds: [] })
  })

  it('adds bodyHtml with format=html: semantic, escaped HTML with embeds as plain links', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles/ceasefire-talks?format=html').expect(200)
    expect(res.body.bodyText).toBeUndefined()
    expect(res.body.bodyHtml).toBe([
      '<p>Talks resumed on Monday.</p>',
      '<h2>What was agreed</h2>',
      '<ol><li>A pause</li><li>Aid convoys</li></ol>',
      '<figure><img src="https://media.dateline.example/maps/border.png" alt="Map of the border" width="1200" height="800" loading="lazy"><figcaption>The crossing points. <small>Dateline graphics</small></figcaption></figure>',
      '<h3>Reaction</h3>',
      '<blockquote><p>We will rebuild.</p><footer>The mayor</footer></blockquote>',
      '<ul><li>Markets rose</li><li>Flights resumed</li></ul>',
      '<figure class="embed embed-twitter"><a href="https://twitter.com/example/status/1" rel="noopener noreferrer nofollow">Statement from the ministry</a></figure>',
      '<figure class="embed embed-youtube"><a href="https://www.youtube.com/watch?v=abc" rel="noopener noreferrer nofollow">https://www.youtube.com/watch?v=abc</a></figure>',
      '<figure><img src="https://media.dateline.example/photos/aid.jpg" alt="Lorries at the border" loading="lazy"></figure>',
    ].join('\n'))
  })

  it('escapes every text field and attribute in format=html', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles/hostile-input?format=html').expect(200)
    expect(res.body.headline).toBe('<script>alert("h")</script>')
    const html = res.body.bodyHtml as string
    expect(html).toBe([
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</p>',
      '<h2>&lt;h1&gt;Big&lt;/h1&gt;</h2>',
      '<figure><img src="https://media.dateline.example/x.png?a=1&amp;b=%222%22" alt="&quot;onerror=&quot;alert(1)" loading="lazy"><figcaption>&lt;b&gt;bold&lt;/b&gt; <small>&#39;single&#39;</small></figcaption></figure>',
      '<blockquote><p>&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;</p><footer>&lt;i&gt;me&lt;/i&gt;</footer></blockquote>',
      '<ul><li>&lt;/li&gt;&lt;li onclick=&quot;x&quot;&gt;</li></ul>',
      '<figure class="embed embed-other"><a href="https://example.org/post?x=%3Cy%3E" rel="noopener noreferrer nofollow">&lt;img src=x onerror=alert(1)&gt;</a></figure>',
    ].join('\n'))
    expect(html).not.toMatch(/<script|<img src=x|"onerror=|<i>|<b>|<h1>|onclick="/)
  })

  it('adds bodyText with format=text', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles/ceasefire-talks?format=text').expect(200)
    expect(res.body.bodyHtml).toBeUndefined()
    expect(res.body.bodyText).toBe([
      'Talks resumed on Monday.',
      'What was agreed',
      '1. A pause\n2. Aid convoys',
      '[Image: The crossing points. (Dateline graphics)]',
      'Reaction',
      '“We will rebuild.”\n— The mayor',
      '- Markets rose\n- Flights resumed',
      '[Embed: Statement from the ministry] https://twitter.com/example/status/1',
      '[Embed: youtube] https://www.youtube.com/watch?v=abc',
      '[Image: Lorries at the border]',
    ].join('\n\n'))
  })

  it('answers an unknown slug, a draft and a scheduled article with a 404 problem', async () => {
    const { request } = await makeApp({ seed })
    for (const slug of ['no-such-story', 'draft-story', 'scheduled-story']) {
      const res = await request.get(`/v1/articles/${slug}`).expect(404)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).toEqual({
        type: '/problems/not-found',
        title: 'Not Found',
        status: 404,
        detail: `No article with key "${slug}".`,
        instance: `/v1/articles/${slug}`,
        requestId: expect.any(String),
      })
    }
  })

  it('serves a scheduled article, and lists it in relatedIds, once the clock passes its time', async () => {
    const { request, clock } = await makeApp({ seed })
    clock.set('2026-11-25T06:00:00.000Z')
    const res = await request.get('/v1/articles/scheduled-story').expect(200)
    expect(res.body).toMatchObject({ slug: 'scheduled-story', publishedAt: '2026-11-25T06:00:00.000Z' })
    const ceasefire = await request.get('/v1/articles/ceasefire-talks').expect(200)
    expect(ceasefire.body.relatedIds).toEqual([ids.scheduled, ids['aid-convoys'], ids['earlier-talks']])
  })

  it('answers a malformed slug or format with a 400 problem naming it', async () => {
    const { request } = await makeApp({ seed })
    const slug = await request.get('/v1/articles/Bad_Slug').expect(400)
    expect(slug.body.errors).toEqual([expect.objectContaining({ path: 'article', in: 'path' })])
    const format = await request.get('/v1/articles/ceasefire-talks?format=pdf').expect(400)
    expect(format.body.errors).toEqual([expect.objectContaining({ path: 'format', in: 'query' })])
  })

  it('refuses preview=true without an API key, and never shows the draft', async () => {
    const { request } = await makeApp({ seed })
    const res = await request.get('/v1/articles/draft-story?preview=true')
    expect([401, 403]).toContain(res.status)
    expect(res.body.slug).toBeUndefined()
  })
})
