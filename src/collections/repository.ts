// Curated collections on both engines: delivery reads the items still showable at `now` (live
// article, not expired) in order; management replaces a collection in one transaction. The SQL is
// the same on SQLite and PostgreSQL except the row lock a replace takes on PostgreSQL (READ
// COMMITTED: the If-Match check and the write must see the same collection).
import type { SqlRunner } from '../db/sql-runner.js'

export interface CollectionRow {
  id: number
  slug: string
  name: string
  description: string | null
  createdAt: number
  updatedAt: number
}

export interface CollectionItemRow {
  collectionId: number
  position: number
  articleId: number
  expiresAt: number | null
}

export interface CollectionsRepository {
  // The collection and the ids of its showable articles in position order; undefined for an unknown
  // slug. Without preview only live articles; expired items are always left out.
  findShowable (slug: string, now: number, preview?: boolean): Promise<(CollectionRow & { articleIds: number[] }) | undefined>
  // For a replace, in its transaction: the collection, locked until the transaction ends on PostgreSQL.
  findForUpdate (slug: string): Promise<CollectionRow | undefined>
  items (collectionId: number): Promise<CollectionItemRow[]>
  // Which of the ids are articles (any status).
  existingArticleIds (ids: readonly number[]): Promise<Set<number>>
  create (input: { slug: string, name: string, description: string | null, now: number }): Promise<number>
  update (id: number, input: { name: string, description: string | null, now: number }): Promise<void>
  // Replaces every item of the collection.
  replaceItems (collectionId: number, items: ReadonlyArray<{ articleId: number, expiresAt: number | null }>): Promise<void>
}

const COLUMNS = 'id, slug, name, description, created_at as "createdAt", updated_at as "updatedAt"'
const BY_SLUG = `select ${COLUMNS} from collections where slug = :slug`
const SHOWABLE = `select ci.article_id as id from collection_items ci join articles a on a.id = ci.article_id
  where ci.collection_id = :id and (ci.expires_at is null or ci.expires_at > :now)`
const LIVE = " and a.status = 'published' and a.published_at <= :now"
const ITEMS = `select collection_id as "collectionId", position, article_id as "articleId", expires_at as "expiresAt"
  from collection_items where collection_id = :id order by position`
const CREATE = `insert into collections (slug, name, description, created_at, updated_at)
  values (:slug, :name, :description, :now, :now) returning id`
const UPDATE = 'update collections set name = :name, description = :description, updated_at = :now where id = :id'
const DELETE_ITEMS = 'delete from collection_items where collection_id = :id'
const INSERT_ITEMS = 'insert into collection_items (collection_id, position, article_id, expires_at) values'

function collectionsRepository (sql: SqlRunner, lock: string): CollectionsRepository {
  return {
    async findShowable (slug, now, preview = false) {
      const row = await sql.get<CollectionRow>(BY_SLUG, { slug })
      if (!row) return undefined
      const ids = await sql.all<{ id: number }>(`${SHOWABLE}${preview ? '' : LIVE} order by ci.position`, { id: row.id, now })
      return { ...row, articleIds: ids.map((r) => r.id) }
    },
    findForUpdate: (slug) => sql.get<CollectionRow>(`${BY_SLUG}${lock}`, { slug }),
    items: (id) => sql.all<CollectionItemRow>(ITEMS, { id }),
    async existingArticleIds (ids) {
      const unique = [...new Set(ids)]
      if (unique.length === 0) return new Set()
      // at most 200 ids, as parameters (the same SQL on both engines)
      const params = Object.fromEntries(unique.map((id, i) => [`id${i}`, id]))
      const rows = await sql.all<{ id: number }>(`select id from articles where id in (${unique.map((_, i) => `:id${i}`).join(', ')})`, params)
      return new Set(rows.map((r) => r.id))
    },
    async create ({ slug, name, description, now }) {
      return (await sql.get<{ id: number }>(CREATE, { slug, name, description, now }))!.id
    },
    async update (id, { name, description, now }) {
      await sql.run(UPDATE, { id, name, description, now })
    },
    async replaceItems (id, items) {
      await sql.run(DELETE_ITEMS, { id })
      if (items.length === 0) return
      // one multi-row insert (at most 200 items)
      const params: Record<string, unknown> = { id }
      const rows = items.map((item, position) => {
        params[`a${position}`] = item.articleId
        params[`e${position}`] = item.expiresAt
        return `(:id, ${position}, :a${position}, :e${position})`
      })
      await sql.run(`${INSERT_ITEMS} ${rows.join(', ')}`, params)
    },
  }
}

export const sqliteCollectionsRepository = ({ sql }: { sql: SqlRunner }) => collectionsRepository(sql, '')
export const postgresCollectionsRepository = ({ sql }: { sql: SqlRunner }) => collectionsRepository(sql, ' for update')
