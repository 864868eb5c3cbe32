// Reads and writes for article management on both engines (the same SQL but for row locks and the
// JSON field of a revision, see db/dialect.ts): the management representation (drafts included),
// references by slug/path resolved to ids, the article row a write checks, and stored revisions.
// Reached as `store.repos.articleManagement`; the workflow is in service.ts.
import { fromJson, postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { ArticleManagement, Revision, RevisionSummary } from './management-schemas.js'
import type { Block, HeroImage } from './schemas.js'
import { iso } from './summaries.js'
import { readingTimeMinutes } from './word-count.js'

export const articleEtag = (id: number, revision: number) => `"${id}-${revision}"`

export function articleStatus (status: 'draft' | 'published', publishedAt: number | null, now: number) {
  if (status === 'draft') return 'draft' as const
  return publishedAt !== null && publishedAt > now ? 'scheduled' as const : 'published' as const
}

// The columns a write checks and keeps
export interface ArticleRow {
  id: number
  slug: string
  headline: string
  standfirst: string | null
  body: Block[]
  status: 'draft' | 'published'
  publishedAt: number | null
  firstPublishedAt: number | null
  revision: number
  live: 0 | 1 | null
}

// What create writes; patch, publish and unpublish write the fields they change
export interface ArticleValues {
  slug: string
  headline: string
  standfirst: string | null
  body: Block[]
  byline: string | null
  sectionId: number
  heroImage: HeroImage | null
  wordCount: number
  // live blogs: 1 running, 0 ended, null an ordinary article
  live: 0 | 1 | null
  createdAt: number
  updatedAt: number
}

export interface ArticleChanges {
  slug?: string
  headline?: string
  standfirst?: string | null
  body?: Block[]
  byline?: string | null
  sectionId?: number
  heroImage?: HeroImage | null
  wordCount?: number
  status?: 'draft' | 'published'
  publishedAt?: number | null
  firstPublishedAt?: number | null
  live?: 0 | 1 | null
  revision: number
  updatedAt: number
}

export interface ArticleManagementRepository {
  // The row; `lock` locks it for the rest of the transaction (PostgreSQL: FOR UPDATE).
  row (id: number, lock?: boolean): Promise<ArticleRow | undefined>
  // The management representation as stored now.
  load (id: number, now: number): Promise<ArticleManagement | undefined>
  slugTaken (slug: string, exceptId?: number): Promise<boolean>
  // Ids of referenced rows (undefined when missing), each kept from being deleted until commit.
  sectionId (path: string): Promise<number | undefined>
  tagId (slug: string): Promise<number | undefined>
  authorId (slug: string): Promise<number | undefined>
  articleExists (id: number): Promise<boolean>
  // The articles that list this one as related (their responses show its id while it is live).
  referrers (id: number): Promise<number[]>
  insert (values: ArticleValues): Promise<number>
  update (id: number, changes: ArticleChanges): Promise<void>
  // Replace the article's tags, authors or related articles with these ids, in this order.
  setTags (articleId: number, tagIds: readonly number[]): Promise<void>
  setAuthors (articleId: number, authorIds: readonly number[]): Promise<void>
  setRelated (articleId: number, relatedIds: readonly number[]): Promise<void>
  delete (id: number): Promise<void>
  storeRevision (article: ArticleManagement, keyName: string | null, now: number): Promise<void>
  // Newest first.
  revisions (articleId: number): Promise<RevisionSummary[]>
  revision (articleId: number, revision: number): Promise<Revision | undefined>
}

const ROW = `select id, slug, headline, standfirst, body, status, published_at as "publishedAt",
  first_published_at as "firstPublishedAt", revision, live from articles where id = :id`

const SQL = {
  article: `select a.id, a.slug, a.headline, a.standfirst, a.body, a.byline, a.hero_image as "heroImage", a.status,
      a.published_at as "publishedAt", a.word_count as "wordCount", a.revision, a.created_at as "createdAt",
      a.updated_at as "updatedAt", a.live, a.section_id as "sectionId", s.slug as "sectionSlug", s.name as "sectionName", s.path as "sectionPath"
    from articles a join sections s on s.id = a.section_id where a.id = :id`,
  breadcrumbs: `with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from sections where id = :sectionId
      union all
      select s.id, s.parent_id, c.depth + 1 from sections s join chain c on s.id = c.parent_id
    )
    select s.slug, s.name, s.path from chain c join sections s on s.id = c.id order by c.depth desc`,
  tags: `select t.slug, t.name, t.type, t.description from article_tags x join tags t on t.id = x.tag_id
    where x.article_id = :id order by x.position, t.id`,
  authors: `select au.slug, au.name, au.kind, au.bio, au.avatar_url as "avatarUrl" from article_authors x join authors au on au.id = x.author_id
    where x.article_id = :id order by x.position, au.id`,
  related: 'select related_id as id from article_related where article_id = :id order by position, related_id',
  slug: 'select id from articles where slug = :slug',
  section: 'select id from sections where path = :path',
  tag: 'select id from tags where slug = :slug',
  author: 'select id from authors where slug = :slug',
  exists: 'select id from articles where id = :id',
  referrers: 'select article_id as id from article_related where related_id = :id order by article_id',
  insert: `insert into articles (slug, headline, standfirst, body, byline, section_id, hero_image, status, word_count, revision, live, created_at, updated_at)
    values (:slug, :headline, :standfirst, :body, :byline, :sectionId, :heroImage, 'draft', :wordCount, 1, :live, :createdAt, :updatedAt) returning id`,
  deleteTags: 'delete from article_tags where article_id = :articleId',
  insertTag: 'insert into article_tags (article_id, tag_id, position) values (:articleId, :id, :position)',
  deleteAuthors: 'delete from article_authors where article_id = :articleId',
  insertAuthor: 'insert into article_authors (article_id, author_id, position) values (:articleId, :id, :position)',
  deleteRelated: 'delete from article_related where article_id = :articleId',
  insertRelated: 'insert into article_related (article_id, related_id, position) values (:articleId, :id, :position)',
  delete: 'delete from articles where id = :id',
  storeRevision: `insert into revisions (article_id, revision, snapshot, key_name, created_at)
    values (:articleId, :revision, :snapshot, :keyName, :createdAt)`,
}

// Column of each changeable field (a patch writes only the fields it has)
const COLUMNS: Record<keyof ArticleChanges, string> = {
  slug: 'slug',
  headline: 'headline',
  standfirst: 'standfirst',
  body: 'body',
  byline: 'byline',
  sectionId: 'section_id',
  heroImage: 'hero_image',
  wordCount: 'word_count',
  status: 'status',
  publishedAt: 'published_at',
  firstPublishedAt: 'first_published_at',
  live: 'live',
  revision: 'revision',
  updatedAt: 'updated_at',
}

// The article row with its section, as SQL.article reads it (JSON columns as stored)
interface ArticleSelect extends Omit<ArticleRow, 'body' | 'firstPublishedAt'> {
  body: unknown
  byline: string | null
  heroImage: unknown
  wordCount: number
  createdAt: number
  updatedAt: number
  sectionId: number
  sectionSlug: string
  sectionName: string
  sectionPath: string
}

export function articleManagementRepository (sql: SqlRunner, dialect: Dialect): ArticleManagementRepository {
  const idOf = async (text: string, params: Record<string, unknown>) => (await sql.get<{ id: number }>(text + dialect.forKeyShare, params))?.id
  const replace = async (remove: string, insert: string, articleId: number, ids: readonly number[]) => {
    await sql.run(remove, { articleId })
    for (const [position, id] of ids.entries()) await sql.run(insert, { articleId, id, position })
  }
  const revisionColumns = `revision, key_name as "keyName", created_at as "createdAt",
    ${dialect.jsonText('snapshot', 'status')} as status, ${dialect.jsonText('snapshot', 'headline')} as headline`
  const revisionsSql = `select ${revisionColumns} from revisions where article_id = :articleId order by revision desc`
  const revisionSql = `select ${revisionColumns}, snapshot from revisions where article_id = :articleId and revision = :revision`
  type RevisionSelect = { revision: number, keyName: string | null, createdAt: number, status: ArticleManagement['status'], headline: string }

  return {
    async row (id, lock = false) {
      const row = await sql.get<Omit<ArticleRow, 'body'> & { body: unknown }>(lock ? ROW + dialect.forUpdate : ROW, { id })
      return row && { ...row, body: fromJson<Block[]>(row.body) }
    },

    async load (id, now) {
      const a = await sql.get<ArticleSelect>(SQL.article, { id })
      if (!a) return undefined
      const [breadcrumbs, tags, authors, related] = [
        await sql.all<ArticleManagement['breadcrumbs'][number]>(SQL.breadcrumbs, { sectionId: a.sectionId }),
        await sql.all<ArticleManagement['tags'][number]>(SQL.tags, { id }),
        await sql.all<ArticleManagement['authors'][number]>(SQL.authors, { id }),
        await sql.all<{ id: number }>(SQL.related, { id }),
      ]
      const status = articleStatus(a.status, a.publishedAt, now)
      return {
        id: a.id,
        slug: a.slug,
        url: `/${a.sectionPath}/${a.slug}`,
        headline: a.headline,
        standfirst: a.standfirst,
        body: fromJson<Block[]>(a.body),
        byline: a.byline,
        authors,
        section: { slug: a.sectionSlug, name: a.sectionName, path: a.sectionPath },
        breadcrumbs,
        tags,
        heroImage: a.heroImage === null ? null : fromJson<HeroImage>(a.heroImage),
        status,
        revision: a.revision,
        createdAt: iso(a.createdAt),
        updatedAt: iso(a.updatedAt),
        publishedAt: a.status === 'published' && a.publishedAt !== null ? iso(a.publishedAt) : null,
        scheduledAt: status === 'scheduled' ? iso(a.publishedAt!) : null,
        wordCount: a.wordCount,
        readingTimeMinutes: readingTimeMinutes(a.wordCount),
        relatedIds: related.map((r) => r.id),
        ...(a.live === null ? {} : { live: a.live === 1 }),
      }
    },

    async slugTaken (slug, exceptId) {
      const row = await sql.get<{ id: number }>(SQL.slug, { slug })
      return row !== undefined && row.id !== exceptId
    },
    sectionId: (path) => idOf(SQL.section, { path }),
    tagId: (slug) => idOf(SQL.tag, { slug }),
    authorId: (slug) => idOf(SQL.author, { slug }),
    articleExists: async (id) => await idOf(SQL.exists, { id }) !== undefined,
    referrers: async (id) => (await sql.all<{ id: number }>(SQL.referrers, { id })).map((row) => row.id),

    insert: async (values) => (await sql.get<{ id: number }>(SQL.insert, { ...values }))!.id,

    async update (id, changes) {
      const names = (Object.keys(changes) as Array<keyof ArticleChanges>).filter((name) => changes[name] !== undefined)
      const params = Object.fromEntries(names.map((name) => [name, changes[name]]))
      await sql.run(`update articles set ${names.map((name) => `${COLUMNS[name]} = :${name}`).join(', ')} where id = :id`, { ...params, id })
    },

    setTags: (articleId, ids) => replace(SQL.deleteTags, SQL.insertTag, articleId, ids),
    setAuthors: (articleId, ids) => replace(SQL.deleteAuthors, SQL.insertAuthor, articleId, ids),
    setRelated: (articleId, ids) => replace(SQL.deleteRelated, SQL.insertRelated, articleId, ids),

    delete: async (id) => { await sql.run(SQL.delete, { id }) },

    async storeRevision (article, keyName, now) {
      // JSON text on both engines, so the snapshot is the representation exactly as it was served
      await sql.run(SQL.storeRevision, { articleId: article.id, revision: article.revision, snapshot: article, keyName, createdAt: now })
    },

    async revisions (articleId) {
      const rows = await sql.all<RevisionSelect>(revisionsSql, { articleId })
      return rows.map(({ createdAt, ...r }) => ({ ...r, savedAt: iso(createdAt) }))
    },

    async revision (articleId, revision) {
      const row = await sql.get<RevisionSelect & { snapshot: unknown }>(revisionSql, { articleId, revision })
      if (!row) return undefined
      const { createdAt, snapshot, ...rest } = row
      return { ...rest, savedAt: iso(createdAt), article: fromJson<ArticleManagement>(snapshot) }
    },
  }
}

export const sqliteArticleManagementRepository = ({ sql }: { sql: SqlRunner }) => articleManagementRepository(sql, sqliteDialect)
export const postgresArticleManagementRepository = ({ sql }: { sql: SqlRunner }) => articleManagementRepository(sql, postgresDialect)
