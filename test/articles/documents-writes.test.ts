// Stored article documents after writes: after every kind of write, through the API or from another
// connection, the next read is fresh; a changed render configuration drops every document.
import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { closeDb, openDb } from '../../src/db/connection.js'
import { hashCodeTree, renderFingerprint } from '../../src/http/article-documents.js'
import type { Newsroom } from '../management/helpers.js'
import { documentCount, fromDocument, newsroom, publishedStory, stored } from './document-helpers.js'

describe('stored article documents after writes', () => {
  it('shows an unpublished, republished, rescheduled and moved article at once', async () => {
    const t = await newsroom()
    const { id, slug } = await publishedStory(t)
    await stored(t, slug)
    await t.request.post(`/v1/articles/${id}/unpublish`).set(t.auth).expect(200)
    await t.request.get(`/v1/articles/${slug}`).expect(404)
    await t.request.post(`/v1/articles/${id}/publish`).set(t.auth).expect(200)
    await stored(t, slug)
    await t.request.post(`/v1/articles/${id}/unpublish`).set(t.auth).expect(200)
    await t.request.post(`/v1/articles/${id}/publish`).set(t.auth).send({ at: new Date(t.clock() + 3_600_000).toISOString() }).expect(200)
    await t.request.get(`/v1/articles/${slug}`).expect(404)
    t.clock.advance(3_600_000)
    expect((await t.request.get(`/v1/articles/${slug}`).expect(200)).body.publishedAt).toBe(new Date(t.clock()).toISOString())

    await stored(t, slug)
    await t.request.patch(`/v1/articles/${id}`).set(t.auth).send({ section: 'sport' }).expect(200)
    const moved = (await t.request.get(`/v1/articles/${slug}`).expect(200)).body
    expect(moved.url).toBe(`/sport/${slug}`)
    expect(moved.breadcrumbs.map((b: { slug: string }) => b.slug)).toEqual(['sport'])
  })

  it('shows a changed related list, and a scheduled related article from its second on', async () => {
    const t = await newsroom()
    const a = await publishedStory(t, { headline: 'Main story' })
    const b = await publishedStory(t, { headline: 'Earlier story' })
    const later = await publishedStory(t, { headline: 'Embargoed story' }, new Date(t.clock() + 60_000).toISOString())
    await t.request.patch(`/v1/articles/${a.id}`).set(t.auth).send({ relatedIds: [b.id, later.id] }).expect(200)
    expect((await stored(t, a.slug)).body.relatedIds).toEqual([b.id])
    t.clock.advance(59_999)
    expect((await stored(t, a.slug)).body.relatedIds).toEqual([b.id])
    t.clock.advance(1)
    expect((await t.request.get(`/v1/articles/${a.slug}`).expect(200)).body.relatedIds).toEqual([b.id, later.id])

    await stored(t, a.slug)
    await t.request.patch(`/v1/articles/${a.id}`).set(t.auth).send({ relatedIds: [later.id] }).expect(200)
    expect((await t.request.get(`/v1/articles/${a.slug}`).expect(200)).body.relatedIds).toEqual([later.id])

    // the related article itself unpublished or deleted
    await stored(t, a.slug)
    await t.request.post(`/v1/articles/${later.id}/unpublish`).set(t.auth).expect(200)
    expect((await t.request.get(`/v1/articles/${a.slug}`).expect(200)).body.relatedIds).toEqual([])
    await t.request.patch(`/v1/articles/${a.id}`).set(t.auth).send({ relatedIds: [b.id] }).expect(200)
    await stored(t, a.slug)
    await t.request.delete(`/v1/articles/${b.id}`).set(t.auth).expect(204)
    expect((await t.request.get(`/v1/articles/${a.slug}`).expect(200)).body.relatedIds).toEqual([])
  })

  it('shows a renamed parent section and a section moved under another parent in url and breadcrumbs', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    const elsewhere = await publishedStory(t, { headline: 'Cup final tonight', section: 'sport' })
    await stored(t, slug)
    await stored(t, elsewhere.slug)
    await t.request.patch('/v1/sections/news').set(t.auth).send({ name: 'Headlines' }).expect(200)
    expect((await t.request.get(`/v1/articles/${slug}`).expect(200)).body.breadcrumbs.map((b: { name: string }) => b.name))
      .toEqual(['Headlines', 'World News'])
    // a section write leaves the documents of other sections' articles in place
    expect(fromDocument(await t.request.get(`/v1/articles/${elsewhere.slug}`).expect(200))).toBe(true)

    await stored(t, slug)
    await t.request.patch('/v1/sections/news/world-news').set(t.auth).send({ parent: 'sport' }).expect(200)
    const article = (await t.request.get(`/v1/articles/${slug}`).expect(200)).body
    expect(article.url).toBe(`/sport/world-news/${slug}`)
    expect(article.breadcrumbs.map((b: { slug: string }) => b.slug)).toEqual(['sport', 'world-news'])

    await stored(t, slug)
    await t.request.patch('/v1/sections/sport').set(t.auth).send({ slug: 'sports' }).expect(200)
    expect((await t.request.get(`/v1/articles/${slug}`).expect(200)).body.url).toBe(`/sports/world-news/${slug}`)
  })

  it('shows changed tags and authors of the article', async () => {
    const t = await newsroom()
    const { id, slug } = await publishedStory(t)
    await t.request.post('/v1/authors').set(t.auth).send({ slug: 'jo', name: 'Jo Reporter', kind: 'staff' }).expect(201)
    await stored(t, slug)
    await t.request.patch(`/v1/articles/${id}`).set(t.auth).send({ tags: ['paris'], authors: ['jo', 'afp'] }).expect(200)
    const article = (await t.request.get(`/v1/articles/${slug}`).expect(200)).body
    expect(article.tags.map((tag: { slug: string }) => tag.slug)).toEqual(['paris'])
    expect(article.authors.map((author: { slug: string }) => author.slug)).toEqual(['jo', 'afp'])
  })

  it('shows a tag renamed with raw SQL on another connection at once', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    await stored(t, slug)
    const other = new Database(t.config.databasePath)
    try {
      other.prepare("update tags set name = 'Climate emergency' where slug = 'climate'").run()
    } finally {
      other.close()
    }
    const res = await t.request.get(`/v1/articles/${slug}`).expect(200)
    expect(fromDocument(res)).toBe(false)
    expect(res.body.tags.map((tag: { name: string }) => tag.name)).toContain('Climate emergency')
  })
})

