// Authors (staff, contributors, wire agencies) on both engines (the same SQL; only the row lock
// differs): the delivery reads and the rows the management writes (authors/service.ts) check and
// change. Reached as `store.repos.authors`.
import { postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { Author } from './schemas.js'

export const AUTHOR_LIST_CAP = 1000

// Every column, in the order the ETag hashes them (id included, so a re-created author never
// matches an ETag of the deleted one).
export interface AuthorRow {
  id: number
  slug: string
  name: string
  kind: Author['kind']
  bio: string | null
  avatarUrl: string | null
  createdAt: number
  updatedAt: number
}

export interface AuthorsRepository {
  // Ordered by name (then slug), at most AUTHOR_LIST_CAP.
  list (filter: { kind?: Author['kind'] | undefined }): Promise<Author[]>
  findBySlug (slug: string): Promise<Author | undefined>
  // The row, locked for the rest of the transaction when `lock` (PostgreSQL).
  row (slug: string, lock?: boolean): Promise<AuthorRow | undefined>
  insert (values: Omit<AuthorRow, 'id'>): Promise<AuthorRow>
  update (id: number, values: Omit<AuthorRow, 'id' | 'createdAt'>): Promise<AuthorRow>
  // How many articles (drafts included) credit the author.
  usage (id: number): Promise<number>
  delete (id: number): Promise<void>
}

const AUTHOR = 'slug, name, kind, bio, avatar_url as "avatarUrl"'
const ROW = `id, ${AUTHOR}, created_at as "createdAt", updated_at as "updatedAt"`
const SQL = {
  list: `select ${AUTHOR} from authors order by name, slug limit ${AUTHOR_LIST_CAP}`,
  listOfKind: `select ${AUTHOR} from authors where kind = :kind order by name, slug limit ${AUTHOR_LIST_CAP}`,
  find: `select ${AUTHOR} from authors where slug = :slug`,
  row: `select ${ROW} from authors where slug = :slug`,
  insert: `insert into authors (slug, name, kind, bio, avatar_url, created_at, updated_at)
    values (:slug, :name, :kind, :bio, :avatarUrl, :createdAt, :updatedAt) returning ${ROW}`,
  update: `update authors set slug = :slug, name = :name, kind = :kind, bio = :bio, avatar_url = :avatarUrl, updated_at = :updatedAt
    where id = :id returning ${ROW}`,
  usage: 'select cast(count(*) as integer) as n from article_authors where author_id = :id',
  delete: 'delete from authors where id = :id',
}

export function authorsRepository (sql: SqlRunner, dialect: Dialect): AuthorsRepository {
  return {
    list: ({ kind }) => kind === undefined ? sql.all<Author>(SQL.list) : sql.all<Author>(SQL.listOfKind, { kind }),
    findBySlug: (slug) => sql.get<Author>(SQL.find, { slug }),
    row: (slug, lock = false) => sql.get<AuthorRow>(lock ? SQL.row + dialect.forUpdate : SQL.row, { slug }),
    insert: async (values) => (await sql.get<AuthorRow>(SQL.insert, values))!,
    update: async (id, values) => (await sql.get<AuthorRow>(SQL.update, { ...values, id }))!,
    usage: async (id) => (await sql.get<{ n: number }>(SQL.usage, { id }))!.n,
    delete: async (id) => { await sql.run(SQL.delete, { id }) },
  }
}

export const sqliteAuthorsRepository = ({ sql }: { sql: SqlRunner }) => authorsRepository(sql, sqliteDialect)
export const postgresAuthorsRepository = ({ sql }: { sql: SqlRunner }) => authorsRepository(sql, postgresDialect)
