// The views repository on SQLite: one prepared upsert per (article, hour) in the flush's
// transaction, and the ranking read from the covering index.
import { sql } from 'drizzle-orm'
import type { SqliteConn } from '../db/repositories.js'
import { statement } from '../db/statements.js'
import type { ViewCount, ViewsRepository } from './repository.js'

// the delivery invariant (see liveArticle) in a prepared statement: beacons are the busiest write path
const LIVE_STORY_IDS = `select slug, id from articles
  where slug in (select value from json_each(?)) and status = 'published' and published_at <= ?`
const ADD = `insert into page_views (article_id, hour, views)
  select :articleId, :hour, :views where exists (select 1 from articles where id = :articleId)
  on conflict (article_id, hour) do update set views = page_views.views + excluded.views`
const PRUNE = 'delete from page_views where hour < ?'
const LISTED = `select article_id as id from article_listings
  where section_id = ? and article_id in (select value from json_each(?))`

export function sqliteViewsRepository ({ db }: SqliteConn): ViewsRepository {
  return {
    async liveStoryIds (slugs, now) {
      const rows = statement(db, LIVE_STORY_IDS).raw().all(JSON.stringify(slugs), now) as Array<[string, number]>
      return new Map(rows)
    },
    async add (rows) {
      const add = statement(db, ADD)
      for (const row of rows) add.run(row)
    },
    async prune (beforeHour) {
      statement(db, PRUNE).run(beforeHour)
    },
    // Reads the window from the covering index page_views_hour_idx (hour, article_id, views); INDEXED BY
    // because when the window covers most rows the planner prefers the primary key to skip a sort.
    async mostViewed ({ fromHour, sectionId, limit, now, preview = false }) {
      return db.all<ViewCount>(sql`
        with counts as (
          select article_id, sum(views) as views from page_views indexed by page_views_hour_idx where hour >= ${fromHour} group by article_id
        )
        select c.article_id as articleId, c.views as views
        from counts c join articles a on a.id = c.article_id
        ${sectionId !== undefined ? sql`join article_listings l on l.article_id = c.article_id and l.section_id = ${sectionId}` : sql``}
        ${preview ? sql`` : sql`where a.status = 'published' and a.published_at <= ${now}`}
        order by c.views desc, coalesce(a.published_at, a.created_at) desc, a.id desc
        limit ${limit}`)
    },
    listedInSection: async (sectionId, ids) => statement(db, LISTED).pluck().all(sectionId, JSON.stringify(ids)) as number[],
  }
}
