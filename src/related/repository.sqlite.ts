// Related articles on SQLite: the tuned reads (drizzle, synchronous) behind the async interface
// (findStory and findRelated stay exported for bench/module-plans.ts, which checks their plans).
import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { sectionDescendantIds } from '../articles/list.repository.sqlite.js'
import type { Visibility } from '../articles/summaries.js'
import { findSummariesByIds, liveArticle } from '../articles/summaries.repository.sqlite.js'
import type { Db } from '../db/connection.js'
import type { SqliteConn } from '../db/repositories.js'
import { articleRelated, articles, articleTags, sections, tags } from '../db/schema.js'
import type { RelatedRepository } from './repository.js'
import { DF_CAP, gather, MAX_TAGS, PER_SECTION, PER_TAG, rank, tagWeight, type Candidate, type CandidateRow, type Story } from './scoring.js'
import type { RelatedArticle } from './schemas.js'

export function sqliteRelatedRepository ({ db }: SqliteConn): RelatedRepository {
  return {
    findStory: async (slug, visibility) => findStory(db, slug, visibility),
    findRelated: async (story, limit, visibility) => findRelated(db, story, limit, visibility),
  }
}

export function findStory (db: Db, slug: string, { now, preview = false }: Visibility): Story | undefined {
  const row = db.select({ id: articles.id, sectionId: articles.sectionId, publishedAt: articles.publishedAt, createdAt: articles.createdAt })
    .from(articles).where(and(eq(articles.slug, slug), preview ? undefined : liveArticle(now))).get()
  return row && { id: row.id, sectionId: row.sectionId, time: row.publishedAt ?? row.createdAt }
}

// Article ids grow with time, so the tag index (tag_id, article_id) read outwards from the story's
// id gives the tagged articles nearest to it in time; each read stops after `limit` live rows.
function taggedAround (db: Db, tagId: number, story: Story, visible: SQL | undefined) {
  const read = (direction: 'older' | 'newer', limit: number) => db.all<CandidateRow>(sql`
    select a.id as id, a.section_id as sectionId, coalesce(a.published_at, a.created_at) as time
    from ${articleTags} at join ${articles} a on a.id = at.article_id
    where at.tag_id = ${tagId} and ${direction === 'older' ? sql`at.article_id < ${story.id}` : sql`at.article_id > ${story.id}`}
      ${visible ? sql`and ${visible}` : sql``}
    order by at.article_id ${direction === 'older' ? sql`desc` : sql`asc`} limit ${limit}`)
  return [...read('older', PER_TAG), ...read('newer', PER_TAG / 2)]
}

// Reads the section listing (section and all descendants, by publication time) on both sides of
// the story's publication time.
function listedAround (db: Db, sectionId: number, story: Story, now: number, limit: number) {
  const read = (direction: 'older' | 'newer', count: number) => db.all<CandidateRow>(sql`
    select a.id as id, a.section_id as sectionId, a.published_at as time
    from article_listings l join ${articles} a on a.id = l.article_id
    where l.section_id = ${sectionId} and a.status = 'published'
      and ${direction === 'older' ? sql`l.published_at <= ${story.time}` : sql`l.published_at > ${story.time} and l.published_at <= ${now}`}
    order by l.published_at ${direction === 'older' ? sql`desc` : sql`asc`}, l.article_id ${direction === 'older' ? sql`desc` : sql`asc`}
    limit ${count}`)
  return [...read('older', limit), ...read('newer', limit / 2)]
}

export function findRelated (db: Db, story: Story, limit: number, visibility: Visibility): RelatedArticle[] {
  const { now, preview = false } = visibility
  const visible = preview ? undefined : sql`a.status = 'published' and a.published_at <= ${now}`
  const editorIds = db.select({ id: articleRelated.relatedId }).from(articleRelated)
    .where(eq(articleRelated.articleId, story.id)).orderBy(asc(articleRelated.position)).all()
    .map((row) => row.id).filter((id) => id !== story.id)
  const picked = findSummariesByIds(db, [...new Set(editorIds)], visibility).slice(0, limit)
    .map((summary): RelatedArticle => ({ ...summary, reason: { kind: 'editor' } }))
  if (picked.length >= limit) return picked

  const storyTags = db.select({ id: tags.id, slug: tags.slug }).from(articleTags)
    .innerJoin(tags, eq(tags.id, articleTags.tagId))
    .where(eq(articleTags.articleId, story.id)).orderBy(asc(articleTags.position)).limit(MAX_TAGS).all()
  // corpus size for tag rarity: max(id) is one index probe, and close enough to the row count
  const total = db.get<{ n: number | null }>(sql`select max(id) as n from ${articles}`)?.n ?? 1
  const weight = new Map(storyTags.map((tag) => {
    const df = db.get<{ n: number }>(sql`select count(*) as n from (select 1 from ${articleTags} where tag_id = ${tag.id} limit ${DF_CAP})`)?.n ?? 1
    return [tag.id, tagWeight(total, df)]
  }))

  const pool = new Map<number, Candidate>()
  for (const tag of storyTags) gather(pool, taggedAround(db, tag.id, story, visible), tag.id)
  gather(pool, listedAround(db, story.sectionId, story, now, PER_SECTION))
  const parent = db.select({ parentId: sections.parentId }).from(sections).where(eq(sections.id, story.sectionId)).get()?.parentId
  const parentFamily = new Set(parent != null ? sectionDescendantIds(db, parent) : [])
  if (parent != null) gather(pool, listedAround(db, parent, story, now, PER_SECTION / 2))

  const scored = rank({ story, storyTags, weight, pool, parentFamily, excluded: new Set([story.id, ...picked.map((p) => p.id)]), limit: limit - picked.length })
  const reasons = new Map(scored.map((c) => [c.id, c.reason]))
  const automatic = findSummariesByIds(db, scored.map((c) => c.id), visibility)
    .map((summary): RelatedArticle => ({ ...summary, reason: reasons.get(summary.id)! }))
  return [...picked, ...automatic]
}
