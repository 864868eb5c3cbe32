// Live blog reads and writes on both engines: one factory over the neutral SQL runner (the SQL is
// the same text on SQLite and PostgreSQL but for row locks; bodies are put back in schema order,
// since jsonb reorders keys). Reached as `store.repos.liveblogs`; the workflow is in service.ts, the
// stream's fan-out in stream.ts.
import { bodyInOrder } from '../articles/repository.postgres.js'
import type { Block } from '../articles/schemas.js'
import { iso } from '../articles/summaries.js'
import type { Author } from '../authors/schemas.js'
import { fromJson, postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { Entry, EntryManagement, EntryRevision, LiveState } from './schemas.js'

export type EventKind = 'created' | 'changed' | 'deleted'

// A live blog as a write or a delivery read checks it: live is 1 (running) or 0 (ended)
export interface BlogRow { id: number, live: 0 | 1 | null }

export interface EntryRow {
  id: number
  articleId: number
  headline: string | null
  keyEvent: boolean
  pinned: boolean
  revision: number
}

export interface EntryValues {
  articleId: number
  headline: string | null
  body: Block[]
  keyEvent: boolean
  pinned: boolean
  at: number
}

export interface EntryChanges {
  headline?: string | null
  body?: Block[]
  keyEvent?: boolean
  pinned?: boolean
  revision: number
  updatedAt: number
}

// The keyset position of an entry in a page (createdAt, id)
export interface EntryPosition { c: number, i: number }

export interface EntryPageQuery {
  order: 'newest' | 'oldest'
  since?: number | undefined
  after?: EntryPosition | undefined
  limit: number
  // newest first without `since`: pinned entries are listed apart (first page) and left out here
  withoutPinned: boolean
}

export interface StoredEvent { id: number, entryId: number, kind: EventKind }

export interface LiveblogsRepository {
  // The article's live state; `lock` locks the article row until the transaction ends (an entry
  // write takes it first, so a blog's events are numbered in commit order)
  blog (articleId: number, lock?: boolean): Promise<BlogRow | undefined>
  // A published (and not future) live blog by slug
  publishedBlog (slug: string, now: number): Promise<BlogRow | undefined>
  entryRow (articleId: number, entryId: number, lock?: boolean): Promise<EntryRow | undefined>
  insertEntry (values: EntryValues): Promise<number>
  updateEntry (id: number, changes: EntryChanges): Promise<void>
  deleteEntry (id: number): Promise<void>
  setAuthors (entryId: number, authorIds: readonly number[]): Promise<void>
  authorId (slug: string): Promise<number | undefined>
  // The article's updated_at moves with each entry (its ETag and summaries change)
  touchArticle (articleId: number, at: number): Promise<void>
  recordEvent (articleId: number, entryId: number, kind: EventKind, at: number): Promise<number>
  // Entries as delivered, by id (missing ids left out), in the order given
  entriesByIds (ids: readonly number[]): Promise<Entry[]>
  management (entryId: number): Promise<EntryManagement | undefined>
  page (articleId: number, query: EntryPageQuery): Promise<{ data: Entry[], next: EntryPosition | null }>
  pinned (articleId: number): Promise<Entry[]>
  state (articleId: number, isLive: boolean): Promise<LiveState>
  eventsAfter (articleId: number, afterId: number, limit: number): Promise<StoredEvent[]>
  latestEventId (articleId: number): Promise<number>
  storeRevision (entry: EntryManagement, keyName: string | null, now: number): Promise<void>
  // newest first
  revisions (entryId: number): Promise<EntryRevision[]>
}

const ENTRY_COLUMNS = `e.id, e.article_id as "articleId", e.headline, e.body, e.key_event as "keyEvent", e.pinned,
  e.revision, e.created_at as "createdAt", e.updated_at as "updatedAt"`

interface EntrySelect {
  id: number
  articleId: number
  headline: string | null
  body: unknown
  keyEvent: number
  pinned: number
  revision: number
  createdAt: number
  updatedAt: number
}

const SQL = {
  blog: 'select id, live from articles where id = :id and live is not null',
  publishedBlog: `select id, live from articles where slug = :slug and live is not null
    and status = 'published' and published_at <= :now`,
  entryRow: `select id, article_id as "articleId", headline, key_event as "keyEvent", pinned, revision
    from live_entries where id = :id and article_id = :articleId`,
  insert: `insert into live_entries (article_id, headline, body, key_event, pinned, revision, created_at, updated_at)
    values (:articleId, :headline, :body, :keyEvent, :pinned, 1, :at, :at) returning id`,
  delete: 'delete from live_entries where id = :id',
  deleteAuthors: 'delete from live_entry_authors where entry_id = :entryId',
  insertAuthor: 'insert into live_entry_authors (entry_id, author_id, position) values (:entryId, :id, :position)',
  author: 'select id from authors where slug = :slug',
  touch: 'update articles set updated_at = :at where id = :id',
  event: 'insert into entry_events (article_id, entry_id, kind, at) values (:articleId, :entryId, :kind, :at) returning id',
  pinned: `select ${ENTRY_COLUMNS} from live_entries e where e.article_id = :articleId and e.pinned = 1
    order by e.created_at desc, e.id desc`,
  count: 'select count(*) as n, max(created_at) as last from live_entries where article_id = :articleId',
  keyEvents: `select id, headline, created_at as "createdAt" from live_entries
    where article_id = :articleId and key_event = 1 order by created_at desc, id desc`,
  eventsAfter: `select id, entry_id as "entryId", kind from entry_events
    where article_id = :articleId and id > :after order by id limit :limit`,
  latestEvent: 'select max(id) as id from entry_events where article_id = :articleId',
  storeRevision: `insert into live_entry_revisions (article_id, entry_id, revision, snapshot, key_name, created_at)
    values (:articleId, :entryId, :revision, :snapshot, :keyName, :createdAt)`,
  revisions: `select revision, key_name as "keyName", created_at as "createdAt", snapshot from live_entry_revisions
    where entry_id = :entryId order by revision desc`,
}

const COLUMNS: Record<keyof EntryChanges, string> = {
  headline: 'headline',
  body: 'body',
  keyEvent: 'key_event',
  pinned: 'pinned',
  revision: 'revision',
  updatedAt: 'updated_at',
}

const bit = (value: boolean | undefined) => value === undefined ? undefined : value ? 1 : 0

export function liveblogsRepository (sql: SqlRunner, dialect: Dialect): LiveblogsRepository {
  // authors of the given entries, in credit order
  async function authorsOf (ids: readonly number[]): Promise<Map<number, Author[]>> {
    const byEntry = new Map<number, Author[]>()
    if (ids.length === 0) return byEntry
    const params: Record<string, number> = {}
    ids.forEach((id, i) => { params[`e${i}`] = id })
    const rows = await sql.all<Author & { entryId: number }>(
      `select x.entry_id as "entryId", au.slug, au.name, au.kind, au.bio, au.avatar_url as "avatarUrl"
        from live_entry_authors x join authors au on au.id = x.author_id
        where x.entry_id in (${ids.map((_, i) => `:e${i}`).join(', ')}) order by x.entry_id, x.position, au.id`, params)
    for (const { entryId, ...author } of rows) {
      let list = byEntry.get(entryId)
      if (!list) byEntry.set(entryId, list = [])
      list.push(author)
    }
    return byEntry
  }

  // rows to entries, in schema order (the route serialises through zod, the stream with JSON.stringify)
  async function toEntries (rows: readonly EntrySelect[]): Promise<Entry[]> {
    const authors = await authorsOf(rows.map((row) => row.id))
    return rows.map((row) => ({
      id: row.id,
      createdAt: iso(row.createdAt),
      updatedAt: iso(row.updatedAt),
      headline: row.headline,
      body: bodyInOrder(fromJson<Array<Record<string, unknown>>>(row.body)),
      authors: authors.get(row.id) ?? [],
      keyEvent: row.keyEvent === 1,
      pinned: row.pinned === 1,
    }))
  }

  async function selectByIds (ids: readonly number[]): Promise<EntrySelect[]> {
    if (ids.length === 0) return []
    const params: Record<string, number> = {}
    ids.forEach((id, i) => { params[`e${i}`] = id })
    return sql.all<EntrySelect>(`select ${ENTRY_COLUMNS} from live_entries e where e.id in (${ids.map((_, i) => `:e${i}`).join(', ')})`, params)
  }

  return {
    blog: (id, lock = false) => sql.get<BlogRow>(lock ? SQL.blog + dialect.forUpdate : SQL.blog, { id }),
    publishedBlog: (slug, now) => sql.get<BlogRow>(SQL.publishedBlog, { slug, now }),

    async entryRow (articleId, id, lock = false) {
      const row = await sql.get<Omit<EntryRow, 'keyEvent' | 'pinned'> & { keyEvent: number, pinned: number }>(
        lock ? SQL.entryRow + dialect.forUpdate : SQL.entryRow, { id, articleId })
      return row && { ...row, keyEvent: row.keyEvent === 1, pinned: row.pinned === 1 }
    },

    insertEntry: async (values) => (await sql.get<{ id: number }>(SQL.insert, {
      ...values, keyEvent: bit(values.keyEvent), pinned: bit(values.pinned),
    }))!.id,

    async updateEntry (id, changes) {
      const values: Record<string, unknown> = { ...changes, keyEvent: bit(changes.keyEvent), pinned: bit(changes.pinned) }
      const names = (Object.keys(COLUMNS) as Array<keyof EntryChanges>).filter((name) => values[name] !== undefined)
      const params = Object.fromEntries(names.map((name) => [name, values[name]]))
      await sql.run(`update live_entries set ${names.map((name) => `${COLUMNS[name]} = :${name}`).join(', ')} where id = :id`, { ...params, id })
    },

    deleteEntry: async (id) => { await sql.run(SQL.delete, { id }) },

    async setAuthors (entryId, ids) {
      await sql.run(SQL.deleteAuthors, { entryId })
      for (const [position, id] of ids.entries()) await sql.run(SQL.insertAuthor, { entryId, id, position })
    },

    authorId: async (slug) => (await sql.get<{ id: number }>(SQL.author + dialect.forKeyShare, { slug }))?.id,
    touchArticle: async (id, at) => { await sql.run(SQL.touch, { id, at }) },
    recordEvent: async (articleId, entryId, kind, at) => Number((await sql.get<{ id: number }>(SQL.event, { articleId, entryId, kind, at }))!.id),

    async entriesByIds (ids) {
      const entries = await toEntries(await selectByIds(ids))
      const byId = new Map(entries.map((entry) => [entry.id, entry]))
      return ids.flatMap((id) => byId.get(id) ?? [])
    },

    async management (id) {
      const [row] = await selectByIds([id])
      if (!row) return undefined
      const [entry] = await toEntries([row])
      return { ...entry!, articleId: row.articleId, revision: row.revision }
    },

    async page (articleId, { order, since, after, limit, withoutPinned }) {
      const newest = order === 'newest'
      const conditions = ['e.article_id = :articleId']
      if (withoutPinned) conditions.push('e.pinned = 0')
      if (since !== undefined) conditions.push('e.updated_at > :since')
      // after (c, i) in the order: the bound on created_at alone is the index range (PostgreSQL
      // filtered every entry before the cursor otherwise: 2,000 rows for page 101)
      if (after) conditions.push(newest ? 'e.created_at <= :c and (e.created_at < :c or e.id < :i)' : 'e.created_at >= :c and (e.created_at > :c or e.id > :i)')
      const direction = newest ? 'desc' : 'asc'
      const rows = await sql.all<EntrySelect>(
        `select ${ENTRY_COLUMNS} from live_entries e where ${conditions.join(' and ')}
          order by e.created_at ${direction}, e.id ${direction} limit :limit`,
        { articleId, ...(since !== undefined ? { since } : {}), ...(after ? { c: after.c, i: after.i } : {}), limit: limit + 1 })
      const more = rows.length > limit
      const shown = more ? rows.slice(0, limit) : rows
      const last = shown[shown.length - 1]
      return { data: await toEntries(shown), next: more && last ? { c: last.createdAt, i: last.id } : null }
    },

    pinned: async (articleId) => toEntries(await sql.all<EntrySelect>(SQL.pinned, { articleId })),

    async state (articleId, isLive) {
      const count = await sql.get<{ n: number, last: number | null }>(SQL.count, { articleId })
      const keyEvents = await sql.all<{ id: number, headline: string, createdAt: number }>(SQL.keyEvents, { articleId })
      return {
        isLive,
        entryCount: Number(count?.n ?? 0),
        lastEntryAt: count?.last == null ? null : iso(Number(count.last)),
        keyEvents: keyEvents.map((k) => ({ id: k.id, headline: k.headline, createdAt: iso(k.createdAt) })),
      }
    },

    async eventsAfter (articleId, after, limit) {
      const rows = await sql.all<StoredEvent>(SQL.eventsAfter, { articleId, after, limit })
      return rows.map((row) => ({ id: Number(row.id), entryId: row.entryId, kind: row.kind }))
    },

    async storeRevision (entry, keyName, now) {
      // JSON text on both engines: the snapshot is the representation as it was answered
      await sql.run(SQL.storeRevision, { articleId: entry.articleId, entryId: entry.id, revision: entry.revision, snapshot: entry, keyName, createdAt: now })
    },

    async revisions (entryId) {
      const rows = await sql.all<{ revision: number, keyName: string | null, createdAt: number, snapshot: unknown }>(SQL.revisions, { entryId })
      return rows.map((row) => {
        const entry = fromJson<EntryManagement>(row.snapshot)
        return {
          revision: row.revision,
          keyName: row.keyName,
          savedAt: iso(row.createdAt),
          // jsonb reorders keys: the entry is put back in schema order
          entry: {
            id: entry.id,
            createdAt: entry.createdAt,
            updatedAt: entry.updatedAt,
            headline: entry.headline,
            body: bodyInOrder(entry.body as unknown as Array<Record<string, unknown>>),
            authors: entry.authors.map((a) => ({ slug: a.slug, name: a.name, kind: a.kind, bio: a.bio, avatarUrl: a.avatarUrl })),
            keyEvent: entry.keyEvent,
            pinned: entry.pinned,
            articleId: entry.articleId,
            revision: entry.revision,
          },
        }
      })
    },

    latestEventId: async (articleId) => Number((await sql.get<{ id: number | null }>(SQL.latestEvent, { articleId }))?.id ?? 0),
  }
}

export const sqliteLiveblogsRepository = ({ sql }: { sql: SqlRunner }) => liveblogsRepository(sql, sqliteDialect)
export const postgresLiveblogsRepository = ({ sql }: { sql: SqlRunner }) => liveblogsRepository(sql, postgresDialect)
