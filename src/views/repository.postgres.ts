// The views repository on PostgreSQL. A flush is one statement whatever its size: the rows go as one
// JSON array (jsonb_to_recordset), upserted in key order so that nodes flushing at once lock the
// rows they share in the same order (no deadlock).
import type { PgConn } from '../db/postgres/store.js'
import type { ViewCount, ViewsRepository } from './repository.js'

// slugs from a JSON array, each looked up in the slug index (the elements compared in the column's "C")
const LIVE_STORY_IDS = `select slug, id from articles
  where slug in (select value collate "C" from jsonb_array_elements_text(:slugs::jsonb))
  and status = 'published' and published_at <= :now`
const ADD = `insert into page_views (article_id, hour, views)
  select r.a, r.h, r.v from jsonb_to_recordset(:rows::jsonb) as r(a int, h int, v int)
  where exists (select 1 from articles where id = r.a)
  order by r.a, r.h
  on conflict (article_id, hour) do update set views = page_views.views + excluded.views`
// Hours are bounded on both sides although one bound is always true: with a parameter, a one-sided
// range is estimated to keep a third of the table, so the generic plan every statement gets
// (db/postgres/connection.ts) would read all of page_views; a range is estimated narrow and walks
// page_views_hour_idx, as the custom plan for the last 24 hours did.
const PRUNE = 'delete from page_views where hour >= 0 and hour < :beforeHour'
const MAX_HOUR = 2 ** 31 - 1
const LISTED = `select article_id as id from article_listings
  where section_id = :sectionId and article_id in (select value::int from jsonb_array_elements_text(:ids::jsonb))`

const mostViewedSql = (section: boolean, preview: boolean) => `
  with counts as (
    select article_id, sum(views) as views from page_views where hour >= :fromHour and hour <= ${MAX_HOUR} group by article_id
  )
  select c.article_id as "articleId", c.views as views
  from counts c join articles a on a.id = c.article_id
  ${section ? 'join article_listings l on l.article_id = c.article_id and l.section_id = :sectionId' : ''}
  ${preview ? '' : 'where a.status = \'published\' and a.published_at <= :now'}
  order by c.views desc, coalesce(a.published_at, a.created_at) desc, a.id desc
  limit :limit`
const MOST_VIEWED = [false, true].map((section) => [false, true].map((preview) => mostViewedSql(section, preview)))

export function postgresViewsRepository ({ sql }: PgConn): ViewsRepository {
  return {
    // remembered per process by views/live-stories.ts
    liveStoryIds: async (slugs, now) =>
      new Map((await sql.all<{ slug: string, id: number }>(LIVE_STORY_IDS, { slugs, now })).map((r) => [r.slug, r.id])),
    async add (rows) {
      if (rows.length === 0) return
      await sql.run(ADD, { rows: rows.map((r) => ({ a: r.articleId, h: r.hour, v: r.views })) })
    },
    async prune (beforeHour) {
      // not bound by STATEMENT_TIMEOUT_MS (the flush's transaction only: SET LOCAL): after nodes
      // were down for days the first prune deletes days of buckets at once, and a cancelled prune
      // would fail every flush, the views piling up in memory
      await sql.run('set local statement_timeout = 0')
      await sql.run(PRUNE, { beforeHour })
    },
    async mostViewed ({ fromHour, sectionId, limit, now, preview = false }) {
      const text = MOST_VIEWED[Number(sectionId !== undefined)]![Number(preview)]!
      const params: Record<string, unknown> = { fromHour, limit }
      if (sectionId !== undefined) params.sectionId = sectionId
      if (!preview) params.now = now
      return await sql.all<ViewCount>(text, params)
    },
    listedInSection: async (sectionId, ids) =>
      (await sql.all<{ id: number }>(LISTED, { sectionId, ids })).map((r) => r.id),
  }
}
