import { describe, expect, it } from 'vitest'
import { count, makeNewsroom, seedTaxonomy, story } from './helpers.js'

async function newsroom (env?: Record<string, string>) {
  const n = await makeNewsroom(env ? { env } : {})
  await seedTaxonomy(n)
  return n
}

const paths = (res: { body: { errors: Array<{ path: string }> } }) => res.body.errors.map((e) => e.path)

describe('article body validation', () => {
  it('answers 400 with the JSON path of each bad block field', async () => {
    const n = await newsroom()
    const { request, auth } = n
    const body = [
      { type: 'paragraph', text: 'Fine.' },
      { type: 'marquee', text: 'Unknown block type' },
      { type: 'heading', level: 4, text: 'Bad level' },
      { type: 'paragraph' },
      { type: 'paragraph', text: 'x'.repeat(20_001) },
      { type: 'list', ordered: false, items: ['ok', ''] },
      { type: 'quote', text: '   ' },
    ]
    const res = await request.post('/v1/articles').set(auth).send(story({ body })).expect(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(paths(res)).toEqual(['body.body.1.type', 'body.body.2.level', 'body.body.3.text', 'body.body.4.text', 'body.body.5.items.1', 'body.body.6.text'])
    expect(await count(n, 'articles')).toBe(0)
  })

  it('refuses javascript:, data: and other non-http(s) URLs in images, embeds and hero images', async () => {
    const { request, auth } = await newsroom()
    const bad = ['javascript:alert(1)', 'data:image/png;base64,iVBORw0KGgo=', 'vbscript:msgbox', 'file:///etc/passwd', '//evil.example.com/x.png', 'ftp://example.com/x.png']
    for (const url of bad) {
      const res = await request.post('/v1/articles').set(auth).send(story({
        body: [{ type: 'image', src: url, alt: 'x' }, { type: 'embed', provider: 'other', url }],
        heroImage: { src: url, alt: 'x' },
      })).expect(400)
      expect(paths(res), url).toEqual(['body.body.0.src', 'body.body.1.url', 'body.heroImage.src'])
    }
    await request.post('/v1/articles').set(auth).send(story({
      body: [{ type: 'embed', provider: 'youtube', url: 'https://www.youtube.com/watch?v=abc' }],
      heroImage: { src: 'http://media.example.com/hero.jpg', alt: 'Hero' },
    })).expect(201)
  })

  it('refuses an embed carrying raw HTML, and unknown fields on any block', async () => {
    const { request, auth } = await newsroom()
    const res = await request.post('/v1/articles').set(auth).send(story({
      body: [
        { type: 'embed', provider: 'twitter', url: 'https://twitter.com/x/status/1', html: '<blockquote><script src="https://evil.example.com"></script>' },
        { type: 'paragraph', text: 'Hi', html: '<b>Hi</b>' },
      ],
    })).expect(400)
    expect(paths(res)).toEqual(['body.body.0.html', 'body.body.1.html'])
  })

  it('validates PATCH bodies the same way', async () => {
    const { request, auth } = await newsroom()
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
    const res = await request.patch('/v1/articles/1').set(auth).send({ body: [{ type: 'image', src: 'javascript:x', alt: '' }] }).expect(400)
    expect(paths(res)).toEqual(['body.body.0.src'])
  })

  it('answers 413 with a problem to a body over BODY_LIMIT', async () => {
    const n = await newsroom({ BODY_LIMIT: '2048' })
    const { request, auth } = n
    const res = await request.post('/v1/articles').set(auth).send(story({ body: [{ type: 'paragraph', text: 'word '.repeat(600) }] })).expect(413)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ status: 413 })
    expect(await count(n, 'articles')).toBe(0)
    await request.post('/v1/articles').set(auth).send(story()).expect(201)
  })

  it('answers 400, never 500, to malformed JSON and wrong types', async () => {
    const { request, auth } = await newsroom()
    await request.post('/v1/articles').set(auth).set('content-type', 'application/json').send('{"headline": ').expect(400)
    const res = await request.post('/v1/articles').set(auth).send({ ...story(), headline: 5, tags: 'climate', relatedIds: ['1'] }).expect(400)
    expect(paths(res)).toEqual(expect.arrayContaining(['body.headline', 'body.tags', 'body.relatedIds.0']))
    await request.post('/v1/articles').set(auth).send([1, 2]).expect(400)
  })

  it('answers 415 naming JSON to a text/plain or form-encoded body, and writes nothing', async () => {
    const n = await newsroom()
    const { request, auth } = n
    const json = JSON.stringify({ slug: 'bonn', name: 'Bonn', type: 'place' })
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await request.post('/v1/tags').set(auth).set('content-type', type).send(json).expect(415)
      expect(res.headers['content-type'], type).toMatch(/^application\/problem\+json/)
      expect(res.body.detail, type).toContain('application/json')
    }
    expect(await count(n, 'tags')).toBe(2)
  })

  it('accepts JSON with a byte-order mark, with a charset, and as application/merge-patch+json on PATCH', async () => {
    const { request, auth } = await newsroom()
    await request.post('/v1/tags').set(auth).set('content-type', 'application/json')
      .send('\uFEFF' + JSON.stringify({ slug: 'bonn', name: 'Bonn', type: 'place' })).expect(201)
    await request.post('/v1/tags').set(auth).set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ slug: 'berlin', name: 'Berlin', type: 'place' })).expect(201)
    const res = await request.patch('/v1/tags/bonn').set(auth).set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: 'Bonn, Germany' })).expect(200)
    expect(res.body).toMatchObject({ slug: 'bonn', name: 'Bonn, Germany' })
    await request.patch('/v1/tags/bonn').set(auth).set('content-type', 'application/merge-patch+json').send('{"name": ').expect(400)
  })
})
