import { and, count, eq, isNull, type SQL } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Body, HeroImage, type Block } from '../../src/articles/schemas.js'
import { liveArticle } from '../../src/articles/summaries.js'
import { countWords } from '../../src/articles/word-count.js'
import { closeDb, openDb, type Db } from '../../src/db/connection.js'
import { runMigrations } from '../../src/db/migrate.js'
import {
  articleAuthors, articleListings, articleRelated, articles, articleTags, authors, collectionItems,
  collections, pageViews, sections, tags,
} from '../../src/db/schema.js'
import { loadDemoContent, referenceStorySlug, seedDemoContentIfEmpty } from '../../src/demo/seed.js'

const NOW = Date.parse('2026-11-24T12:00:00.000Z')
const HOUR = 3_600_000
const open: Db[] = []

function seededDb (): Db {
  const db = openDb({ path: ':memory:' })
  open.push(db)
  runMigrations(db)
  expect(seedDemoContentIfEmpty(db, NOW)).toBe(true)
  return db
}

afterEach(() => {
  while (open.length > 0) closeDb(open.pop()!)
})

const countRows = (db: Db, table: SQLiteTable, where?: SQL) => db.select({ n: count() }).from(table).where(where).get()!.n
const bodyOf = (row: { body: string }) => Body.parse(JSON.parse(row.body))

