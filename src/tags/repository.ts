// Tags on both engines (the same SQL; only the row lock differs): the delivery reads and the rows the
// management writes (tags/service.ts) check and change. Reached as `store.repos.tags`.
import { postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { Tag } from './schemas.js'

export const TAG_LIST_CAP = 1000

// Every column, in the order the ETag hashes them (id included, so a re-created tag never matches
// an ETag of the deleted one).
export interface TagRow {
  id: number
  slug: string
  name: string
  type: Tag['type']
  description: string | null
  createdAt: number
  updatedAt: number
}

export interface TagsRepository {
  // Ordered by name (then slug), at most TAG_LIST_CAP.
  list (filter: { type?: Tag['type'] | undefined }): Promise<Tag[]>
  findBySlug (slug: string): Promise<Tag | undefined>
  // The row, locked for the rest of the transaction when `lock` (PostgreSQL).
  row (slug: string, lock?: boolean): Promise<TagRow | undefined>
  insert (values: Omit<TagRow, 'id'>): Promise<TagRow>
  update (id: number, values: Omit<TagRow, 'id' | 'createdAt'>): Promise<TagRow>
  // How many articles (drafts included) carry the tag.
  usage (id: number): Promise<number>
  delete (id: number): Promise<void>
}

const TAG = 'slug, name, type, description'
const ROW = `id, ${TAG}, created_at as "createdAt", updated_at as "updatedAt"`
const SQL = {
  list: `select ${TAG} from tags order by name, slug limit ${TAG_LIST_CAP}`,
  listOfType: `select ${TAG} from tags where type = :type order by name, slug limit ${TAG_LIST_CAP}`,
  find: `select ${TAG} from tags where slug = :slug`,
  row: `select ${ROW} from tags where slug = :slug`,
  insert: `insert into tags (slug, name, type, description, created_at, updated_at)
    values (:slug, :name, :type, :description, :createdAt, :updatedAt) returning ${ROW}`,
  update: `update tags set slug = :slug, name = :name, type = :type, description = :description, updated_at = :updatedAt
    where id = :id returning ${ROW}`,
  usage: 'select cast(count(*) as integer) as n from article_tags where tag_id = :id',
  delete: 'delete from tags where id = :id',
}

export function tagsRepository (sql: SqlRunner, dialect: Dialect): TagsRepository {
  return {
    list: ({ type }) => type === undefined ? sql.all<Tag>(SQL.list) : sql.all<Tag>(SQL.listOfType, { type }),
    findBySlug: (slug) => sql.get<Tag>(SQL.find, { slug }),
    row: (slug, lock = false) => sql.get<TagRow>(lock ? SQL.row + dialect.forUpdate : SQL.row, { slug }),
    insert: async (values) => (await sql.get<TagRow>(SQL.insert, values))!,
    update: async (id, values) => (await sql.get<TagRow>(SQL.update, { ...values, id }))!,
    usage: async (id) => (await sql.get<{ n: number }>(SQL.usage, { id }))!.n,
    delete: async (id) => { await sql.run(SQL.delete, { id }) },
  }
}

export const sqliteTagsRepository = ({ sql }: { sql: SqlRunner }) => tagsRepository(sql, sqliteDialect)
export const postgresTagsRepository = ({ sql }: { sql: SqlRunner }) => tagsRepository(sql, postgresDialect)
