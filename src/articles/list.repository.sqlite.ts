// SQLite internals of the articles repository (see summaries.repository.sqlite.ts for the naming
// convention): the latest-articles list (list-query.ts has its filters and cursors), filter
// lookups and section descendants, also used by the SQLite search and related repositories.
import { eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articleAuthors, articles, articleTags, tags } from '../db/schema.js'
import { statement } from '../db/statements.js'
import { filtersFrom, tagSlugs, type ArticleFilterQuery, type ArticleFilters, type ArticleListPage, type Position } from './list-query.js'
import { toSummaryFromValues, type Visibility } from './summaries.js'
import { SUMMARY_COLUMNS } from './summaries.repository.sqlite.js'

const DESCENDANTS = 'with recursive sub(id) as (select ? union all select s.id from sections s join sub on s.parent_id = sub.id) select id from sub'
const SECTION_BY_PATH = 'select id from sections where path = ?'
const AUTHOR_BY_SLUG = 'select id from authors where slug = ?'

export function sectionDescendantIds (db: Db, rootId: number): number[] {
  return (statement(db, DESCENDANTS).pluck().all(rootId) as number[])
}

export function resolveArticleFilters (db: Db, query: ArticleFilterQuery): ArticleFilters {
  return filtersFrom(query, {
    sectionId: query.section === undefined ? undefined : statement(db, SECTION_BY_PATH).pluck().get(query.section) as number | undefined,
    tags: query.tag === undefined ? [] : db.select({ id: tags.id, slug: tags.slug }).from(tags).where(inArray(tags.slug, tagSlugs(query.tag))).all(),
    authorId: query.author === undefined ? undefined : statement(db, AUTHOR_BY_SLUG).pluck().get(query.author) as number | undefined,
  })
}

// Conditions on the `articles` table for everything except the section (handled by the caller,
// through article_listings for live lists).
export function articleFilterConditions (filters: ArticleFilters, orderKey: SQL): SQL[] {
  const conditions: SQL[] = []
  if (filters.tagIds) {
    conditions.push(inArray(articles.id, sql`(select ${articleTags.articleId} from ${articleTags} where ${inArray(articleTags.tagId, filters.tagIds)})`))
  }
  if (filters.authorId !== undefined) {
    conditions.push(inArray(articles.id, sql`(select ${articleAuthors.articleId} from ${articleAuthors} where ${eq(articleAuthors.authorId, filters.authorId)})`))
  }
  if (filters.since !== undefined) conditions.push(gte(orderKey, filters.since))
  if (filters.until !== undefined) conditions.push(lt(orderKey, filters.until))
  return conditions
}

// Latest first. Live lists read the section from article_listings (one index range per query);
// preview lists (drafts included, ordered by publication or creation time) take the slower path.
// Raw SQL: the text depends only on which filters are present, so each shape is prepared once.
// Parameters are written `+:name`: a bare parameter compared with an indexed column (or the LIMIT)
// makes SQLite re-plan the statement at every run once sqlite_stat4 exists (see repository.ts).
// The cursor's row value stays bare: with `+` SQLite no longer uses it as the index range.
export function listArticles (db: Db, filters: ArticleFilters, page: { limit: number, after?: Position | undefined }, visibility: Visibility): ArticleListPage {
  const preview = visibility.preview === true
  const viaListing = filters.sectionIds !== undefined && !preview
  // the keyset (orderKey, idKey) must be on the index that drives the query
  const orderKey = preview ? 'coalesce(a.published_at, a.created_at)' : viaListing ? 'l.published_at' : 'a.published_at'
  const idKey = viaListing ? 'l.article_id' : 'a.id'
  const where: string[] = []
  const params: Record<string, number | string> = { limit: page.limit + 1 }
  if (filters.tagIds) {
    where.push('a.id in (select article_id from article_tags where tag_id in (select value from json_each(:tagIds)))')
    params.tagIds = JSON.stringify(filters.tagIds)
  }
  if (filters.authorId !== undefined) {
    where.push('a.id in (select article_id from article_authors where author_id = +:authorId)')
    params.authorId = filters.authorId
  }
  if (filters.since !== undefined) { where.push(`${orderKey} >= +:since`); params.since = filters.since }
  if (filters.until !== undefined) { where.push(`${orderKey} < +:until`); params.until = filters.until }
  // on a cursor page a bare :now lets stat4 weigh it against the cursor, so the cursor bounds the range
  if (!preview) { where.push('a.status = \'published\'', `${orderKey} <= ${page.after ? ':now' : '+:now'}`); params.now = visibility.now }
  if (viaListing) {
    where.push('l.section_id = +:sectionId')
    params.sectionId = filters.sectionIds!.root
  } else if (filters.sectionIds) {
    where.push('a.section_id in (select value from json_each(:sectionIds))')
    params.sectionIds = JSON.stringify(filters.sectionIds.all ?? sectionDescendantIds(db, filters.sectionIds.root))
  }
  if (page.after) {
    where.push(`(${orderKey}, ${idKey}) < (:afterP, :afterI)`)
    params.afterP = page.after.p
    params.afterI = page.after.i
  }
  const from = viaListing ? 'article_listings l join articles a on a.id = l.article_id' : 'articles a'
  // raw rows: SUMMARY_COLUMNS (0-11), then the order key (12)
  const rows = statement(db, `select ${SUMMARY_COLUMNS}, ${orderKey} as orderKey from ${from} join sections s on s.id = a.section_id
    ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by ${orderKey} desc, ${idKey} desc limit +:limit`)
    .raw().all(params) as unknown[][]
  const more = rows.length > page.limit
  const shown = more ? rows.slice(0, page.limit) : rows
  const last = shown.at(-1)
  return {
    data: shown.map(toSummaryFromValues),
    next: more && last ? { p: last[12] as number, i: last[0] as number } : null,
  }
}