// One write that only its trigger can see: the route writes one row of its own table, and raw SQL on the
// app's connection writes one link row (no data_version change, so only the trigger drops the document).
interface OneWrite {
  name: string
  trigger: string
  story?: Record<string, unknown>
  write: (t: Newsroom, ids: { a: number, b: number, c: number }) => Promise<unknown> | unknown
  shows: (article: Record<string, unknown>, ids: { b: number, c: number }) => [unknown, unknown]
}

const sql = (t: Newsroom, statement: string) => t.db.$client.exec(statement)
const id = (table: string, slug: string) => `(select id from ${table} where slug = '${slug}')`
const field = (key: string, of: string) => (article: Record<string, unknown>) => (article[key] as Array<Record<string, unknown>>).map((x) => x[of])

const oneWrites: OneWrite[] = [
  {
    name: 'an author renamed through PATCH /v1/authors/afp',
    trigger: 'article_documents_author_update',
    write: (t) => t.request.patch('/v1/authors/afp').set(t.auth).send({ name: 'Agence France-Presse' }).expect(200),
    shows: (article) => [field('authors', 'name')(article), ['Agence France-Presse']],
  },
  {
    name: 'a tag renamed through PATCH /v1/tags/paris',
    trigger: 'article_documents_tag_update',
    write: (t) => t.request.patch('/v1/tags/paris').set(t.auth).send({ name: 'Paris, France' }).expect(200),
    shows: (article) => [field('tags', 'name')(article), ['Climate', 'Paris, France']],
  },
  {
    name: 'a section renamed through PATCH /v1/sections/news/world-news',
    trigger: 'article_documents_section_update',
    write: (t) => t.request.patch('/v1/sections/news/world-news').set(t.auth).send({ name: 'World' }).expect(200),
    shows: (article) => [field('breadcrumbs', 'name')(article), ['News', 'World']],
  },
  {
    name: 'a tag link inserted with SQL',
    trigger: 'article_documents_tags_insert',
    story: { tags: ['climate'] },
    write: (t, { a }) => sql(t, `insert into article_tags (article_id, tag_id, position) values (${a}, ${id('tags', 'paris')}, 1)`),
    shows: (article) => [field('tags', 'slug')(article), ['climate', 'paris']],
  },
  {
    name: 'a tag link pointed at another tag with SQL',
    trigger: 'article_documents_tags_update',
    story: { tags: ['climate'] },
    write: (t, { a }) => sql(t, `update article_tags set tag_id = ${id('tags', 'paris')} where article_id = ${a}`),
    shows: (article) => [field('tags', 'slug')(article), ['paris']],
  },
  {
    name: 'a tag link deleted with SQL',
    trigger: 'article_documents_tags_delete',
    write: (t, { a }) => sql(t, `delete from article_tags where article_id = ${a} and tag_id = ${id('tags', 'paris')}`),
    shows: (article) => [field('tags', 'slug')(article), ['climate']],
  },
  {
    name: 'an author link inserted with SQL',
    trigger: 'article_documents_authors_insert',
    write: (t, { a }) => sql(t, `insert into article_authors (article_id, author_id, position) values (${a}, ${id('authors', 'jo')}, 1)`),
    shows: (article) => [field('authors', 'slug')(article), ['afp', 'jo']],
  },
  {
    name: 'an author link pointed at another author with SQL',
    trigger: 'article_documents_authors_update',
    write: (t, { a }) => sql(t, `update article_authors set author_id = ${id('authors', 'jo')} where article_id = ${a}`),
    shows: (article) => [field('authors', 'slug')(article), ['jo']],
  },
  {
    name: 'an author link deleted with SQL',
    trigger: 'article_documents_authors_delete',
    story: { authors: ['afp', 'jo'] },
    write: (t, { a }) => sql(t, `delete from article_authors where article_id = ${a} and author_id = ${id('authors', 'jo')}`),
    shows: (article) => [field('authors', 'slug')(article), ['afp']],
  },
  {
    name: 'a related link inserted with SQL',
    trigger: 'article_documents_related_insert',
    story: { relatedIds: [] },
    write: (t, { a, b }) => sql(t, `insert into article_related (article_id, related_id, position) values (${a}, ${b}, 0)`),
    shows: (article, { b }) => [article.relatedIds, [b]],
  },
  {
    name: 'a related link pointed at another article with SQL',
    trigger: 'article_documents_related_update',
    write: (t, { a, c }) => sql(t, `update article_related set related_id = ${c} where article_id = ${a}`),
    shows: (article, { c }) => [article.relatedIds, [c]],
  },
  {
    name: 'a related link deleted with SQL',
    trigger: 'article_documents_related_delete',
    write: (t, { a }) => sql(t, `delete from article_related where article_id = ${a}`),
    shows: (article) => [article.relatedIds, []],
  },
]

