// The articles repository on PostgreSQL: the statements of the SQLite side (*.repository.sqlite.ts)
// in PostgreSQL's dialect, prepared (the neutral runner
// prepares every text once per connection). The answers are the SQLite side's, value for value and
// key for key: the JSON arrays are built as `json` (which keeps the keys in the order written), and
// the jsonb documents (body, hero image), which PostgreSQL stores with its own key order, are put
// back in schema order (inSchemaOrder) before anything serialises them. Rows become summaries and
// articles through summaries.ts, as on SQLite.
import type { PgConn } from '../db/postgres/store.js'
import type { ArticlesRepository } from './articles-repository.js'
import { filtersFrom, tagSlugs, type ArticleFilters, type ArticleListPage } from './list-query.js'
import { rebuildListingsUnderSection, syncListing } from './listing.repository.js'
import { Block, HeroImage, type Article, type ArticleSummary } from './schemas.js'
import { summaryOf, toArticle, type SummaryRow, type Visibility } from './summaries.js'

// The summary columns (articles as `a`, sections as `s`), named as SummaryRow (quoted: PostgreSQL
// folds unquoted aliases to lower case).
const SUMMARY_COLUMNS = 'a.id, a.slug, a.headline, a.standfirst, a.byline, a.hero_image as "heroImage", ' +
  'a.published_at as "publishedAt", a.created_at as "createdAt", a.updated_at as "updatedAt", ' +
  's.slug as "sectionSlug", s.name as "sectionName", s.path as "sectionPath"'

const LIVE = (alias: string) => `${alias}.status = 'published' and ${alias}.published_at <= :now`

// The delivery article in one statement, as repository.ts's articleSql: json_agg with the order
// inside the aggregate, coalesced to [] where SQLite's json_group_array gives [] for no rows.
const articleSql = (live: boolean) => `
  select ${SUMMARY_COLUMNS}, a.body, a.word_count as "wordCount", a.section_id as "sectionId", a.live,
    (select coalesce(json_agg(json_build_object('slug', au.slug, 'name', au.name, 'kind', au.kind, 'bio', au.bio, 'avatarUrl', au.avatar_url)
        order by aa.position, au.name), '[]'::json)
      from article_authors aa join authors au on au.id = aa.author_id where aa.article_id = a.id) as authors,
    (select coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name, 'type', t.type, 'description', t.description)
        order by at.position, t.name), '[]'::json)
      from article_tags at join tags t on t.id = at.tag_id where at.article_id = a.id) as tags,
    (select coalesce(json_agg(r.id order by ar.position, ar.related_id), '[]'::json)
      from article_related ar join articles r on r.id = ar.related_id
      where ar.article_id = a.id${live ? ` and ${LIVE('r')}` : ''}) as "relatedIds",
    (with recursive chain(id, parent_id, depth) as (
        select s.id, s.parent_id, 0
        union all select p.id, p.parent_id, c.depth + 1 from sections p join chain c on p.id = c.parent_id)
      select json_agg(json_build_object('slug', x.slug, 'name', x.name, 'path', x.path) order by c.depth desc)
      from chain c join sections x on x.id = c.id) as breadcrumbs
  from articles a join sections s on s.id = a.section_id
  where a.slug = :slug${live ? ` and ${LIVE('a')}` : ''}`
const LIVE_ARTICLE = articleSql(true)
const ANY_ARTICLE = articleSql(false)

const SUMMARIES_BY_IDS = `select ${SUMMARY_COLUMNS} from articles a join sections s on s.id = a.section_id
  where a.id in (select value::int from jsonb_array_elements_text(:ids::jsonb))`
const LIVE_SUMMARIES_BY_IDS = `${SUMMARIES_BY_IDS} and ${LIVE('a')}`

const DESCENDANTS = `with recursive sub(id) as (select :root::int union all select s.id from sections s join sub on s.parent_id = sub.id)
  select id from sub`

type Json = Record<string, unknown>

// jsonb keeps an object's keys sorted by length, then bytes; the answers carry them in schema order,
// as stored on SQLite (every writer stores the zod-parsed value). Keys a schema does not know (none
// are stored) would follow in jsonb's order.
const BLOCK_KEYS = new Map<string, string[]>(Block.options.map((option) => [option.shape.type.value, Object.keys(option.shape)]))
const HERO_IMAGE_KEYS = Object.keys(HeroImage.shape)

function inSchemaOrder (value: Json, keys: readonly string[]): Json {
  const out: Json = {}
  for (const key of keys) if (key in value) out[key] = value[key]
  for (const key of Object.keys(value)) if (!(key in out)) out[key] = value[key]
  return out
}

export const heroImageInOrder = (value: Json | null): ArticleSummary['heroImage'] =>
  value === null ? null : inSchemaOrder(value, HERO_IMAGE_KEYS) as ArticleSummary['heroImage']

export const bodyInOrder = (blocks: Json[]): Block[] =>
  blocks.map((block) => inSchemaOrder(block, BLOCK_KEYS.get(block.type as string) ?? []) as Block)

// SummaryRow with the hero image parsed by postgres.js (jsonb)
type PgSummaryRow = Omit<SummaryRow, 'heroImage'> & { heroImage: Json | null }

type PgArticleRow = PgSummaryRow & {
  body: Json[]
  wordCount: number
  sectionId: number
  live: number | null
  authors: Article['authors']
  tags: Article['tags']
  relatedIds: number[]
  breadcrumbs: Article['breadcrumbs']
}

const toSummary = (row: PgSummaryRow): ArticleSummary => summaryOf(row, heroImageInOrder(row.heroImage))

