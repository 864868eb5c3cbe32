// Live blog delivery through HTTP: entry pages in both orders with cursor paging, `since`,
// pinned-first, format=html, the article's `live` block, and caching (ETag, Surrogate-Key, the
// response cache dropping the article and its pages at each entry write).
import { describe, expect, it } from 'vitest'
import { makeBlog, post, type Blog } from './helpers.js'

const ids = (body: { data: Array<{ id: number }> }) => body.data.map((e) => e.id)

async function pages (b: Blog, query: string): Promise<number[][]> {
  const out: number[][] = []
  let url: string | null = `/v1/articles/${b.slug}/entries?${query}`
  while (url) {
    const res = await b.request.get(url).expect(200)
    out.push(ids(res.body))
    const next = res.body.page.nextCursor as string | null
    if (next) expect(res.headers.link).toContain('rel="next"')
    url = next ? `/v1/articles/${b.slug}/entries?${query}&cursor=${encodeURIComponent(next)}` : null
  }
  return out
}

describe('GET /v1/articles/{slug}/entries', () => {
  it('pages newest first (default) and oldest first with cursors; ties on createdAt broken by id', async () => {
    const b = await makeBlog()
    for (let i = 0; i < 5; i++) await post(b, { headline: `Entry ${i + 1}` })
    // two entries in the same millisecond
    await b.request.post(`/v1/articles/${b.id}/entries`).set(b.auth).send({ body: [{ type: 'paragraph', text: 'Same time' }] }).expect(201)
    expect(await pages(b, 'limit=2')).toEqual([[6, 5], [4, 3], [2, 1]])
    expect(await pages(b, 'limit=4&order=oldest')).toEqual([[1, 2, 3, 4], [5, 6]])
    const first = await b.request.get(`/v1/articles/${b.slug}/entries?limit=2`).expect(200)
    // a cursor of another order is refused
    const res = await b.request.get(`/v1/articles/${b.slug}/entries?limit=2&order=oldest&cursor=${encodeURIComponent(first.body.page.nextCursor)}`).expect(400)
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor', in: 'query' })])
    expect((await b.request.get(`/v1/articles/${b.slug}/entries?order=sideways`).expect(400)).body.errors[0].path).toBe('order')
    expect((await b.request.get(`/v1/articles/${b.slug}/entries?limit=0`).expect(400)).body.errors[0].path).toBe('limit')
  })

  it('puts pinned entries first on the first newest-first page only, once; in place with order=oldest or since', async () => {
    const b = await makeBlog()
    for (let i = 0; i < 5; i++) await post(b, { pinned: i === 1 })
    expect(await pages(b, 'limit=2')).toEqual([[2, 5, 4], [3, 1]])
    const first = await b.request.get(`/v1/articles/${b.slug}/entries?limit=2`).expect(200)
    expect(first.body.data[0]).toMatchObject({ id: 2, pinned: true })
    expect(await pages(b, 'limit=2&order=oldest')).toEqual([[1, 2], [3, 4], [5]])
    expect(await pages(b, `limit=10&since=${encodeURIComponent('2026-11-24T12:00:30Z')}`)).toEqual([[5, 4, 3, 2, 1]])
  })

  it('since returns the entries created or changed after it', async () => {
    const b = await makeBlog()
    for (let i = 0; i < 4; i++) await post(b)
    // 12:01 .. 12:04; entry 1 changed at 12:05
    b.clock.advance(60_000)
    await b.request.patch(`/v1/articles/${b.id}/entries/1`).set(b.auth).send({ headline: 'Corrected' }).expect(200)
    const res = await b.request.get(`/v1/articles/${b.slug}/entries?since=${encodeURIComponent('2026-11-24T12:03:00.000Z')}`).expect(200)
    expect(ids(res.body)).toEqual([4, 1])
    const offset = await b.request.get(`/v1/articles/${b.slug}/entries?order=oldest&since=${encodeURIComponent('2026-11-24T13:02:30+01:00')}`).expect(200)
    expect(ids(offset.body)).toEqual([1, 3, 4])
    expect((await b.request.get(`/v1/articles/${b.slug}/entries?since=yesterday`).expect(400)).body.errors[0].path).toBe('since')
  })

  it('format=html adds bodyHtml to every entry, escaped as for articles', async () => {
    const b = await makeBlog()
    await post(b, { body: [{ type: 'paragraph', text: 'Polls <b>closed</b>' }, { type: 'quote', text: 'We won', attribution: 'The candidate' }] })
    const res = await b.request.get(`/v1/articles/${b.slug}/entries?format=html`).expect(200)
    expect(res.body.data[0].bodyHtml).toBe('<p>Polls &lt;b&gt;closed&lt;/b&gt;</p>\n<blockquote><p>We won</p><footer>The candidate</footer></blockquote>')
    const plain = await b.request.get(`/v1/articles/${b.slug}/entries`).expect(200)
    expect(plain.body.data[0]).not.toHaveProperty('bodyHtml')
  })

  it('pages through entries of one millisecond with the cursor between them, in both orders', async () => {
    const b = await makeBlog()
    for (let i = 0; i < 3; i++) await b.request.post(`/v1/articles/${b.id}/entries`).set(b.auth).send({ body: [{ type: 'paragraph', text: `Same time ${i}` }] }).expect(201)
    expect(await pages(b, 'limit=1')).toEqual([[3], [2], [1]])
    expect(await pages(b, 'limit=1&order=oldest')).toEqual([[1], [2], [3]])
    expect(await pages(b, 'limit=2&order=oldest')).toEqual([[1, 2], [3]])
  })

  // The page is JSON.stringify'd in production (http/serializer.ts FAST_ROUTES); in tests the
  // serializer also checks that gives the zod-encoded bytes (a 500 otherwise), for every block kind.
  it('answers entries with every kind of block, with and without optional fields, in schema shape', async () => {
    const b = await makeBlog()
    const body = [
      { type: 'heading', level: 2, text: 'The count' },
      { type: 'image', src: 'https://media.example/a.jpg', alt: 'Ballots', width: 1600, height: 900 },
      { type: 'image', alt: '', src: 'https://media.example/b.jpg', caption: 'Queues', credit: 'AFP' },
      { type: 'quote', text: 'We won' },
      { type: 'list', ordered: true, items: ['One', 'Two'] },
      { type: 'embed', provider: 'youtube', url: 'https://youtube.com/watch?v=1' },
      { type: 'paragraph', text: 'Polls have closed.' },
    ]
    const created = await post(b, { headline: 'Results', authors: ['afp'], keyEvent: true, body })
    await post(b, { pinned: true })
    for (const query of ['', '?format=html', '?order=oldest&limit=1']) {
      const res = await b.request.get(`/v1/articles/${b.slug}/entries${query}`).expect(200)
      const entry = res.body.data.find((e: { id: number }) => e.id === created.id)
      expect(entry.body).toEqual((created as unknown as { body: unknown }).body)
      expect(entry.authors).toEqual([{ slug: 'afp', name: 'AFP', kind: 'agency', bio: null, avatarUrl: null }])
    }
  })

  it('is a 404 problem for an ordinary article, a draft live blog or an unknown slug', async () => {
    const b = await makeBlog()
    const plain = await b.request.post('/v1/articles').set(b.auth).send({ headline: 'Plain story', body: [], section: 'news' }).expect(201)
    await b.request.post(`/v1/articles/${plain.body.id}/publish`).set(b.auth).expect(200)
    await b.request.get(`/v1/articles/${plain.body.slug}/entries`).expect(404)
    await b.request.get(`/v1/articles/${plain.body.slug}/entries/stream`).expect(404)
    await b.request.post(`/v1/articles/${b.id}/unpublish`).set(b.auth).expect(200)
    const res = await b.request.get(`/v1/articles/${b.slug}/entries`).expect(404)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    await b.request.get('/v1/articles/no-such-blog/entries').expect(404)
  })

  it('carries ETag, public Cache-Control and Surrogate-Key; is cached, and dropped at each entry write', async () => {
    const b = await makeBlog()
    await post(b, { authors: ['afp'] })
    const url = `/v1/articles/${b.slug}/entries`
    const first = await b.request.get(url).expect(200)
    expect(first.headers['surrogate-key']!.split(' ')).toEqual(expect.arrayContaining([`liveblog:${b.id}`, `article:${b.id}`, 'author:afp']))
    expect(first.headers['cache-control']).toMatch(/^public, max-age=/)
    expect(first.headers.etag).toBeDefined()
    await b.request.get(url).set('if-none-match', first.headers.etag!).expect(304)
    expect((await b.request.get(url).expect(200)).headers['x-cache']).toBe('HIT')
    await post(b)
    const after = await b.request.get(url).expect(200)
    expect(after.headers['x-cache']).toBe('MISS')
    expect(ids(after.body)).toEqual([2, 1])
    expect(after.headers.etag).not.toBe(first.headers.etag)
  })
})