describe('stored article documents after one write to one table', () => {
  for (const { name, trigger, story, write, shows } of oneWrites) {
    it(`shows ${name} at once (${trigger})`, async () => {
      const t = await newsroom()
      await t.request.post('/v1/authors').set(t.auth).send({ slug: 'jo', name: 'Jo Reporter', kind: 'staff' }).expect(201)
      const b = (await publishedStory(t, { headline: 'Earlier story' })).id
      const c = (await publishedStory(t, { headline: 'Later story' })).id
      const { id: a, slug } = await publishedStory(t, { relatedIds: [b], ...story })
      await stored(t, slug)
      await write(t, { a, b, c })
      const res = await t.request.get(`/v1/articles/${slug}`).expect(200)
      expect(fromDocument(res)).toBe(false)
      const [actual, expected] = shows(res.body, { b, c })
      expect(actual).toEqual(expected)
    })
  }
})

describe('render fingerprint', () => {
  it('drops every stored document at start-up when the render configuration changed', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    await stored(t, slug)
    expect(documentCount(t)).toBe(1)

    const same = openDb({ path: t.config.databasePath })
    try {
      await (await buildApp({ db: same, config: t.config, clock: t.clock })).close()
      expect(documentCount(t)).toBe(1)
      const other = await buildApp({ db: same, config: { ...t.config, compressionThreshold: 10 }, clock: t.clock })
      await other.articleDocumentsSettled
      await other.close()
      expect(documentCount(t)).toBe(0)
    } finally {
      closeDb(same)
    }
  })

  it('starts without waiting for the old documents to go, and serves or stores none until they have', async () => {
    const t = await newsroom()
    const { slug } = await publishedStory(t)
    await stored(t, slug)
    // 20,000 more old documents (rows only: the foreign key is off on this connection)
    const raw = new Database(t.config.databasePath)
    raw.pragma('foreign_keys = OFF')
    raw.prepare(`insert into article_documents (article_id, slug, live_from, etag, content_type, identity)
      with recursive n(value) as (select 1 union all select value + 1 from n where value < 20000)
      select 100000 + value, 'old-' || value, 0, '"x"', 'application/json', zeroblob(100) from n`).run()
    raw.close()

    const same = openDb({ path: t.config.databasePath })
    try {
      const other = await buildApp({ db: same, config: { ...t.config, compressionThreshold: 10 }, clock: t.clock })
      // started with old rows still there (500 go per turn), and until they
      // are gone neither process finds or stores a document
      const fingerprint = () => (t.db.$client.prepare('select render_fingerprint as f from content_version').get() as { f: string }).f
      expect(fingerprint()).toMatch(/^dropping for /)
      expect(documentCount(t)).toBeGreaterThan(1000)
      const draft = { slug, etag: '"new"', lastModified: null, surrogateKey: null, contentType: 'application/json', vary: null, identity: Buffer.from('{}'), br: null, gzip: null }
      for (const documents of [t.app.articleDocuments!, other.articleDocuments!]) {
        expect(documents.find(slug, 'identity', t.clock())).toBeUndefined()
        expect(documents.store(draft, documents.version(), t.clock())).toBe(false)
      }
      await other.articleDocumentsSettled
      expect(documentCount(t)).toBe(0)
      expect(fingerprint()).not.toMatch(/^dropping/)
      await other.ready()
      const otherRequest = supertest(other.server)
      await otherRequest.get(`/v1/articles/${slug}`).expect(200)
      expect(fromDocument(await otherRequest.get(`/v1/articles/${slug}`).expect(200))).toBe(true)
      await other.close()
    } finally {
      closeDb(same)
    }
  })

  it('changes with any change to the application code, so an upgrade never serves documents rendered by the old code', () => {
    const root = mkdtempSync(join(tmpdir(), 'dateline-code-'))
    try {
      mkdirSync(join(root, 'articles'))
      writeFileSync(join(root, 'articles', 'render.js'), 'export const a = 1\n')
      writeFileSync(join(root, 'notes.md'), 'not code')
      const before = hashCodeTree(root)
      expect(hashCodeTree(root)).toBe(before)
      writeFileSync(join(root, 'notes.md'), 'still not code')
      expect(hashCodeTree(root)).toBe(before)
      writeFileSync(join(root, 'articles', 'render.js'), 'export const a = 2\n')
      expect(hashCodeTree(root)).not.toBe(before)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
    expect(renderFingerprint({ corsOrigins: '*', compressionThreshold: 1024 } as Config)).toMatch(/^[0-9a-f]{40}$/)
  })
})
