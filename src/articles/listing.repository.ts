// Keeps article_listings in step with an article: one row per section on the path from the
// article's section up to the top, only while the article is published. The same SQL on both
// engines (the neutral runner), used by both articles repositories (repos.articles.syncListing,
// rebuildListingsUnderSection) inside the write's transaction after every change to status,
// published_at or section, and by the test fixtures.
import type { SqlRunner } from '../db/sql-runner.js'

// article_listings for one article (`:id`)
export const SYNC_LISTING = [
  'delete from article_listings where article_id = :id',
  `with recursive chain(id, parent_id) as (
      select s.id, s.parent_id from sections s join articles a on a.section_id = s.id where a.id = :id
      union all
      select s.id, s.parent_id from sections s join chain c on s.id = c.parent_id
    )
    insert into article_listings (section_id, article_id, published_at)
    select chain.id, a.id, a.published_at from chain, articles a
    where a.id = :id and a.status = 'published' and a.published_at is not null`,
] as const

// After a section (`:sectionId`) moves under another parent, every listing row of the articles
// under it is rebuilt (the set of ancestors changed). The cast types the parameter for PostgreSQL.
export const REBUILD_UNDER_SECTION = [
  `with recursive sub(id) as (
      select cast(:sectionId as integer) union all select s.id from sections s join sub on s.parent_id = sub.id
    )
    delete from article_listings where article_id in (select a.id from articles a where a.section_id in (select id from sub))`,
  `with recursive sub(id) as (
      select cast(:sectionId as integer) union all select s.id from sections s join sub on s.parent_id = sub.id
    ),
    chain(article_id, section_id, published_at) as (
      select a.id, a.section_id, a.published_at from articles a
      where a.section_id in (select id from sub) and a.status = 'published' and a.published_at is not null
      union all
      select c.article_id, s.parent_id, c.published_at from chain c join sections s on s.id = c.section_id
      where s.parent_id is not null
    )
    insert into article_listings (section_id, article_id, published_at)
    select section_id, article_id, published_at from chain`,
] as const

export async function syncListing (sql: SqlRunner, articleId: number): Promise<void> {
  for (const text of SYNC_LISTING) await sql.run(text, { id: articleId })
}

export async function rebuildListingsUnderSection (sql: SqlRunner, sectionId: number): Promise<void> {
  for (const text of REBUILD_UNDER_SECTION) await sql.run(text, { sectionId })
}