describe('demo content', () => {
  it('loads at least 40 live published articles spread over the last 30 days', () => {
    const db = seededDb()
    const live = db.select().from(articles).where(liveArticle(NOW)).all()
    expect(live.length).toBeGreaterThanOrEqual(40)
    for (const article of live) {
      expect(article.publishedAt).toBeGreaterThan(NOW - 31 * 24 * HOUR)
      expect(article.updatedAt).toBeGreaterThanOrEqual(article.publishedAt!)
      expect(article.updatedAt).toBeLessThanOrEqual(NOW)
      expect(article.revision).toBe(1)
    }
    expect(live.some((a) => a.updatedAt > a.publishedAt!)).toBe(true)
    expect(new Set(live.map((a) => Math.floor((NOW - a.publishedAt!) / (24 * HOUR)))).size).toBeGreaterThan(15)
  })

  it('uses every block type and variant somewhere in the bodies', () => {
    const db = seededDb()
    const blocks: Block[] = db.select({ body: articles.body }).from(articles).all().flatMap(bodyOf)
    const kinds = new Set(blocks.map((b) => {
      switch (b.type) {
        case 'heading': return `heading-${b.level}`
        case 'list': return b.ordered ? 'list-ordered' : 'list-unordered'
        case 'embed': return `embed-${b.provider}`
        case 'image': return b.caption && b.credit ? 'image-captioned' : 'image'
        case 'quote': return b.attribution ? 'quote-attributed' : 'quote'
        default: return b.type
      }
    }))
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'embed-instagram', 'embed-other', 'embed-twitter', 'embed-youtube', 'heading-2', 'heading-3',
      'image-captioned', 'list-ordered', 'list-unordered', 'paragraph', 'quote-attributed',
    ]))
  })

  it('stores bodies and hero images that parse with the article schemas, and their word counts', () => {
    const db = seededDb()
    const rows = db.select().from(articles).all()
    for (const row of rows) {
      const body = bodyOf(row)
      expect(body.length).toBeGreaterThanOrEqual(4)
      expect(body.length).toBeLessThanOrEqual(12)
      if (row.heroImage) expect(HeroImage.parse(JSON.parse(row.heroImage)).src).toMatch(/^https:\/\/media\.dateline\.example\//)
      expect(row.wordCount).toBe(countWords(row.headline, row.standfirst, body))
    }
    expect(rows.filter((r) => r.heroImage).length).toBeGreaterThan(5)
    expect(rows.filter((r) => !r.heroImage).length).toBeGreaterThan(5)
  })

  it('builds a section tree three levels deep with ordered siblings and stories in every leaf', () => {
    const db = seededDb()
    const all = db.select().from(sections).all()
    const byId = new Map(all.map((s) => [s.id, s]))
    for (const section of all) {
      const parent = section.parentId === null ? undefined : byId.get(section.parentId)
      expect(section.path).toBe(parent ? `${parent.path}/${section.slug}` : section.slug)
      expect(section.description).toBeTruthy()
      expect(JSON.parse(section.settings)).toBeTypeOf('object')
    }
    expect(Math.max(...all.map((s) => s.path.split('/').length))).toBeGreaterThanOrEqual(3)
    expect(all.map((s) => s.path)).toEqual(expect.arrayContaining([
      'news/world-news/middle-east', 'news/world-news/europe', 'news/world-news/americas', 'news/uk',
      'sport/football', 'sport/tennis', 'business/markets', 'opinion', 'culture', 'science/climate',
    ]))
    const siblings = new Map<string, number[]>()
    for (const s of all) siblings.set(String(s.parentId), [...(siblings.get(String(s.parentId)) ?? []), s.position])
    for (const positions of siblings.values()) expect(new Set(positions).size).toBe(positions.length)
    expect(JSON.parse(all.find((s) => s.path === 'news')!.settings)).toEqual({ selectedCollection: 'selected' })

    const leaves = all.filter((s) => !all.some((c) => c.parentId === s.id))
    for (const leaf of leaves) {
      const count = countRows(db, articles, and(eq(articles.sectionId, leaf.id), liveArticle(NOW)))
      expect(count, leaf.path).toBeGreaterThan(0)
    }
  })

  it('has at least 15 tags of all four types, staff, contributors and two wire agencies', () => {
    const db = seededDb()
    const allTags = db.select().from(tags).all()
    expect(allTags.length).toBeGreaterThanOrEqual(15)
    expect(new Set(allTags.map((t) => t.type))).toEqual(new Set(['topic', 'place', 'person', 'organisation']))
    const all = db.select().from(authors).all()
    expect(all.filter((a) => a.kind === 'agency').map((a) => a.slug).sort()).toEqual(['afp', 'reuters'])
    const staff = all.filter((a) => a.kind === 'staff')
    expect(staff.length).toBeGreaterThanOrEqual(5)
    for (const author of staff) expect(author.bio).toBeTruthy()
    for (const author of all) if (author.avatarUrl) expect(author.avatarUrl).toMatch(/^https:\/\//)
    expect(all.filter((a) => a.kind === 'contributor').length).toBeGreaterThanOrEqual(1)
  })

  it('credits every article to 1-3 authors and 2-4 tags in position order', () => {
    const db = seededDb()
    const ids = db.select({ id: articles.id }).from(articles).all().map((r) => r.id)
    for (const id of ids) {
      const credits = db.select().from(articleAuthors).where(eq(articleAuthors.articleId, id)).all()
      const tagged = db.select().from(articleTags).where(eq(articleTags.articleId, id)).all()
      expect(credits.map((c) => c.position).sort()).toEqual([...credits.keys()])
      expect(tagged.map((t) => t.position).sort()).toEqual([...tagged.keys()])
      expect(credits.length).toBeGreaterThanOrEqual(1)
      expect(credits.length).toBeLessThanOrEqual(3)
      expect(tagged.length).toBeGreaterThanOrEqual(2)
      expect(tagged.length).toBeLessThanOrEqual(4)
    }
  })

  it('shapes the reference story like the reference page: AFP byline, map and photo captions, twitter embed', () => {
    const db = seededDb()
    const story = db.select().from(articles).where(eq(articles.slug, referenceStorySlug)).get()!
    const section = db.select().from(sections).where(eq(sections.id, story.sectionId)).get()!
    expect(section.path.startsWith('news/world-news')).toBe(true)
    expect(story.byline).toBe('AFP')
    const credited = db.select({ slug: authors.slug, kind: authors.kind }).from(articleAuthors)
      .innerJoin(authors, eq(authors.id, articleAuthors.authorId)).where(eq(articleAuthors.articleId, story.id)).all()
    expect(credited).toEqual([{ slug: 'afp', kind: 'agency' }])
    const body = bodyOf(story)
    expect(body.filter((b) => b.type === 'heading').length).toBeGreaterThanOrEqual(2)
    const images = body.filter((b) => b.type === 'image')
    expect(images.some((i) => i.src.includes('/maps/') && i.caption)).toBe(true)
    expect(images.some((i) => i.src.includes('/photos/') && i.caption)).toBe(true)
    expect(body.some((b) => b.type === 'embed' && b.provider === 'twitter')).toBe(true)
    expect(story.publishedAt).toBeLessThanOrEqual(NOW)
  })

  it('does not load twice: the second call returns false and duplicates nothing', () => {
    const db = seededDb()
    const before = [articles, sections, tags, authors, collectionItems, pageViews, articleListings].map((t) => countRows(db, t))
    expect(seedDemoContentIfEmpty(db, NOW + HOUR)).toBe(false)
    expect([articles, sections, tags, authors, collectionItems, pageViews, articleListings].map((t) => countRows(db, t))).toEqual(before)
  })

  it('keeps article_listings rows for each published article\'s section and every ancestor, none for drafts', () => {
    const db = seededDb()
    const byId = new Map(db.select().from(sections).all().map((s) => [s.id, s]))
    for (const article of db.select().from(articles).all()) {
      const rows = db.select().from(articleListings).where(eq(articleListings.articleId, article.id)).all()
      if (article.status === 'draft') {
        expect(rows).toEqual([])
        continue
      }
      const chain: number[] = []
      for (let s = byId.get(article.sectionId); s; s = s.parentId === null ? undefined : byId.get(s.parentId)) chain.push(s.id)
      expect(rows.map((r) => r.sectionId).sort()).toEqual(chain.sort())
      for (const row of rows) expect(row.publishedAt).toBe(article.publishedAt)
    }
  })

  it('has two drafts and one scheduled story that are present but not live', () => {
    const db = seededDb()
    const drafts = db.select().from(articles).where(eq(articles.status, 'draft')).all()
    expect(drafts).toHaveLength(2)
    for (const draft of drafts) expect(draft.publishedAt).toBeNull()
    expect(countRows(db, articles, and(eq(articles.status, 'draft'), isNull(articles.publishedAt)))).toBe(2)
    const published = db.select().from(articles).where(eq(articles.status, 'published')).all()
    const scheduled = published.filter((a) => a.publishedAt! > NOW)
    expect(scheduled).toHaveLength(1)
    expect(scheduled[0]!.publishedAt).toBeGreaterThan(NOW + 47 * HOUR)
    const liveIds = new Set(db.select({ id: articles.id }).from(articles).where(liveArticle(NOW)).all().map((r) => r.id))
    for (const hidden of [...drafts, ...scheduled]) expect(liveIds.has(hidden.id)).toBe(false)
  })

  it('curates selected and top-stories from live stories, with one already expired item', () => {
    const db = seededDb()
    const liveIds = new Set(db.select({ id: articles.id }).from(articles).where(liveArticle(NOW)).all().map((r) => r.id))
    const sizes: Record<string, number> = {}
    let expired = 0
    for (const collection of db.select().from(collections).all()) {
      const items = db.select().from(collectionItems).where(eq(collectionItems.collectionId, collection.id)).all()
      sizes[collection.slug] = items.length
      expect(items.map((i) => i.position).sort()).toEqual([...items.keys()])
      for (const item of items) expect(liveIds.has(item.articleId)).toBe(true)
      expired += items.filter((i) => i.expiresAt !== null && i.expiresAt < NOW).length
    }
    expect(sizes.selected).toBeGreaterThanOrEqual(5)
    expect(sizes.selected).toBeLessThanOrEqual(6)
    expect(sizes['top-stories']).toBeGreaterThanOrEqual(4)
    expect(sizes['top-stories']).toBeLessThanOrEqual(5)
    expect(expired).toBe(1)
  })

  it('links related stories to other demo stories in position order', () => {
    const db = seededDb()
    const links = db.select().from(articleRelated).all()
    expect(new Set(links.map((l) => l.articleId)).size).toBeGreaterThanOrEqual(3)
    for (const link of links) expect(link.relatedId).not.toBe(link.articleId)
  })

  it('simulates page views with a clear most-viewed order and traffic in the last hour', () => {
    const db = seededDb()
    const currentHour = Math.floor(NOW / HOUR)
    const rows = db.select().from(pageViews).all()
    expect(rows.every((r) => r.hour > currentHour - 7 * 24 && r.hour <= currentHour)).toBe(true)
    expect(rows.filter((r) => r.hour === currentHour).length).toBeGreaterThan(5)
    const totals = new Map<number, number>()
    for (const r of rows) totals.set(r.articleId, (totals.get(r.articleId) ?? 0) + r.views)
    const live = countRows(db, articles, liveArticle(NOW))
    expect(totals.size).toBeGreaterThan(live / 2)
    const top = [...totals.values()].sort((a, b) => b - a).slice(0, 5)
    for (let i = 1; i < top.length; i++) expect(top[i]).toBeLessThan(top[i - 1]!)
  })

  it('loads in well under a second', () => {
    loadDemoContent()
    const db = openDb({ path: ':memory:' })
    open.push(db)
    runMigrations(db)
    const started = performance.now()
    seedDemoContentIfEmpty(db, NOW)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