describe('the live block of a live blog\'s article', () => {
  it('shows isLive, entryCount, lastEntryAt and key events newest first; updatedAt and ETag move with each entry', async () => {
    const b = await makeBlog()
    const url = `/v1/articles/${b.slug}`
    const empty = await b.request.get(url).expect(200)
    expect(empty.body.live).toEqual({ isLive: true, entryCount: 0, lastEntryAt: null, keyEvents: [] })
    expect(empty.headers['surrogate-key']).toContain(`liveblog:${b.id}`)
    expect(Object.keys(empty.body).slice(-2)).toEqual(['relatedIds', 'live'])
    expect((await b.request.get(url).expect(200)).headers['x-cache']).toBe('HIT')

    await post(b, { headline: 'Polls close', keyEvent: true })
    await post(b)
    await post(b, { headline: 'Exit poll', keyEvent: true })
    const res = await b.request.get(url).expect(200)
    expect(res.headers['x-cache']).toBe('MISS')
    expect(res.headers.etag).not.toBe(empty.headers.etag)
    expect(res.body.updatedAt).toBe('2026-11-24T12:03:00.000Z')
    expect(res.body.live).toEqual({
      isLive: true,
      entryCount: 3,
      lastEntryAt: '2026-11-24T12:03:00.000Z',
      keyEvents: [
        { id: 3, headline: 'Exit poll', createdAt: '2026-11-24T12:03:00.000Z' },
        { id: 1, headline: 'Polls close', createdAt: '2026-11-24T12:01:00.000Z' },
      ],
    })
    // the summary in lists moves too
    const list = await b.request.get('/v1/articles').expect(200)
    expect(list.body.data.find((a: { id: number }) => a.id === b.id).updatedAt).toBe('2026-11-24T12:03:00.000Z')

    const html = await b.request.get(`${url}?format=html`).expect(200)
    expect(Object.keys(html.body).slice(-2)).toEqual(['live', 'bodyHtml'])
    expect(html.body.live).toEqual(res.body.live)

    b.clock.advance(60_000)
    await b.request.delete(`/v1/articles/${b.id}/entries/3`).set(b.auth).expect(204)
    const after = await b.request.get(url).expect(200)
    expect(after.body.live.keyEvents.map((k: { id: number }) => k.id)).toEqual([1])
    expect(after.body.updatedAt).toBe('2026-11-24T12:04:00.000Z')
  })

  it('leaves ordinary articles without a live block', async () => {
    const b = await makeBlog()
    const plain = await b.request.post('/v1/articles').set(b.auth).send({ headline: 'Plain story', body: [], section: 'news' }).expect(201)
    await b.request.post(`/v1/articles/${plain.body.id}/publish`).set(b.auth).expect(200)
    const res = await b.request.get(`/v1/articles/${plain.body.slug}`).expect(200)
    expect(res.body).not.toHaveProperty('live')
    expect(res.headers['surrogate-key']).not.toContain('liveblog:')
  })
})

