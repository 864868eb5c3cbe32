// Test data inserted straight into the database (no HTTP), for every feature's tests, on either
// engine: the one place that writes rows for tests, so a schema change touches only this file.
// Fixtures record engine-neutral SQL into a Seed and return the new row's id at once (ids are
// assigned here, in insertion order, as the database would), so a seed reads like synchronous code:
// - makeApp({ seed: (s) => { ... } }) runs the seed's statements in one transaction on the test's
//   store (SQLite or PostgreSQL) before the app starts;
// - `await seedStore(store, (s) => { ... })` does the same on a running test's store;
// - a SQLite `Db` passed instead of a Seed runs the statements at once (synchronously).
// insertArticle keeps article_listings in step, as every real write must. Pass what a test asserts
// on; the defaults only make a valid row.
import type { Db } from '../src/db/connection.js'
import { sqliteParams } from '../src/db/sqlite/store.js'
import { statement } from '../src/db/statements.js'
import type { SqlParams } from '../src/db/sql-runner.js'
import type { Store } from '../src/db/store.js'
import type { Block, HeroImage } from '../src/articles/schemas.js'
import { countWords } from '../src/articles/word-count.js'
import { SYNC_LISTING } from '../src/articles/listing.repository.js'

export const T0 = Date.parse('2026-11-01T00:00:00.000Z')
export const HOUR = 3_600_000
export const DAY = 24 * HOUR
const ms = (value: number | string) => typeof value === 'string' ? Date.parse(value) : value

type Statement = { text: string, params: SqlParams }
const ID_TABLES = ['sections', 'tags', 'authors', 'articles', 'collections'] as const
type IdTable = typeof ID_TABLES[number]

// What a seed has recorded and the ids it knows (rows that existed before it, and its own).
export class Seed {
  readonly statements: Statement[] = []
  readonly nextId: Record<IdTable, number>
  readonly sections: Map<string, number>
  readonly tags: Map<string, number>
  readonly authors: Map<string, number>

  constructor (known: { nextId: Record<IdTable, number>, sections: Map<string, number>, tags: Map<string, number>, authors: Map<string, number> }) {
    this.nextId = known.nextId
    this.sections = known.sections
    this.tags = known.tags
    this.authors = known.authors
  }

  add (text: string, params: SqlParams): void {
    this.statements.push({ text, params })
  }

  id (table: IdTable, given?: number): number {
    const id = given ?? this.nextId[table]
    this.nextId[table] = Math.max(this.nextId[table], id + 1)
    return id
  }
}

const KNOWN = {
  next: (table: IdTable) => `select coalesce(max(id), 0) + 1 as "next" from ${table}`,
  sections: 'select path as "key", id from sections',
  tags: 'select slug as "key", id from tags',
  authors: 'select slug as "key", id from authors',
}

function seedFrom (next: (table: IdTable) => number, rows: (text: string) => Array<{ key: string, id: number }>): Seed {
  const map = (text: string) => new Map(rows(text).map((r) => [r.key, r.id]))
  return new Seed({
    nextId: Object.fromEntries(ID_TABLES.map((t) => [t, next(t)])) as Record<IdTable, number>,
    sections: map(KNOWN.sections),
    tags: map(KNOWN.tags),
    authors: map(KNOWN.authors),
  })
}

type Target = Seed | Db

// Runs `record` on a Seed of `db` and its statements at once, in one transaction (SQLite only).
function onDb<T> (db: Db, record: (seed: Seed) => T): T {
  const seed = seedFrom(
    (table) => (statement(db, KNOWN.next(table)).get() as { next: number }).next,
    (text) => statement(db, text).all() as Array<{ key: string, id: number }>)
  const result = record(seed)
  db.$client.transaction(() => {
    for (const s of seed.statements) statement(db, s.text).run(...sqliteParams(s.params))
  })()
  return result
}

function record<T> (target: Target, fn: (seed: Seed) => T): T {
  return target instanceof Seed ? fn(target) : onDb(target, fn)
}

