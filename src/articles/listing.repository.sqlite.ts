// Keeps article_listings in step with an article: one row per section on the path from the
// article's section up to the top, only while the article is published. Call inside the write's
// transaction after every change to status, published_at or section.
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articleListings } from '../db/schema.js'

type Tx = Pick<Db, 'run' | 'delete'>

export function syncArticleListing (tx: Tx, articleId: number): void {
  tx.delete(articleListings).where(eq(articleListings.articleId, articleId)).run()
  tx.run(sql`
    with recursive chain(id, parent_id) as (
      select s.id, s.parent_id from sections s join articles a on a.section_id = s.id where a.id = ${articleId}
      union all
      select s.id, s.parent_id from sections s join chain c on s.id = c.parent_id
    )
    insert into article_listings (section_id, article_id, published_at)
    select chain.id, a.id, a.published_at from chain, articles a
    where a.id = ${articleId} and a.status = 'published' and a.published_at is not null`)
}

// After a section moves under another parent, every listing row of the articles under it is
// rebuilt (the set of ancestors changed).
export function rebuildListingsUnderSection (tx: Tx, sectionId: number): void {
  tx.run(sql`
    with recursive sub(id) as (
      select ${sectionId} union all select s.id from sections s join sub on s.parent_id = sub.id
    )
    delete from article_listings where article_id in (select a.id from articles a where a.section_id in (select id from sub))`)
  tx.run(sql`
    with recursive sub(id) as (
      select ${sectionId} union all select s.id from sections s join sub on s.parent_id = sub.id
    ),
    chain(article_id, section_id, published_at) as (
      select a.id, a.section_id, a.published_at from articles a
      where a.section_id in (select id from sub) and a.status = 'published' and a.published_at is not null
      union all
      select c.article_id, s.parent_id, c.published_at from chain c join sections s on s.id = c.section_id
      where s.parent_id is not null
    )
    insert into article_listings (section_id, article_id, published_at)
    select section_id, article_id, published_at from chain`)
}
