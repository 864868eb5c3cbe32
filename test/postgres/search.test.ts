// PostgreSQL full-text search (migrations/postgres/0001_search.sql) on a real server: the `dateline`
// text search configuration, the articles_search triggers, and the same indexed text as SQLite's
// articles_fts.
import { eq, sql } from 'drizzle-orm'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeDb, openDb } from '../../src/db/connection.js'
import { runMigrations } from '../../src/db/migrate.js'
import { closePg, openPg, type PgDb } from '../../src/db/postgres/connection.js'
import { postgresMigrationsFolder, runPostgresMigrations } from '../../src/db/postgres/migrate.js'
import { articles, articlesSearch, sections } from '../../src/db/postgres/schema.js'
import { PostgresStore } from '../../src/db/postgres/store.js'
import { toPositional } from '../../src/db/sql-runner.js'
import { parseSearchQuery } from '../../src/search/query.js'
import { indexedBodyText } from '../../src/search/body-text.js'
import { rankingStatements, walkingStatements } from '../../src/search/repository.postgres.js'
import * as sqliteSchema from '../../src/db/schema.js'
import { createTestDatabase, testPostgresUrl } from '../postgres.js'

const serverUrl = await testPostgresUrl()

describe.skipIf(!serverUrl)('PostgreSQL search', () => {
  let db: PgDb
  let dbUrl: string
  let sectionId: number

  beforeAll(async () => {
    const url = dbUrl = await createTestDatabase(serverUrl!)
    db = openPg({ url, max: 2 })
    await runPostgresMigrations(db, url)
    const [section] = await db.insert(sections).values({ slug: 'news', name: 'News', path: 'news', createdAt: 0, updatedAt: 0 }).returning()
    sectionId = section!.id
  })
  afterAll(async () => {
    if (db) await closePg(db)
  })

  let n = 0
  async function insertArticle (fields: { headline: string, standfirst?: string | null, body?: unknown[] }) {
    const [row] = await db.insert(articles).values({
      slug: `story-${++n}`, headline: fields.headline, standfirst: fields.standfirst ?? null, body: fields.body ?? [], sectionId, createdAt: 0, updatedAt: 0,
    }).returning({ id: articles.id })
    return row!.id
  }

  // ids of the articles whose document matches the search box text (websearch syntax)
  async function search (q: string): Promise<number[]> {
    const rows = await db.select({ id: articlesSearch.articleId }).from(articlesSearch)
      .where(sql`${articlesSearch.document} @@ websearch_to_tsquery('dateline', ${q})`).orderBy(articlesSearch.articleId)
    return rows.map((r) => r.id)
  }

  async function documentOf (id: number): Promise<string | undefined> {
    const [row] = await db.select({ document: articlesSearch.document }).from(articlesSearch).where(eq(articlesSearch.articleId, id))
    return row?.document
  }

  it('the dateline configuration ignores accents both ways and stems English words', async () => {
    const accented = await insertArticle({ headline: 'A new café opens in Raqqā' })
    const plain = await insertArticle({ headline: 'Cafe owners meet' })
    const running = await insertArticle({ headline: 'Running for office' })
    expect(await search('cafe')).toEqual([accented, plain])
    expect(await search('café')).toEqual([accented, plain])
    expect(await search('CAFÉS')).toEqual([accented, plain])
    expect(await search('raqqa')).toEqual([accented])
    expect(await search('run')).toEqual([running])
    expect(await search('runs')).toEqual([running])
    const [row] = await db.execute<{ lexemes: string }>(sql`select to_tsvector('dateline', 'Naïve résumés running') :: text as lexemes`)
    expect(row!.lexemes).toBe('\'naiv\':1 \'resum\':2 \'run\':3')
  })

  it('the trigger indexes an article on insert and keeps it current on every update, in the same transaction', async () => {
    const id = await insertArticle({ headline: 'Harbour strike', standfirst: 'Dockers walk out', body: [{ type: 'paragraph', text: 'Cranes stood idle.' }] })
    // headline weight A, standfirst B, body C
    expect(await documentOf(id)).toBe('\'crane\':5C \'docker\':3B \'harbour\':1A \'idl\':7C \'stood\':6C \'strike\':2A \'walk\':4B')

    await db.update(articles).set({ headline: 'Airport strike' }).where(eq(articles.id, id))
    expect(await search('harbour')).toEqual([])
    expect(await search('airport')).toEqual([id])

    await db.update(articles).set({ standfirst: null, body: [{ type: 'heading', level: 2, text: 'Runways closed' }] }).where(eq(articles.id, id))
    expect(await search('dockers')).toEqual([])
    expect(await search('cranes')).toEqual([])
    expect(await search('runway')).toEqual([id])

    // a write that rolls back leaves the document as it was
    await expect(db.transaction(async (tx) => {
      await tx.update(articles).set({ headline: 'Seaport strike' }).where(eq(articles.id, id))
      expect(await tx.select({ id: articlesSearch.articleId }).from(articlesSearch).where(sql`${articlesSearch.document} @@ to_tsquery('dateline', 'seaport')`)).toEqual([{ id }])
      throw new Error('roll back')
    })).rejects.toThrow('roll back')
    expect(await search('seaport')).toEqual([])

    // columns outside the document and live_at do not rewrite the row (the triggers' WHEN)
    const version = async () => (await db.execute<{ xmin: string }>(sql`select xmin::text from articles_search where article_id = ${id}`))[0]?.xmin
    const before = await version()
    expect(before).toBeDefined()
    await db.update(articles).set({ wordCount: 3 }).where(eq(articles.id, id))
    await db.update(articles).set({ headline: 'Airport strike' }).where(eq(articles.id, id))
    expect(await version()).toBe(before)

    // live_at: published_at while published (migration 0008), through publish, reschedule, content
    // edits, a rolled-back unpublish and an unpublish; the document is not rebuilt for it
    const liveAt = async () => (await db.select({ liveAt: articlesSearch.liveAt }).from(articlesSearch).where(eq(articlesSearch.articleId, id)))[0]?.liveAt
    const document = await documentOf(id)
    expect(await liveAt()).toBeNull()
    await db.update(articles).set({ status: 'published', publishedAt: 1_000 }).where(eq(articles.id, id))
    expect(await liveAt()).toBe(1_000)
    await db.update(articles).set({ publishedAt: 2_000 }).where(eq(articles.id, id))
    expect(await liveAt()).toBe(2_000)
    expect(await documentOf(id)).toBe(document)
    await db.update(articles).set({ headline: 'Seaport strike' }).where(eq(articles.id, id))
    expect(await liveAt()).toBe(2_000)
    await expect(db.transaction(async (tx) => {
      await tx.update(articles).set({ status: 'draft' }).where(eq(articles.id, id))
      throw new Error('roll back')
    })).rejects.toThrow('roll back')
    expect(await liveAt()).toBe(2_000)
    await db.update(articles).set({ status: 'draft' }).where(eq(articles.id, id))
    expect(await liveAt()).toBeNull()
    await db.update(articles).set({ status: 'published', headline: 'Airport strike' }).where(eq(articles.id, id))
    expect(await liveAt()).toBe(2_000)

    await db.delete(articles).where(eq(articles.id, id))
    expect(await documentOf(id)).toBeUndefined()
  })

  it('migration 0008 gives the search rows of existing articles their live_at: published ones their time, others null', async () => {
    // a database migrated up to 0007, with articles, then migrated to the end
    const url = await createTestDatabase(serverUrl!)
    const folder = mkdtempSync(join(tmpdir(), 'dateline-migrations-'))
    cpSync(postgresMigrationsFolder, folder, { recursive: true })
    const journalPath = join(folder, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> }
    const upTo = journal.entries.findIndex((e) => e.tag === '0008_search_live_at')
    expect(upTo).toBeGreaterThan(0)
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }))
    const old = openPg({ url, max: 1 })
    try {
      await runPostgresMigrations(old, url, folder)
      const [section] = await old.insert(sections).values({ slug: 'news', name: 'News', path: 'news', createdAt: 0, updatedAt: 0 }).returning()
      const ids = await old.insert(articles).values([
        { status: 'published' as const, publishedAt: 5_000 },
        { status: 'published' as const, publishedAt: 9_000_000_000_000 },
        { status: 'draft' as const, publishedAt: null },
        { status: 'draft' as const, publishedAt: 7_000 },
      ].map((fields, i) => ({ slug: `old-${i}`, headline: 'Harbour strike', body: [], sectionId: section!.id, createdAt: 0, updatedAt: 0, ...fields })))
        .returning({ id: articles.id })
      await runPostgresMigrations(old, url)
      const rows = await old.select({ id: articlesSearch.articleId, liveAt: articlesSearch.liveAt }).from(articlesSearch).orderBy(articlesSearch.articleId)
      expect(rows).toEqual([
        { id: ids[0]!.id, liveAt: 5_000 },
        { id: ids[1]!.id, liveAt: 9_000_000_000_000 },
        { id: ids[2]!.id, liveAt: null },
        { id: ids[3]!.id, liveAt: null },
      ])
    } finally {
      await closePg(old)
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('indexes the same body text as SQLite\'s articles_fts (text, captions, alt, titles, attributions, list items)', async () => {
    const bodies: unknown[][] = [
      [
        { type: 'paragraph', text: 'First paragraph.' },
        { type: 'heading', level: 2, text: 'A heading' },
        { type: 'image', src: 'https://media.example.com/a.jpg', alt: 'Alt text', caption: 'A caption', credit: 'AFP' },
        { type: 'quote', text: 'Words spoken', attribution: 'A speaker' },
        { type: 'list', ordered: false, items: ['one', 'two', 'three'] },
        { type: 'embed', provider: 'youtube', url: 'https://www.youtube.com/watch?v=x', title: 'Video title' },
      ],
      [],
      [{ type: 'paragraph', text: 'Only one' }],
      [{ type: 'image', src: 'https://media.example.com/b.jpg' }, { type: 'paragraph', text: 'After an image without text' }],
      // outside the schema: empty and null fields, no items, null items, a number, a block with none of the fields
      [{ type: 'paragraph', text: '' }, { type: 'quote', text: 'Said', attribution: null }, { type: 'list', items: [] },
        { type: 'list', items: ['a', null, 'b'] }, { type: 'paragraph', text: 42 }, { type: 'embed' }],
    ]
    const sqlite = openDb({ path: ':memory:' })
    try {
      runMigrations(sqlite)
      const section = sqlite.insert(sqliteSchema.sections).values({ slug: 'news', name: 'News', path: 'news', createdAt: 0, updatedAt: 0 }).returning().get()
      for (const [i, body] of bodies.entries()) {
        const row = sqlite.insert(sqliteSchema.articles).values({ slug: `s${i}`, headline: 'H', body: JSON.stringify(body), sectionId: section.id, createdAt: 0, updatedAt: 0 }).returning().get()
        const expected = sqlite.$client.prepare('select body_text from articles_fts where rowid = ?').pluck().get(row.id)
        const [actual] = await db.execute<{ text: string }>(sql`select articles_body_text(${JSON.stringify(body)}::jsonb) as text`)
        expect(actual!.text, JSON.stringify(body)).toBe(expected)
        // and the JS version PostgreSQL's search uses for snippets
        expect(indexedBodyText(body), JSON.stringify(body)).toBe(expected)
      }
    } finally {
      closeDb(sqlite)
    }
  })

  it('the search repository sends reader text only as quoted terms: operators are words, stop words match nothing', async () => {
    const search = new PostgresStore(db).repos.search
    const ids = async (q: string) => (await search.rank(parseSearchQuery(q), {}, { limit: 10 }, { now: 0, preview: true })).map((r) => r.id).sort((a, b) => a - b)
    const near = await insertArticle({ headline: 'Or else: not near the border' })
    const far = await insertArticle({ headline: 'Far from the border' })
    // websearch_to_tsquery would read `or` and `-` as operators; quoted they are plain text
    expect(await ids('border or far')).toEqual([far])
    expect(await ids('border -near')).toEqual([near])
    expect(await ids('"not near" border')).toEqual([near])
    expect(await ids('border & !far | near:* <-> (x)')).toEqual([])
    // English stop words are not indexed (FTS5 keeps them): a query of stop words only finds nothing
    expect(await ids('the')).toEqual([])
    expect(await ids('the border')).toEqual([near, far])
  })
  it('gives the same answers from generic plans, and their plans walk the newest articles rather than read every match', async () => {
    // one pooled connection each, so that the session settings hold for every statement
    const generic = openPg({ url: dbUrl, max: 1 })
    const custom = openPg({ url: dbUrl, max: 1 })
    try {
      await generic.$client`set plan_cache_mode = force_generic_plan`
      await custom.$client`set plan_cache_mode = force_custom_plan`
      const now = Date.now()
      const published = (headline: string, standfirst: string | null, i: number) => db.insert(articles).values({
        slug: `generic-${i}`, headline, standfirst, body: [], sectionId, status: 'published', publishedAt: now - i * 60_000, createdAt: 0, updatedAt: 0,
      })
      await published('Lighthouse keeper retires', null, 30)
      for (let i = 0; i < 8; i++) await published(i % 2 === 0 ? 'Harbour news' : 'Town news', i % 3 === 0 ? 'From the harbour' : null, i)
      const searches = async (store: PostgresStore) => {
        const { search } = store.repos
        const answers = []
        // each more than the five runs after which PostgreSQL may choose a generic plan by itself
        for (let run = 0; run < 6; run++) {
          // the newest three of many matches (the first probe fills), then the second page
          const first = await search.rank(parseSearchQuery('harbour news'), {}, { limit: 2 }, { now }, 3)
          const last = first.at(-1)!
          answers.push(first, await search.rank(parseSearchQuery('harbour news'), {}, { limit: 2, after: { s: last.score, i: last.id, t: now } }, { now }, 3))
          // one old match: probes that come up short, then every match through the index
          answers.push(await search.rank(parseSearchQuery('lighthouse'), {}, { limit: 10 }, { now }, 3))
          answers.push(await search.rank(parseSearchQuery('harbour'), {}, { limit: 10 }, { now, preview: true }))
        }
        return answers
      }
      const fromGeneric = await searches(new PostgresStore(generic))
      expect(fromGeneric).toEqual(await searches(new PostgresStore(custom)))
      expect(fromGeneric[0]).toHaveLength(3)
      expect(fromGeneric[2]).toHaveLength(1)
      const used = await generic.$client<Array<{ generic: number }>>`select generic_plans as generic from pg_prepared_statements where statement like '%articles_search%'`
      expect(used.length).toBeGreaterThan(3)
      expect(used.every((s) => s.generic > 0)).toBe(true)
      // a generic plan reading the GIN index reads every match of a term found in most articles
      await generic.$client`set enable_seqscan = off`
      for (const [i, statement] of walkingStatements().entries()) {
        const { text, names } = toPositional(statement)
        await generic.$client.unsafe(`prepare walking${i} as ${text}`)
        const plan = await generic.$client.unsafe<Array<{ 'QUERY PLAN': string }>>(`explain execute walking${i}(${names.map(() => 'null').join(', ')})`)
        const lines = plan.map((row) => row['QUERY PLAN']).join('\n')
        expect(lines).toContain('articles_search_pkey')
        expect(lines).not.toContain('articles_search_document_idx')
        // and the ranking reads no article: liveness and age are the search row's live_at
        if (statement.includes('from newest ')) expect(lines).not.toMatch(/articles_pkey|on articles /)
      }
      // The ranked matches are held with their relevance, never their documents: 1,000 documents
      // (2 KB each) outgrew the default work_mem and went through a temporary file (10 of 12 ms).
      for (const [i, statement] of rankingStatements().entries()) {
        const { text, names } = toPositional(statement)
        await generic.$client.unsafe(`prepare ranking${i} as ${text}`)
        const plan = await generic.$client.unsafe<Array<{ 'QUERY PLAN': string }>>(`explain (verbose) execute ranking${i}(${names.map(() => 'null').join(', ')})`)
        const outputs = plan.map((row) => row['QUERY PLAN']).filter((line) => line.trim().startsWith('Output:'))
        expect(outputs.length).toBeGreaterThan(3)
        expect(outputs.filter((line) => /\b(probe|newest|matches)(_\d+)?\.document\b/.test(line))).toEqual([])
      }
    } finally {
      await closePg(generic)
      await closePg(custom)
    }
  })
  it('keeps a search document in the table, not in TOAST, so that testing it costs no TOAST fetch', async () => {
    const words = Array.from({ length: 250 }, (_, i) => `word${i.toString(36)}x`).join(' ')
    const id = await insertArticle({ headline: 'A long read', body: [{ type: 'paragraph', text: words }] })
    const [row] = await db.execute<{ size: number }>(sql`select pg_column_size(document) as size from articles_search where article_id = ${id}`)
    // larger than TOAST's threshold (~2 KB), which would otherwise move it out of line
    expect(Number(row!.size)).toBeGreaterThan(2500)
    // nothing was ever written to the table's TOAST relation
    const [toast] = await db.execute<{ bytes: number }>(sql`select pg_relation_size(reltoastrelid) as bytes from pg_class where relname = 'articles_search'`)
    expect(Number(toast!.bytes)).toBe(0)
  })
})