describe('GET /v1/feeds/liveblogs/{slug}/{file}', () => {
  it('serves Atom and JSON Feed of the entries, newest first, dropped from the cache at each entry write', async () => {
    const b = await makeBlog({ env: { PUBLIC_BASE_URL: 'https://news.example.com' } })
    await post(b, { headline: 'Polls close', authors: ['afp'] })
    await post(b, { body: [{ type: 'paragraph', text: 'Turnout is <high>.' }] })
    const json = await b.request.get(`/v1/feeds/liveblogs/${b.slug}/feed.json`).expect(200)
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8')
    expect(json.headers['surrogate-key']).toContain(`liveblog:${b.id}`)
    const feed = JSON.parse(json.text)
    expect(feed.title).toBe('Election night live | Dateline')
    expect(feed.items.map((i: { id: string }) => i.id)).toEqual([
      `tag:news.example.com,2026-11-24:articles/${b.id}/entries/2`,
      `tag:news.example.com,2026-11-24:articles/${b.id}/entries/1`,
    ])
    expect(feed.items[0]).toMatchObject({
      url: `https://news.example.com/news/world-news/${b.slug}#entry-2`,
      title: 'Turnout is <high>.',
      content_html: '<p>Turnout is &lt;high&gt;.</p>',
      date_published: '2026-11-24T12:02:00.000Z',
    })
    expect(feed.items[1]).toMatchObject({ title: 'Polls close', authors: [{ name: 'AFP' }] })
    const atom = await b.request.get(`/v1/feeds/liveblogs/${b.slug}/atom.xml`).expect(200)
    expect(atom.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    expect(atom.text).toContain('<title type="text">Polls close</title>')
    expect((await b.request.get(`/v1/feeds/liveblogs/${b.slug}/atom.xml`).expect(200)).headers['x-cache']).toBe('HIT')
    await post(b, { headline: 'Third' })
    const after = await b.request.get(`/v1/feeds/liveblogs/${b.slug}/atom.xml`).expect(200)
    expect(after.text).toContain('Third')
    await b.request.get(`/v1/feeds/liveblogs/${b.slug}/feed.txt`).expect(404)
    await b.request.get('/v1/feeds/liveblogs/no-such-blog/feed.json').expect(404)
  })
})
