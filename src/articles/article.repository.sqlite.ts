// SQLite internals of the articles repository (see summaries.repository.sqlite.ts for the naming
// convention): one full delivery article by slug, the article row with its section, its authors,
// tags, breadcrumbs and live related ids, in one statement. Unpublished and future articles exist
// only in preview.
import type { Db } from '../db/connection.js'
import { statement } from '../db/statements.js'
import type { Article, Block } from './schemas.js'
import { toArticle, toSummary, type SummaryRow, type Visibility } from './summaries.js'

// One statement for the article with its section, authors, tags, related ids and breadcrumbs (JSON arrays built
// by SQLite); the live variant adds the delivery invariant (see liveArticle).
// `+:slug` and `+:now`, not `:slug` and `:now`: with sqlite_stat4 present (ANALYZE, PRAGMA optimize),
// a bare parameter compared with an indexed column makes SQLite re-plan the statement on every run
// (it re-reads stat4 for the new value); the unary plus keeps the same plan without that (65 -> 16 us).
// `indexed by`: the (article_id, position, <id>) indexes of migration 0006 cover each relation, so a
// cold read (an article not in SQLite's page cache, most reads behind a CDN) reads one index page per
// relation instead of the primary key's index page and then the table page (8.1 -> 5.7 page reads per
// article at 1,000,000 articles); the planner, given statistics for the primary keys only, kept those.
const articleSql = (live: boolean) => `
  select a.id, a.slug, a.headline, a.standfirst, a.byline, a.hero_image as heroImage, a.published_at as publishedAt,
    a.created_at as createdAt, a.updated_at as updatedAt, s.slug as sectionSlug, s.name as sectionName, s.path as sectionPath,
    a.body, a.word_count as wordCount, a.section_id as sectionId, a.live,
    (select json_group_array(json_object('slug', au.slug, 'name', au.name, 'kind', au.kind, 'bio', au.bio, 'avatarUrl', au.avatar_url)
        order by aa.position, au.name)
      from article_authors aa indexed by article_authors_article_position_idx join authors au on au.id = aa.author_id where aa.article_id = a.id) as authors,
    (select json_group_array(json_object('slug', t.slug, 'name', t.name, 'type', t.type, 'description', t.description)
        order by at.position, t.name)
      from article_tags at indexed by article_tags_article_position_idx join tags t on t.id = at.tag_id where at.article_id = a.id) as tags,
    (select json_group_array(r.id order by ar.position)
      from article_related ar indexed by article_related_article_position_idx join articles r on r.id = ar.related_id
      where ar.article_id = a.id${live ? " and r.status = 'published' and r.published_at <= +:now" : ''}) as relatedIds,
    (with recursive chain(id, parent_id, depth) as (
        select a.section_id, s.parent_id, 0
        union all select p.id, p.parent_id, c.depth + 1 from sections p join chain c on p.id = c.parent_id)
      select json_group_array(json_object('slug', x.slug, 'name', x.name, 'path', x.path) order by c.depth desc)
      from chain c join sections x on x.id = c.id) as breadcrumbs
  from articles a join sections s on s.id = a.section_id
  where a.slug = +:slug${live ? " and a.status = 'published' and a.published_at <= +:now" : ''}`
const LIVE_ARTICLE = articleSql(true)
const ANY_ARTICLE = articleSql(false)

export type ArticleRow = SummaryRow & { body: string, wordCount: number, sectionId: number, live: number | null, authors: string, tags: string, relatedIds: string, breadcrumbs: string }

// The live article's row as the statement gives it (JSON columns still text), for the rendering fast path.
export function findLiveArticleRow (db: Db, slug: string, now: number): ArticleRow | undefined {
  return statement(db, LIVE_ARTICLE).get({ slug, now }) as ArticleRow | undefined
}

export function findArticleBySlug (db: Db, slug: string, { now, preview = false }: Visibility): (Article & { liveBlog?: boolean }) | undefined {
  const row = (preview ? statement(db, ANY_ARTICLE).get({ slug }) : statement(db, LIVE_ARTICLE).get({ slug, now })) as ArticleRow | undefined
  if (!row) return undefined
  // every writer stores a body it has validated with Body (API, WordPress import, demo seed)
  const article: Article & { liveBlog?: boolean } = toArticle(toSummary(row), {
    body: JSON.parse(row.body) as Block[],
    wordCount: row.wordCount,
    authors: JSON.parse(row.authors) as Article['authors'],
    tags: JSON.parse(row.tags) as Article['tags'],
    breadcrumbs: JSON.parse(row.breadcrumbs) as Article['breadcrumbs'],
    relatedIds: JSON.parse(row.relatedIds) as number[],
  })
  if (row.live !== null) article.liveBlog = row.live === 1
  return article
}
