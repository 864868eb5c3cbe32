// Stored article documents (ARTICLE_DOCUMENTS) with the response cache off: a stored answer is the
// rendered answer, byte for byte, in every coding; only plain public reads are served from it; a
// render that raced a write is not stored (freshness after writes: documents-writes.test.ts).
import Database from 'better-sqlite3'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { closeDb, openDb } from '../../src/db/connection.js'
import type { Newsroom } from '../management/helpers.js'
import { documentCount, fromDocument, newsroom, publishedStory, stored } from './document-helpers.js'

interface RawAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }

// one request on a raw socket: the body exactly as sent, still encoded
async function raw (t: Newsroom, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject).end()
  })
}

const PER_REQUEST = ['x-request-id', 'date', 'server-timing']
const comparable = (headers: RawAnswer['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.includes(name)))
const decode = (answer: RawAnswer) => {
  const coding = answer.headers['content-encoding']
  return coding === 'br' ? brotliDecompressSync(answer.body) : coding === 'gzip' ? gunzipSync(answer.body) : answer.body
}

describe('stored article documents', () => {
  it('falls back to rendering when reading a stored document fails, never taking the process down', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    await stored(t, slug)
    // every statement on the table now fails (as a corrupt page or an I/O error would)
    t.db.$client.prepare('alter table article_documents rename to article_documents_gone').run()
    for (let i = 0; i < 2; i++) {
      const res = await t.request.get(`/v1/articles/${slug}`).expect(200)
      expect(res.body.slug).toBe(slug)
      expect(fromDocument(res)).toBe(false)
    }
    await t.request.get('/healthz').expect(200)
  })

  it('answers the second read from the stored document, identical to the rendered answer in every coding', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t, { body: Array.from({ length: 20 }, (_, i) => ({ type: 'paragraph', text: `Paragraph ${i} of the talks.` })) })
    for (const coding of ['identity', 'gzip', 'br']) {
      t.db.$client.prepare('delete from article_documents').run()
      const headers = { 'accept-encoding': coding, origin: 'https://reader.example.com' }
      const rendered = await raw(t, `/v1/articles/${slug}`, headers)
      const document = await raw(t, `/v1/articles/${slug}`, headers)
      expect(rendered.status).toBe(200)
      expect(fromDocument(rendered), coding).toBe(false)
      expect(document.status).toBe(200)
      expect(document.headers['server-timing']).toMatch(/^doc;desc=stored, db;dur=[\d.]+, total;dur=[\d.]+$/)
      expect(document.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
      expect(decode(document).equals(decode(rendered)), coding).toBe(true)
      expect(document.headers['content-encoding'], coding).toBe(coding === 'identity' ? undefined : coding)
      expect(comparable(document.headers), coding).toEqual(comparable(rendered.headers))
      expect(document.body.equals(rendered.body), coding).toBe(true)
    }
  })

  it('stores the coding the render made, makes another once on the first request for it, never under the threshold', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t, { body: Array.from({ length: 20 }, (_, i) => ({ type: 'paragraph', text: `Paragraph ${i} of the talks.` })) })
    const variants = () => t.db.$client.prepare('select br is not null as br, gzip is not null as gzip from article_documents').get()
    const gzipped = await raw(t, `/v1/articles/${slug}`, { 'accept-encoding': 'gzip' })
    expect(variants()).toEqual({ br: 0, gzip: 1 })
    const first = await raw(t, `/v1/articles/${slug}`, { 'accept-encoding': 'br' })
    expect(fromDocument(first)).toBe(true)
    expect(variants()).toEqual({ br: 1, gzip: 1 })
    const second = await raw(t, `/v1/articles/${slug}`, { 'accept-encoding': 'br' })
    expect(second.headers['content-encoding']).toBe('br')
    expect(second.body.equals(first.body)).toBe(true)
    expect(brotliDecompressSync(second.body).equals(gunzipSync(gzipped.body))).toBe(true)

    const small = await newsroom({ COMPRESSION_THRESHOLD: '100000' })
    const { slug: shortSlug } = await publishedStory(small)
    const rendered = await raw(small, `/v1/articles/${shortSlug}`, { 'accept-encoding': 'br' })
    const document = await raw(small, `/v1/articles/${shortSlug}`, { 'accept-encoding': 'br' })
    expect(fromDocument(document)).toBe(true)
    expect(document.headers['content-encoding']).toBeUndefined()
    expect(comparable(document.headers)).toEqual(comparable(rendered.headers))
    expect(document.body.equals(rendered.body)).toBe(true)
  })

  it('keeps the client X-Request-Id and the CORS headers of a restricted origin list', async () => {
    const t = await newsroom({ CORS_ORIGINS: 'https://reader.example.com' })
    const { slug } = await publishedStory(t)
    for (const origin of ['https://reader.example.com', 'https://elsewhere.example.com']) {
      t.db.$client.prepare('delete from article_documents').run()
      const headers = { origin, 'x-request-id': 'trace-1' }
      const rendered = await raw(t, `/v1/articles/${slug}`, headers)
      const document = await raw(t, `/v1/articles/${slug}`, headers)
      expect(fromDocument(document)).toBe(true)
      expect(document.headers['x-request-id']).toBe('trace-1')
      expect(comparable(document.headers), origin).toEqual(comparable(rendered.headers))
    }
  })

  it('answers 304 from the stored document to a matching If-None-Match, and 200 to a stale one', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    const first = await stored(t, slug)
    const res = await t.request.get(`/v1/articles/${slug}`).set('if-none-match', String(first.headers.etag)).expect(304)
    expect(fromDocument(res)).toBe(true)
    expect(res.headers.etag).toBe(first.headers.etag)
    expect(res.headers['content-type']).toBeUndefined()
    expect(res.text).toBe('')
    const stale = await t.request.get(`/v1/articles/${slug}`).set('if-none-match', '"other"').expect(200)
    expect(fromDocument(stale)).toBe(true)
  })

  it('never answers format, preview or credentialed reads from a document, nor stores them', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    for (const path of [`/v1/articles/${slug}?format=html`, `/v1/articles/${slug}?format=text`]) {
      await t.request.get(path).expect(200)
      expect(documentCount(t), path).toBe(0)
    }
    await t.request.get(`/v1/articles/${slug}?preview=true`).set(t.bearer(t.keys.previewer)).expect(200)
    await t.request.get(`/v1/articles/${slug}`).set(t.bearer(t.keys.previewer)).expect(200)
    expect(documentCount(t)).toBe(0)

    await stored(t, slug)
    const html = await t.request.get(`/v1/articles/${slug}?format=html`).expect(200)
    expect(fromDocument(html)).toBe(false)
    expect(html.body.bodyHtml).toContain('<p>')
    const preview = await t.request.get(`/v1/articles/${slug}?preview=true`).set(t.bearer(t.keys.previewer)).expect(200)
    expect(fromDocument(preview)).toBe(false)
    expect(preview.headers['cache-control']).toBe('private, no-store')
    const keyed = await t.request.get(`/v1/articles/${slug}`).set(t.bearer(t.keys.previewer)).expect(200)
    expect(fromDocument(keyed)).toBe(false)
    expect(keyed.headers['cache-control']).toBe('no-store')
  })

  it('counts answers from stored documents in the request metrics under the route pattern', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    const etag = String((await stored(t, slug)).headers.etag)
    await t.request.get(`/v1/articles/${slug}`).set('if-none-match', etag).expect(304)
    const metrics = (await t.request.get('/metrics').expect(200)).text
    expect(metrics).toContain('http_requests_total{method="GET",route="/v1/articles/:article",status="200"} 2')
    expect(metrics).toContain('http_requests_total{method="GET",route="/v1/articles/:article",status="304"} 1')
  })

  it('fills the response cache from a document answer, and that entry goes with the next write', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'true' })
    const { id, slug } = await publishedStory(t)
    // a scheduled story: its publication time ends every response-cache entry, not the documents
    await publishedStory(t, { headline: 'Embargoed' }, new Date(t.clock() + 60_000).toISOString())
    const rendered = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(rendered.headers['x-cache']).toBe('MISS')
    t.clock.advance(60_000)
    const document = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fromDocument(document)).toBe(true)
    expect(document.headers['x-cache']).toBe('MISS')
    const hit = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(hit.headers['x-cache']).toBe('HIT')
    expect(hit.text).toBe(rendered.text)
    const same = (headers: Record<string, string>) => comparable(Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'x-cache')))
    expect(same(hit.headers)).toEqual(same(rendered.headers))

    await t.request.patch(`/v1/articles/${id}`).set(t.auth).send({ headline: 'Talks collapse' }).expect(200)
    const fresh = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fresh.headers['x-cache']).toBe('MISS')
    expect(fresh.body.headline).toBe('Talks collapse')
  })

  it('stores nothing and serves nothing when ARTICLE_DOCUMENTS=false', async () => {
    const t = await newsroom({ ARTICLE_DOCUMENTS: 'false' })
    const { slug } = await publishedStory(t)
    await t.request.get(`/v1/articles/${slug}`).expect(200)
    const res = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fromDocument(res)).toBe(false)
    expect(documentCount(t)).toBe(0)
  })

  it('does not store a render when a write landed between the read of content_version and the store', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    const documents = t.app.articleDocuments!
    const before = documents.version()
    await t.request.patch('/v1/tags/climate').set(t.auth).send({ name: 'Climate crisis' }).expect(200)
    const document = { slug, etag: '"old"', lastModified: null, surrogateKey: null, contentType: 'application/json', vary: null, identity: Buffer.from('{}'), br: null, gzip: null }
    expect(documents.store(document, before, t.clock())).toBe(false)
    expect(documentCount(t)).toBe(0)
    expect(documents.store(document, documents.version(), t.clock())).toBe(true)
    expect(documentCount(t)).toBe(1)
  })

  it('does not store a render when another connection writes while the request is in flight', async () => {
    let write = () => {}
    // a write from another connection after the handler read the article, before the answer is stored
    const t = await newsroom({}, (app) => app.addHook('preSerialization', (_request, _reply, payload, done) => {
      write()
      done(null, payload)
    }))
    const { id, slug } = await publishedStory(t)
    write = () => {
      write = () => {}
      const other = new Database(t.config.databasePath)
      try { other.prepare('update articles set headline = ? where id = ?').run('Changed mid-request', id) } finally { other.close() }
    }
    expect((await t.request.get(`/v1/articles/${slug}`).expect(200)).body.headline).toBe('Talks resume in Paris')
    expect(documentCount(t)).toBe(0)
    expect((await t.request.get(`/v1/articles/${slug}`).expect(200)).body.headline).toBe('Changed mid-request')
    expect(documentCount(t)).toBe(1)
  })

  it('judges a scheduled related article by the instant the answer was rendered at, not by the later store', async () => {
    let slowRender = false
    const t: Newsroom = await newsroom({}, (app) => {
      // time passing between the handler's render and the store (event-loop lag under load)
      app.addHook('preSerialization', (_request, _reply, payload, done) => {
        if (slowRender) t.clock.advance(1000)
        done(null, payload)
      })
    })
    const main = await publishedStory(t, { headline: 'Main story' })
    const soon = await publishedStory(t, { headline: 'Embargoed story' }, new Date(t.clock() + 500).toISOString())
    await t.request.patch(`/v1/articles/${main.id}`).set(t.auth).send({ relatedIds: [soon.id] }).expect(200)
    slowRender = true
    expect((await t.request.get(`/v1/articles/${main.slug}`).expect(200)).body.relatedIds).toEqual([])
    slowRender = false
    t.clock.advance(3_600_000)
    expect((await t.request.get(`/v1/articles/${main.slug}`).expect(200)).body.relatedIds).toEqual([soon.id])
  })

  it('stores only from the URL the fast path answers: other spellings of it render without rewriting the document', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    for (const path of [`/v1/articles/${slug}/`, `/v1/articles/%${slug.charCodeAt(0).toString(16)}${slug.slice(1)}`]) {
      const res = await t.request.get(path).expect(200)
      expect(res.body.slug).toBe(slug)
      expect(documentCount(t), path).toBe(0)
    }
    await stored(t, slug)
    const writes = () => t.db.$client.prepare('select total_changes() as n').get() as { n: number }
    const before = writes().n
    for (let i = 0; i < 3; i++) await t.request.get(`/v1/articles/${slug}/`).set('accept-encoding', 'gzip').expect(200)
    expect(writes().n).toBe(before)
  })

  it('serves and stores documents only for the render fingerprint the database holds', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    await stored(t, slug)
    // another process on the same file with another configuration starts, taking the documents over
    const other = await buildApp({ db: openDb({ path: t.config.databasePath }), config: { ...t.config, compressionThreshold: 100_000 }, clock: t.clock })
    try {
      await other.ready()
      await other.articleDocumentsSettled
      expect(documentCount(t)).toBe(0)
      // this one renders, and stores nothing the other would serve with this configuration's headers
      for (let i = 0; i < 2; i++) expect(fromDocument(await t.request.get(`/v1/articles/${slug}`).set('accept-encoding', 'br').expect(200))).toBe(false)
      expect(documentCount(t)).toBe(0)
      const otherRequest = supertest(other.server)
      await otherRequest.get(`/v1/articles/${slug}`).expect(200)
      const theirs = await otherRequest.get(`/v1/articles/${slug}`).set('accept-encoding', 'br').expect(200)
      expect(fromDocument(theirs)).toBe(true)
      expect(theirs.headers['content-encoding']).toBeUndefined()
      // and its documents are not served here
      expect(fromDocument(await t.request.get(`/v1/articles/${slug}`).expect(200))).toBe(false)
    } finally {
      await other.close()
      closeDb(other.db)
    }
  })

  it('counts an answer from a stored document as a response-cache miss', async () => {
    const t = await newsroom({ RESPONSE_CACHE: 'true' })
    const { slug } = await publishedStory(t)
    await t.request.get(`/v1/articles/${slug}`).expect(200)
    const misses = async () => Number(/^dateline_response_cache_misses_total (\d+)$/m.exec((await t.request.get('/metrics').expect(200)).text)![1])
    const before = await misses()
    t.app.responseCache!.clear()
    const res = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fromDocument(res)).toBe(true)
    expect(res.headers['x-cache']).toBe('MISS')
    // this read and the second scrape
    expect(await misses()).toBe(before + 2)
  })
})
