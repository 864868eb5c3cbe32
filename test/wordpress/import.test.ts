import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Body, HeroImage } from '../../src/articles/schemas.js'
import type { Store } from '../../src/db/store.js'
import { importWordpress } from '../../src/wordpress/importer.js'
import { WxrError } from '../../src/wordpress/wxr-reader.js'
import { makeApp } from '../helpers.js'
import { skipOnPostgresUntilPorted } from '../e2e/pending.js'

// on PostgreSQL, each test waits (skips with the reason) until the port it needs is merged
skipOnPostgresUntilPorted()

const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/wordpress/themeunittestdata.wordpress.xml', import.meta.url))
const NOW = Date.parse('2026-11-24T12:00:00.000Z')

// Counted from the raw file with regular expressions, independently of the importer.
const raw = readFileSync(FIXTURE, 'utf8')
const field = (item: string, name: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([^<\\]]*)`).exec(item)?.[1] ?? ''
const fixturePosts = raw.split('<item>').slice(1).filter((item) => field(item, 'wp:post_type') === 'post')
const publishedOpen = fixturePosts.filter((item) => field(item, 'wp:status') === 'publish' && !field(item, 'wp:post_password'))
const declaredCategories = (raw.match(/<wp:category>/g) ?? []).length

async function importFixture (store: Store) {
  return importWordpress(store, FIXTURE, { now: () => NOW })
}

// The imported tables as plain rows (camelCase; JSON columns as JSON text on both engines), read
// with the neutral SQL runner so the assertions run on SQLite and PostgreSQL alike.
type Row = Record<string, any>
const TABLES = {
  sections: 'select * from sections order by id',
  tags: 'select * from tags order by id',
  authors: 'select * from authors order by id',
  articles: 'select * from articles order by id',
  articleTags: 'select * from article_tags order by article_id, position',
  articleAuthors: 'select * from article_authors order by article_id, position',
} as const
const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())
async function tables (store: Store): Promise<Record<keyof typeof TABLES, Row[]>> {
  const out = {} as Record<keyof typeof TABLES, Row[]>
  for (const [name, text] of Object.entries(TABLES) as Array<[keyof typeof TABLES, string]>) {
    out[name] = (await store.repos.sql.all<Row>(text)).map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) =>
      [camel(key), value !== null && typeof value === 'object' ? JSON.stringify(value) : value])))
  }
  return out
}
const byText = (key: string) => (a: Row, b: Row) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0)

async function rowCounts (store: Store) {
  return Object.fromEntries(Object.entries(await tables(store)).map(([name, rows]) => [name, rows.length]))
}

describe('WordPress import of the theme unit test data', () => {
  it('imports every published post as a live article, with its section, tags and author', async () => {
    const { store } = await makeApp()
    const summary = await importFixture(store)
    expect(publishedOpen.length).toBe(55)
    const db = await tables(store)
    const live = db.articles.filter((a) => a.status === 'published' && a.publishedAt !== null && a.publishedAt <= NOW)
    const expectedIds = publishedOpen.map((item) => `wp:${field(item, 'wp:post_id')}`).sort()
    expect(live.map((a) => a.externalId).sort()).toEqual(expectedIds)
    expect(summary.articleStatuses).toEqual({ published: 55, scheduled: 1, draft: 2 })
    expect(summary.articles).toEqual({ created: 58, updated: 0, skipped: 0 })

    const caption = db.articles.find((a) => a.externalId === 'wp:1163')!
    expect(caption.publishedAt).toBe(Date.parse('2010-08-07T13:00:19Z'))
    expect(JSON.parse(caption.body)[0]).toMatchObject({ type: 'image', caption: expect.stringContaining('wharf') })
    expect(HeroImage.parse(JSON.parse(caption.heroImage!)).src).toMatch(/^https:\/\//)
    expect(db.articleAuthors.filter((r) => r.articleId === caption.id)).toHaveLength(1)
    expect(db.articleTags.filter((r) => r.articleId === caption.id)).toHaveLength(3)
    for (const article of db.articles) {
      expect(Body.safeParse(JSON.parse(article.body)).success).toBe(true)
    }
  })

  it('keeps the category tree: nested sections with their parents and paths', async () => {
    const { store } = await makeApp()
    const summary = await importFixture(store)
    expect(summary.sections.created).toBe(declaredCategories)
    const db = await tables(store)
    const section = (where: (s: Row) => boolean) => db.sections.find(where)!
    const grandchild = section((s) => s.path === 'parent-category/child-category-03/grandchild-category')
    const child = section((s) => s.id === grandchild.parentId)
    const top = section((s) => s.id === child.parentId)
    expect([top.name, child.name, grandchild.name]).toEqual(['Parent Category', 'Child Category 03', 'Grandchild Category'])
    expect(top.parentId).toBeNull()
    expect(db.sections.find((s) => s.path === 'uncategorized')).toBeDefined()
  })

  it('imports tags as topics, authors as staff, and counts captions and embeds', async () => {
    const { store } = await makeApp()
    const summary = await importFixture(store)
    const db = await tables(store)
    expect(db.tags.filter((t) => t.type === 'topic').length).toBe(summary.tags.created)
    expect(summary.tags.created).toBeGreaterThanOrEqual((raw.match(/<wp:tag>/g) ?? []).length)
    expect(db.tags.find((t) => t.slug === 'content-2')!.name).toBe('content περιεχόμενο')
    expect(db.authors.sort(byText('slug')).map(({ slug, name, kind }) => ({ slug, name, kind }))).toEqual([
      { slug: 'themedemos', name: 'Theme Buster', kind: 'staff' },
      { slug: 'themereviewteam', name: 'Theme Reviewer', kind: 'staff' },
    ])
    expect(summary.blocks.captions).toBeGreaterThanOrEqual(7)
    expect(summary.blocks.embeds).toBeGreaterThanOrEqual(6)
    expect(summary.droppedShortcodes).toEqual({ audio: 1 })
  })

  it('imports the tricky posts without error: no title, long title, markup in title, scheduled, draft, password', async () => {
    const { store } = await makeApp()
    await importFixture(store)
    const db = await tables(store)
    const get = (id: number) => db.articles.find((a) => a.externalId === `wp:${id}`)!
    expect(get(1169)).toMatchObject({ slug: 'edge-case-no-title', status: 'published' })
    expect(get(1169).headline.length).toBeGreaterThan(0)
    expect(get(1175).headline).toMatch(/^Taumatawhakatangihanga/)
    expect(get(1173).headline).toBe('Markup: Title With Markup')
    expect(get(1170)).toMatchObject({ body: '[]', status: 'published' })
    expect(get(1153)).toMatchObject({ status: 'published', publishedAt: Date.parse('2030-01-01T19:00:18Z') })
    expect(get(1164)).toMatchObject({ status: 'draft', publishedAt: null, slug: 'draft' })
    expect(get(1168)).toMatchObject({ status: 'draft' })
  })

  it('updates instead of duplicating when the same export is imported again', async () => {
    const { store } = await makeApp()
    const first = await importFixture(store)
    const before = await rowCounts(store)
    const revisions = (await tables(store)).articles.map(({ id, revision, slug }) => ({ id, revision, slug }))
    const second = await importFixture(store)
    expect(await rowCounts(store)).toEqual(before)
    for (const kind of ['sections', 'tags', 'authors', 'articles'] as const) {
      expect(second[kind]).toEqual({ created: 0, updated: first[kind].created, skipped: 0 })
    }
    expect((await tables(store)).articles.map(({ id, revision, slug }) => ({ id, revision, slug }))).toEqual(revisions)
  })
})

function wxr (channel: string, items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test</title><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example.com/</wp:base_site_url>
<wp:author><wp:author_login>jane</wp:author_login><wp:author_display_name><![CDATA[Jane Doe]]></wp:author_display_name></wp:author>
${channel}
${items.join('\n')}
</channel></rss>`
}