export function postgresArticlesRepository ({ sql, sectionIds }: PgConn): ArticlesRepository {
  const sectionId = async (path: string) => {
    const lookup = async () => (await sql.get<{ id: number }>('select id from sections where path = :path', { path }))?.id
    return sectionIds ? await sectionIds.id(path, lookup) : await lookup()
  }
  const descendants = async (root: number) => (await sql.all<{ id: number }>(DESCENDANTS, { root })).map((row) => row.id)

  return {
    async findBySlug (slug, { now, preview = false }: Visibility) {
      const row = preview
        ? await sql.get<PgArticleRow>(ANY_ARTICLE, { slug })
        : await sql.get<PgArticleRow>(LIVE_ARTICLE, { slug, now })
      if (!row) return undefined
      const article: Article & { liveBlog?: boolean } = toArticle(toSummary(row), {
        body: bodyInOrder(row.body),
        wordCount: row.wordCount,
        authors: row.authors,
        tags: row.tags,
        breadcrumbs: row.breadcrumbs,
        relatedIds: row.relatedIds,
      })
      if (row.live !== null) article.liveBlog = row.live === 1
      return article
    },

    // SQLite's row (article.repository.sqlite.ts): the JSON columns as JSON.stringify writes them
    async liveArticleRow (slug, now) {
      const row = await sql.get<PgArticleRow>(LIVE_ARTICLE, { slug, now })
      if (!row) return undefined
      return {
        ...row,
        heroImage: row.heroImage === null ? null : JSON.stringify(heroImageInOrder(row.heroImage)),
        body: JSON.stringify(bodyInOrder(row.body)),
        authors: JSON.stringify(row.authors),
        tags: JSON.stringify(row.tags),
        relatedIds: JSON.stringify(row.relatedIds),
        breadcrumbs: JSON.stringify(row.breadcrumbs),
      }
    },

    async summariesByIds (ids, { now, preview = false }) {
      if (ids.length === 0) return []
      const rows = preview
        ? await sql.all<PgSummaryRow>(SUMMARIES_BY_IDS, { ids })
        : await sql.all<PgSummaryRow>(LIVE_SUMMARIES_BY_IDS, { ids, now })
      const byId = new Map(rows.map((row) => [row.id, toSummary(row)]))
      return ids.flatMap((id) => byId.get(id) ?? [])
    },

    async resolveFilters (query) {
      const [section, tags, author] = await Promise.all([
        query.section === undefined ? undefined : sectionId(query.section),
        query.tag === undefined
          ? []
          : sql.all<{ id: number, slug: string }>('select id, slug from tags where slug in (select value from jsonb_array_elements_text(:slugs::jsonb))', { slugs: tagSlugs(query.tag) }),
        query.author === undefined ? undefined : sql.get<{ id: number }>('select id from authors where slug = :slug', { slug: query.author }),
      ])
      return filtersFrom(query, { sectionId: section, tags, authorId: author?.id })
    },

    // list.repository.sqlite.ts's listArticles: the same shapes, keyset and ties (id descending)
    async list (filters: ArticleFilters, page, visibility): Promise<ArticleListPage> {
      const preview = visibility.preview === true
      const viaListing = filters.sectionIds !== undefined && !preview
      const orderKey = preview ? 'coalesce(a.published_at, a.created_at)' : viaListing ? 'l.published_at' : 'a.published_at'
      const idKey = viaListing ? 'l.article_id' : 'a.id'
      const where: string[] = []
      const params: Record<string, unknown> = { limit: page.limit + 1 }
      if (filters.tagIds) {
        where.push('a.id in (select article_id from article_tags where tag_id in (select value::int from jsonb_array_elements_text(:tagIds::jsonb)))')
        params.tagIds = filters.tagIds
      }
      if (filters.authorId !== undefined) {
        where.push('a.id in (select article_id from article_authors where author_id = :authorId)')
        params.authorId = filters.authorId
      }
      if (filters.since !== undefined) { where.push(`${orderKey} >= :since`); params.since = filters.since }
      if (filters.until !== undefined) { where.push(`${orderKey} < :until`); params.until = filters.until }
      if (!preview) { where.push('a.status = \'published\'', `${orderKey} <= :now`); params.now = visibility.now }
      if (viaListing) {
        where.push('l.section_id = :sectionId')
        params.sectionId = filters.sectionIds!.root
      } else if (filters.sectionIds) {
        where.push('a.section_id in (select value::int from jsonb_array_elements_text(:sectionIds::jsonb))')
        params.sectionIds = filters.sectionIds.all ?? await descendants(filters.sectionIds.root)
      }
      if (page.after) {
        where.push(`(${orderKey}, ${idKey}) < (:afterP::bigint, :afterI::int)`)
        params.afterP = page.after.p
        params.afterI = page.after.i
      }
      const from = viaListing ? 'article_listings l join articles a on a.id = l.article_id' : 'articles a'
      const rows = await sql.all<PgSummaryRow & { orderKey: number }>(`select ${SUMMARY_COLUMNS}, ${orderKey} as "orderKey"
        from ${from} join sections s on s.id = a.section_id
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by ${orderKey} desc, ${idKey} desc limit :limit`, params)
      const more = rows.length > page.limit
      const shown = more ? rows.slice(0, page.limit) : rows
      const last = shown.at(-1)
      return {
        data: shown.map(toSummary),
        next: more && last ? { p: last.orderKey, i: last.id } : null,
      }
    },

    sectionDescendantIds: descendants,

    syncListing: (articleId) => syncListing(sql, articleId),
    rebuildListingsUnderSection: (sectionId) => rebuildListingsUnderSection(sql, sectionId),
  }
}