// A Seed of the store's current rows, for `record` to fill; its statements then run in one transaction.
export async function seedStore<T> (store: Store, fn: (seed: Seed) => T | Promise<T>): Promise<T> {
  const read = store.repos.sql
  const nextIds = await Promise.all(ID_TABLES.map(async (t) => (await read.get<{ next: number }>(KNOWN.next(t)))!.next))
  const rows = await Promise.all([KNOWN.sections, KNOWN.tags, KNOWN.authors].map((text) => read.all<{ key: string, id: number }>(text)))
  const seed = new Seed({
    nextId: Object.fromEntries(ID_TABLES.map((t, i) => [t, nextIds[i]])) as Record<IdTable, number>,
    sections: new Map(rows[0]!.map((r) => [r.key, r.id])),
    tags: new Map(rows[1]!.map((r) => [r.key, r.id])),
    authors: new Map(rows[2]!.map((r) => [r.key, r.id])),
  })
  const result = await fn(seed)
  if (seed.statements.length === 0) return result
  await store.tx(async ({ sql }) => {
    for (const s of seed.statements) await sql.run(s.text, s.params)
    // explicit ids leave PostgreSQL's identity sequences behind: move them past the largest id
    if (store.engine === 'postgres') {
      for (const table of ID_TABLES) {
        await sql.get(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`)
      }
    }
  })
  return result
}

export interface SectionInput {
  slug: string
  // path of the parent section
  parent?: string
  name?: string
  position?: number
  description?: string | null
  // front settings, e.g. { selectedCollection: 'news-picks' }
  settings?: Record<string, unknown>
}

export function insertSection (target: Target, input: SectionInput): number {
  return record(target, (seed) => {
    const parentId = input.parent === undefined ? null : seed.sections.get(input.parent)
    if (parentId === undefined) throw new Error(`fixture: no section ${input.parent}`)
    const path = input.parent === undefined ? input.slug : `${input.parent}/${input.slug}`
    const id = seed.id('sections')
    seed.add(`insert into sections (id, slug, name, path, parent_id, position, description, settings, created_at, updated_at)
      values (:id, :slug, :name, :path, :parentId, :position, :description, :settings, :t0, :t0)`, {
      id,
      slug: input.slug,
      name: input.name ?? titleCase(input.slug),
      path,
      parentId,
      position: input.position ?? 0,
      description: input.description ?? null,
      settings: input.settings ?? {},
      t0: T0,
    })
    seed.sections.set(path, id)
    return id
  })
}

export interface TagInput {
  slug: string
  name?: string
  type?: 'topic' | 'place' | 'person' | 'organisation'
  description?: string | null
}

export function insertTag (target: Target, input: TagInput): number {
  return record(target, (seed) => {
    const id = seed.id('tags')
    seed.add(`insert into tags (id, slug, name, type, description, created_at, updated_at)
      values (:id, :slug, :name, :type, :description, :t0, :t0)`, {
      id, slug: input.slug, name: input.name ?? titleCase(input.slug), type: input.type ?? 'topic', description: input.description ?? null, t0: T0,
    })
    seed.tags.set(input.slug, id)
    return id
  })
}

export function insertAuthor (target: Target, input: { slug: string, name?: string, kind?: 'staff' | 'contributor' | 'agency', bio?: string | null, avatarUrl?: string | null }): number {
  return record(target, (seed) => {
    const id = seed.id('authors')
    seed.add(`insert into authors (id, slug, name, kind, bio, avatar_url, created_at, updated_at)
      values (:id, :slug, :name, :kind, :bio, :avatarUrl, :t0, :t0)`, {
      id, slug: input.slug, name: input.name ?? titleCase(input.slug), kind: input.kind ?? 'staff', bio: input.bio ?? null, avatarUrl: input.avatarUrl ?? null, t0: T0,
    })
    seed.authors.set(input.slug, id)
    return id
  })
}

export interface ArticleInput {
  // default: the next id
  id?: number
  slug: string
  // path of the section
  section: string
  headline?: string
  standfirst?: string | null
  body?: Block[]
  byline?: string | null
  heroImage?: HeroImage | null
  status?: 'draft' | 'published'
  // RFC 3339 or ms; null for a draft that was never published. Defaults to T0.
  publishedAt?: number | string | null
  // default T0
  createdAt?: number | string
  // default publishedAt, else createdAt
  updatedAt?: number | string
  // tag slugs; a tag not inserted yet is made (a topic named after its slug)
  tags?: string[]
  // author slugs, which must exist
  authors?: string[]
  related?: number[]
  wordCount?: number
}

function recordArticle (seed: Seed, input: ArticleInput): number {
  const sectionId = seed.sections.get(input.section)
  if (sectionId === undefined) throw new Error(`fixture: no section ${input.section}`)
  const headline = input.headline ?? titleCase(input.slug)
  const body = input.body ?? [{ type: 'paragraph', text: `The story of ${input.slug}.` }]
  const status = input.status ?? 'published'
  const publishedAt = input.publishedAt === undefined ? (status === 'published' ? T0 : null) : input.publishedAt === null ? null : ms(input.publishedAt)
  const createdAt = input.createdAt === undefined ? T0 : ms(input.createdAt)
  const id = seed.id('articles', input.id)
  seed.add(`insert into articles (id, slug, headline, standfirst, body, byline, section_id, hero_image, status, published_at,
      first_published_at, word_count, revision, created_at, updated_at)
    values (:id, :slug, :headline, :standfirst, :body, :byline, :sectionId, :heroImage, :status, :publishedAt,
      :publishedAt, :wordCount, 1, :createdAt, :updatedAt)`, {
    id,
    slug: input.slug,
    headline,
    standfirst: input.standfirst ?? null,
    body,
    byline: input.byline ?? null,
    sectionId,
    heroImage: input.heroImage ?? null,
    status,
    publishedAt,
    wordCount: input.wordCount ?? countWords(headline, input.standfirst, body),
    createdAt,
    updatedAt: input.updatedAt === undefined ? (publishedAt ?? createdAt) : ms(input.updatedAt),
  })
  for (const [position, slug] of (input.tags ?? []).entries()) {
    const tagId = seed.tags.get(slug) ?? insertTag(seed, { slug, name: slug })
    seed.add('insert into article_tags (article_id, tag_id, position) values (:id, :tagId, :position)', { id, tagId, position })
  }
  for (const [position, slug] of (input.authors ?? []).entries()) {
    const authorId = seed.authors.get(slug)
    if (authorId === undefined) throw new Error(`fixture: no author ${slug}`)
    seed.add('insert into article_authors (article_id, author_id, position) values (:id, :authorId, :position)', { id, authorId, position })
  }
  for (const [position, relatedId] of (input.related ?? []).entries()) {
    seed.add('insert into article_related (article_id, related_id, position) values (:id, :relatedId, :position)', { id, relatedId, position })
  }
  for (const text of SYNC_LISTING) seed.add(text, { id })
  return id
}

export function insertArticle (target: Target, input: ArticleInput): number {
  return record(target, (seed) => recordArticle(seed, input))
}

// Many articles in one transaction (large seeds).
export function insertArticles (target: Target, inputs: ArticleInput[]): number[] {
  return record(target, (seed) => inputs.map((input) => recordArticle(seed, input)))
}

export function setStatus (target: Target, id: number, status: 'draft' | 'published'): void {
  record(target, (seed) => {
    seed.add('update articles set status = :status where id = :id', { id, status })
    for (const text of SYNC_LISTING) seed.add(text, { id })
  })
}

export function insertCollection (target: Target, slug: string, items: Array<{ articleId: number, expiresAt?: number | string }>): number {
  return record(target, (seed) => {
    const id = seed.id('collections')
    seed.add(`insert into collections (id, slug, name, description, created_at, updated_at)
      values (:id, :slug, :name, null, :t0, :t0)`, { id, slug, name: `The ${slug}`, t0: T0 })
    for (const [position, item] of items.entries()) {
      seed.add(`insert into collection_items (collection_id, position, article_id, expires_at)
        values (:id, :position, :articleId, :expiresAt)`, { id, position, articleId: item.articleId, expiresAt: item.expiresAt === undefined ? null : ms(item.expiresAt) })
    }
    return id
  })
}

// Sets the page views of an article in the clock hour that contains `at`.
export function insertViews (target: Target, articleId: number, at: number | string, views: number): void {
  record(target, (seed) => {
    seed.add(`insert into page_views (article_id, hour, views) values (:articleId, :hour, :views)
      on conflict (article_id, hour) do update set views = excluded.views`, { articleId, hour: Math.floor(ms(at) / HOUR), views })
  })
}

// The News > World News > Middle East branch plus Sport > Football: the tree most tests need.
export function insertSectionTree (target: Target): void {
  record(target, (seed) => {
    insertSection(seed, { slug: 'news', name: 'News', position: 0, description: 'The day\'s news.' })
    insertSection(seed, { slug: 'world-news', name: 'World News', parent: 'news', position: 1 })
    insertSection(seed, { slug: 'uk-news', name: 'UK News', parent: 'news', position: 0 })
    insertSection(seed, { slug: 'middle-east', name: 'Middle East', parent: 'news/world-news' })
    insertSection(seed, { slug: 'sport', name: 'Sport', position: 1 })
    insertSection(seed, { slug: 'football', name: 'Football', parent: 'sport' })
  })
}

function titleCase (slug: string): string {
  return slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')
}

const ARCHIVE_WORDS = ['harbour', 'strike', 'election', 'climate', 'market', 'storm', 'court', 'budget']

// PostgreSQL only: an archive of `articles` published stories a minute apart up to `newest`, written
// in bulk by the server (the row-by-row fixtures would take minutes), for tests that need the
// planner to see tables at scale. Story i is `story-i` in the i % 6-th section (insertSectionTree
// first), tagged with two of `tag-1` ... `tag-40`, by every author there is (insert one first),
// related to story i - 5; the newest 2,000 stories have page views over the last 48 hours; the
// sync log and the change feed hold 5,000 rows each.
export async function insertArchive (store: Store, { articles, newest }: { articles: number, newest: number }): Promise<void> {
  if (store.engine !== 'postgres') throw new Error('insertArchive: PostgreSQL only')
  const words = `array[${ARCHIVE_WORDS.map((w) => `'${w}'`).join(', ')}]`
  await store.tx(async ({ sql }) => {
    await sql.run(`insert into tags (id, slug, name, type, created_at, updated_at)
      select g, 'tag-' || g, 'Tag ' || g, 'topic', :t0, :t0 from generate_series(1, 40) g`, { t0: T0 })
    await sql.run(`insert into articles (id, slug, headline, body, section_id, status, published_at, first_published_at, word_count, created_at, updated_at)
      select i, 'story-' || i, (${words})[1 + i % 8] || ' ' || (${words})[1 + (i * 7) % 8] || ' report ' || i,
        jsonb_build_array(jsonb_build_object('type', 'paragraph', 'text', 'About the ' || (${words})[1 + (i * 3) % 8] || ' in town ' || i || '.')),
        (select id from sections order by id offset i % 6 limit 1), 'published', t, t, 10, t, t
      from generate_series(1, :n) i, lateral (select :newest::bigint - (:n::int - i)::bigint * 60000 as t) p`, { n: articles, newest })
    await sql.run(`insert into article_listings (section_id, article_id, published_at)
      select up.id, a.id, a.published_at from articles a join sections s on s.id = a.section_id
      join sections up on s.path = up.path or s.path like up.path || '/%'`)
    await sql.run(`insert into article_tags (article_id, tag_id, position)
      select id, 1 + id % 40, 0 from articles union all select id, 1 + (id / 3) % 40, 1 from articles where id % 40 <> (id / 3) % 40`)
    await sql.run('insert into article_authors (article_id, author_id, position) select a.id, au.id, 0 from articles a, authors au')
    await sql.run('insert into article_related (article_id, related_id, position) select id, id - 5, 0 from articles where id > 10')
    await sql.run(`insert into page_views (article_id, hour, views)
      select :n - g % 2000, :hour - g % 48, 1 + g % 50 from generate_series(1, 40000) g on conflict do nothing`, { n: articles, hour: Math.floor(newest / HOUR) })
    await sql.run(`insert into sync_log (seq, article_id, slug, at) select g, 1 + g % :n, 'story-' || (1 + g % :n), :newest::bigint - (5000 - g) * 1000
      from generate_series(1, 5000) g`, { n: articles, newest })
    await sql.run('insert into changes (seq, at, keys) select g, :newest::bigint - (5000 - g) * 1000, \'a\' || g from generate_series(1, 5000) g', { newest })
    for (const table of ['articles', 'tags']) await sql.get(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`)
  })
}
