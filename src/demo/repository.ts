// The demo content's writes (demo/seed.ts), in the seed's transaction. The same SQL on both
// engines except the lock that keeps two processes from seeding one database at once and the bulk
// insert of the simulated page views; rows get their ids in insertion order on both.
import type { Block, HeroImage } from '../articles/schemas.js'
import type { SqlRunner } from '../db/sql-runner.js'

export type DemoArticleRow = {
  slug: string
  headline: string
  standfirst: string
  body: Block[]
  byline: string
  sectionId: number
  heroImage: HeroImage | null
  status: 'draft' | 'published'
  wordCount: number
  publishedAt: number | null
  firstPublishedAt: number | null
  createdAt: number
  updatedAt: number
}

export interface DemoRepository {
  // Serialises seeding across processes until the transaction ends (SQLite's BEGIN IMMEDIATE
  // already does).
  lock (): Promise<void>
  hasArticles (): Promise<boolean>
  insertSection (row: { slug: string, name: string, path: string, parentId: number | null, position: number, description: string | null, settings: Record<string, unknown>, at: number }): Promise<number>
  insertTag (row: { slug: string, name: string, type: string, description: string | null, at: number }): Promise<number>
  insertAuthor (row: { slug: string, name: string, kind: string, bio: string | null, avatarUrl: string | null, at: number }): Promise<number>
  insertArticle (row: DemoArticleRow): Promise<number>
  link (table: 'article_authors' | 'article_tags' | 'article_related', articleId: number, otherId: number, position: number): Promise<void>
  insertCollection (row: { slug: string, name: string, description: string, at: number }): Promise<number>
  insertCollectionItem (row: { collectionId: number, position: number, articleId: number, expiresAt: number | null }): Promise<void>
  insertPageViews (rows: ReadonlyArray<{ articleId: number, hour: number, views: number }>): Promise<void>
}

const LINK_COLUMN = { article_authors: 'author_id', article_tags: 'tag_id', article_related: 'related_id' } as const

function demoRepository (sql: SqlRunner, engine: { lock: string | null, bulkPageViews: string | null }): DemoRepository {
  const id = async (text: string, params: Record<string, unknown>) => (await sql.get<{ id: number }>(`${text} returning id`, params))!.id
  return {
    async lock () {
      if (engine.lock) await sql.get(engine.lock)
    },
    hasArticles: async () => (await sql.get('select id from articles limit 1')) !== undefined,
    insertSection: (r) => id(`insert into sections (slug, name, path, parent_id, position, description, settings, created_at, updated_at)
      values (:slug, :name, :path, :parentId, :position, :description, :settings, :at, :at)`, r),
    insertTag: (r) => id(`insert into tags (slug, name, type, description, created_at, updated_at)
      values (:slug, :name, :type, :description, :at, :at)`, r),
    insertAuthor: (r) => id(`insert into authors (slug, name, kind, bio, avatar_url, created_at, updated_at)
      values (:slug, :name, :kind, :bio, :avatarUrl, :at, :at)`, r),
    insertArticle: (r) => id(`insert into articles (slug, headline, standfirst, body, byline, section_id, hero_image, status, word_count, revision,
        published_at, first_published_at, created_at, updated_at)
      values (:slug, :headline, :standfirst, :body, :byline, :sectionId, :heroImage, :status, :wordCount, 1,
        :publishedAt, :firstPublishedAt, :createdAt, :updatedAt)`, r),
    async link (table, articleId, otherId, position) {
      await sql.run(`insert into ${table} (article_id, ${LINK_COLUMN[table]}, position) values (:articleId, :otherId, :position)`, { articleId, otherId, position })
    },
    insertCollection: (r) => id(`insert into collections (slug, name, description, created_at, updated_at)
      values (:slug, :name, :description, :at, :at)`, r),
    async insertCollectionItem (r) {
      await sql.run('insert into collection_items (collection_id, position, article_id, expires_at) values (:collectionId, :position, :articleId, :expiresAt)', r)
    },
    async insertPageViews (rows) {
      if (engine.bulkPageViews) {
        // thousands of rows: a few statements instead of one round trip each
        for (let i = 0; i < rows.length; i += 5000) {
          await sql.run(engine.bulkPageViews, { rows: rows.slice(i, i + 5000).map((r) => [r.articleId, r.hour, r.views]) })
        }
        return
      }
      for (const r of rows) await sql.run('insert into page_views (article_id, hour, views) values (:articleId, :hour, :views)', r)
    },
  }
}

// SQLite: one prepared insert per row is fastest in-process
export const sqliteDemoRepository = ({ sql }: { sql: SqlRunner }) => demoRepository(sql, { lock: null, bulkPageViews: null })

export const postgresDemoRepository = ({ sql }: { sql: SqlRunner }) => demoRepository(sql, {
  lock: "select pg_advisory_xact_lock(hashtext('dateline demo content'))",
  bulkPageViews: `insert into page_views (article_id, hour, views)
    select (r ->> 0)::integer, (r ->> 1)::integer, (r ->> 2)::integer from jsonb_array_elements(:rows) r`,
})
