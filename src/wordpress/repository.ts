// The WordPress import's reads and writes (wordpress/writers.ts), in the import's transactions. The
// same SQL on both engines; on PostgreSQL (READ COMMITTED) the rows an upsert reads are locked
// (FOR UPDATE) so that a concurrent import or edit cannot change them between the read and the write
// (SQLite's BEGIN IMMEDIATE already serialises writers).
import type { Block, HeroImage } from '../articles/schemas.js'
import type { SqlRunner } from '../db/sql-runner.js'

export type ImportedArticleValues = {
  slug: string
  headline: string
  standfirst: string | null
  body: Block[]
  byline: string | null
  sectionId: number
  heroImage: HeroImage | null
  status: 'draft' | 'published'
  publishedAt: number | null
  firstPublishedAt: number | null
  wordCount: number
}

// An article as stored: body and hero image parsed (JSON text on SQLite, jsonb on PostgreSQL).
export type StoredImportedArticle = ImportedArticleValues & {
  id: number
  revision: number
  updatedAt: number
}

type Taxonomy = 'tags' | 'authors'

export interface WordpressRepository {
  sectionIdByPath (path: string): Promise<number | undefined>
  updateSection (id: number, values: { name: string, description: string | null, updatedAt: number }): Promise<void>
  insertSection (values: { slug: string, name: string, path: string, parentId: number | null, position: number, description: string | null, at: number }): Promise<number>
  // tags and authors by slug
  idBySlug (table: Taxonomy, slug: string): Promise<number | undefined>
  rename (table: Taxonomy, id: number, name: string, updatedAt: number): Promise<void>
  insertTag (values: { slug: string, name: string, description: string | null, at: number }): Promise<number>
  insertAuthor (values: { slug: string, name: string, at: number }): Promise<number>
  articleByExternalId (externalId: string): Promise<StoredImportedArticle | undefined>
  // another article (not `exceptId`) has this slug
  slugTaken (slug: string, exceptId: number | null): Promise<boolean>
  updateArticle (id: number, values: ImportedArticleValues & { revision: number, updatedAt: number }): Promise<void>
  insertArticle (values: ImportedArticleValues & { externalId: string, createdAt: number, updatedAt: number }): Promise<number>
  // replaces the article's tags and authors, in the given order
  replaceLinks (articleId: number, tagIds: readonly number[], authorIds: readonly number[]): Promise<void>
}

const parse = (value: unknown) => typeof value === 'string' ? JSON.parse(value) as unknown : value

const ARTICLE = `select id, slug, headline, standfirst, body, byline, section_id as "sectionId", hero_image as "heroImage", status,
  published_at as "publishedAt", first_published_at as "firstPublishedAt", word_count as "wordCount", revision, updated_at as "updatedAt"
  from articles where external_id = :externalId`

function wordpressRepository (sql: SqlRunner, forUpdate: string): WordpressRepository {
  const id = async (text: string, params: Record<string, unknown>) => (await sql.get<{ id: number }>(`${text} returning id`, params))!.id
  return {
    sectionIdByPath: async (path) => (await sql.get<{ id: number }>(`select id from sections where path = :path${forUpdate}`, { path }))?.id,
    async updateSection (sectionId, values) {
      await sql.run('update sections set name = :name, description = :description, updated_at = :updatedAt where id = :id', { ...values, id: sectionId })
    },
    insertSection: (values) => id(`insert into sections (slug, name, path, parent_id, position, description, created_at, updated_at)
      values (:slug, :name, :path, :parentId, :position, :description, :at, :at)`, values),
    idBySlug: async (table, slug) => (await sql.get<{ id: number }>(`select id from ${table} where slug = :slug${forUpdate}`, { slug }))?.id,
    async rename (table, rowId, name, updatedAt) {
      await sql.run(`update ${table} set name = :name, updated_at = :updatedAt where id = :id`, { id: rowId, name, updatedAt })
    },
    insertTag: (values) => id(`insert into tags (slug, name, type, description, created_at, updated_at)
      values (:slug, :name, 'topic', :description, :at, :at)`, values),
    insertAuthor: (values) => id(`insert into authors (slug, name, kind, created_at, updated_at)
      values (:slug, :name, 'staff', :at, :at)`, values),
    async articleByExternalId (externalId) {
      const row = await sql.get<StoredImportedArticle>(`${ARTICLE}${forUpdate}`, { externalId })
      return row && { ...row, body: parse(row.body) as Block[], heroImage: parse(row.heroImage) as HeroImage | null }
    },
    slugTaken: async (slug, exceptId) =>
      (await sql.get(exceptId === null ? 'select id from articles where slug = :slug' : 'select id from articles where slug = :slug and id <> :exceptId',
        exceptId === null ? { slug } : { slug, exceptId })) !== undefined,
    async updateArticle (articleId, v) {
      await sql.run(`update articles set slug = :slug, headline = :headline, standfirst = :standfirst, body = :body, byline = :byline,
        section_id = :sectionId, hero_image = :heroImage, status = :status, published_at = :publishedAt, first_published_at = :firstPublishedAt,
        word_count = :wordCount, revision = :revision, updated_at = :updatedAt where id = :id`, { ...v, id: articleId })
    },
    insertArticle: (v) => id(`insert into articles (slug, external_id, headline, standfirst, body, byline, section_id, hero_image, status,
        published_at, first_published_at, word_count, created_at, updated_at)
      values (:slug, :externalId, :headline, :standfirst, :body, :byline, :sectionId, :heroImage, :status,
        :publishedAt, :firstPublishedAt, :wordCount, :createdAt, :updatedAt)`, v),
    async replaceLinks (articleId, tagIds, authorIds) {
      await sql.run('delete from article_tags where article_id = :articleId', { articleId })
      await sql.run('delete from article_authors where article_id = :articleId', { articleId })
      for (const [position, tagId] of tagIds.entries()) {
        await sql.run('insert into article_tags (article_id, tag_id, position) values (:articleId, :tagId, :position)', { articleId, tagId, position })
      }
      for (const [position, authorId] of authorIds.entries()) {
        await sql.run('insert into article_authors (article_id, author_id, position) values (:articleId, :authorId, :position)', { articleId, authorId, position })
      }
    },
  }
}

export const sqliteWordpressRepository = ({ sql }: { sql: SqlRunner }) => wordpressRepository(sql, '')
export const postgresWordpressRepository = ({ sql }: { sql: SqlRunner }) => wordpressRepository(sql, ' for update')