function post (id: number, status: string, title: string, content = '<p>Text.</p>', extra = ''): string {
  return `<item><title><![CDATA[${title}]]></title><dc:creator><![CDATA[jane]]></dc:creator>
<content:encoded><![CDATA[${content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date>2024-05-01 10:00:00</wp:post_date><wp:post_date_gmt>2024-05-01 08:00:00</wp:post_date_gmt>
<wp:post_name><![CDATA[]]></wp:post_name><wp:status><![CDATA[${status}]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>${extra}</item>`
}

describe('WordPress import of edge cases', () => {
  async function run (xml: string) {
    const { store, dir } = await makeApp()
    const path = join(dir, 'export.xml')
    writeFileSync(path, xml)
    const summary = await importWordpress(store, path, { now: () => NOW })
    return { db: await tables(store), summary, path }
  }

  it('skips private and trashed posts and reports why; pending becomes a draft', async () => {
    const { db, summary } = await run(wxr('', [post(1, 'private', 'Secret'), post(2, 'trash', 'Gone'), post(3, 'pending', 'Waiting'), post(4, 'publish', 'Live')]))
    expect(summary.skipped).toEqual({ private: 1, trash: 1 })
    expect(summary.articles).toEqual({ created: 2, updated: 0, skipped: 2 })
    expect(db.articles.sort(byText('externalId')).map((a) => ({ e: a.externalId, s: a.status })))
      .toEqual([{ e: 'wp:3', s: 'draft' }, { e: 'wp:4', s: 'published' }])
  })

  it('attaches categories with a missing parent at the top level, resolving parents declared later', async () => {
    const channel = [
      '<wp:category><wp:category_nicename>child</wp:category_nicename><wp:category_parent>parent</wp:category_parent><wp:cat_name>Child</wp:cat_name></wp:category>',
      '<wp:category><wp:category_nicename>parent</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Parent</wp:cat_name></wp:category>',
      '<wp:category><wp:category_nicename>orphan</wp:category_nicename><wp:category_parent>ghost</wp:category_parent><wp:cat_name>Orphan</wp:cat_name></wp:category>',
    ].join('\n')
    const { db, summary } = await run(wxr(channel, [post(1, 'publish', 'In child', '<p>x</p>', '<category domain="category" nicename="child"><![CDATA[Child]]></category>')]))
    expect(db.sections.sort(byText('path')).map((s) => s.path))
      .toEqual(['orphan', 'parent', 'parent/child', 'uncategorized'])
    expect(summary.warnings.join('\n')).toMatch(/"orphan": parent "ghost" not in the export/)
    const article = db.articles[0]!
    expect(db.sections.find((s) => s.id === article.sectionId)!.path).toBe('parent/child')
  })

  it('gives non-Latin, very long and duplicate titles valid unique slugs and headlines of at most 300 characters', async () => {
    const long = 'Very long title '.repeat(40)
    const { db, summary } = await run(wxr('', [
      post(1, 'publish', 'Привет, мир'), post(2, 'publish', '北京新闻'), post(3, 'publish', long),
      post(4, 'publish', 'Same'), post(5, 'publish', 'Same'), post(6, 'publish', ''),
      post(7, 'publish', 'Broken <b>markup', '<p>Unclosed <b>bold <div><p>para</span></i>'),
    ]))
    const rows = db.articles
    expect(rows.map((r) => r.slug)).toEqual(['privet-mir', 'post-2', expect.stringMatching(/^very-long-title/), 'same', 'same-2', 'text', 'broken-markup'])
    expect(rows[1]!.headline).toBe('北京新闻')
    expect(rows[2]!.headline.length).toBeLessThanOrEqual(300)
    expect(rows[2]!.headline.endsWith('…')).toBe(true)
    expect(rows[5]!.headline).toBe('Text.')
    expect(summary.warnings.join('\n')).toMatch(/post 3: headline cut to 300/)
  })

  it('refuses a missing file and a file that is not a WordPress export with a clear error', async () => {
    const { dir } = await makeApp()
    const { store } = await makeApp()
    await expect(importWordpress(store, join(dir, 'missing.xml'), { now: () => NOW })).rejects.toThrow(/no such file/)
    const notWxr = join(dir, 'feed.xml')
    writeFileSync(notWxr, '<rss><channel><item><title>x</title></item></channel></rss>')
    await expect(importWordpress(store, notWxr, { now: () => NOW })).rejects.toThrow(WxrError)
    const broken = join(dir, 'broken.xml')
    writeFileSync(broken, '<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item></channel>')
    await expect(importWordpress(store, broken, { now: () => NOW })).rejects.toThrow(/invalid XML/)
    expect((await tables(store)).articles).toHaveLength(0)
  })
})
