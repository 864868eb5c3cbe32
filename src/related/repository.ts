// Related articles: editors' picks first, then candidates gathered from the tag and section indexes
// around the story (never a scan of all articles), scored and ordered deterministically.
import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import { sectionDescendantIds } from '../articles/list-query.js'
import { findSummariesByIds, liveArticle, type Visibility } from '../articles/summaries.js'
import type { Db } from '../db/connection.js'
import { articleRelated, articles, articleTags, sections, tags } from '../db/schema.js'
import type { RelatedArticle, RelatedReason } from './schemas.js'

// Per tag (and per section), how many live articles on each side of the story are considered.
const PER_TAG = 60
const PER_SECTION = 60
const MAX_TAGS = 12
// Tag frequency is counted up to this many articles: beyond it a tag says nothing anyway.
const DF_CAP = 100_000
const SAME_SECTION = 1.0
const PARENT_SECTION = 0.4
const DAY_MS = 86_400_000

export interface Story {
  id: number
  sectionId: number
  time: number
}

export function findStory (db: Db, slug: string, { now, preview = false }: Visibility): Story | undefined {
  const row = db.select({ id: articles.id, sectionId: articles.sectionId, publishedAt: articles.publishedAt, createdAt: articles.createdAt })
    .from(articles).where(and(eq(articles.slug, slug), preview ? undefined : liveArticle(now))).get()
  return row && { id: row.id, sectionId: row.sectionId, time: row.publishedAt ?? row.createdAt }
}

interface Candidate { id: number, sectionId: number, time: number, tags: Set<number> }

function gather (pool: Map<number, Candidate>, rows: Array<{ id: number, sectionId: number, time: number }>, tagId?: number) {
  for (const row of rows) {
    const candidate = pool.get(row.id) ?? { ...row, tags: new Set<number>() }
    if (tagId !== undefined) candidate.tags.add(tagId)
    pool.set(row.id, candidate)
  }
}

// Article ids grow with time, so the tag index (tag_id, article_id) read outwards from the story's
// id gives the tagged articles nearest to it in time; each read stops after `limit` live rows.
function taggedAround (db: Db, tagId: number, story: Story, visible: SQL | undefined) {
  const read = (direction: 'older' | 'newer', limit: number) => db.all<{ id: number, sectionId: number, time: number }>(sql`
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
  const read = (direction: 'older' | 'newer', count: number) => db.all<{ id: number, sectionId: number, time: number }>(sql`
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
    return [tag.id, Math.log(1 + total / Math.max(1, df))]
  }))

  const pool = new Map<number, Candidate>()
  for (const tag of storyTags) gather(pool, taggedAround(db, tag.id, story, visible), tag.id)
  gather(pool, listedAround(db, story.sectionId, story, now, PER_SECTION))
  const parent = db.select({ parentId: sections.parentId }).from(sections).where(eq(sections.id, story.sectionId)).get()?.parentId
  const parentFamily = new Set(parent != null ? sectionDescendantIds(db, parent) : [])
  if (parent != null) gather(pool, listedAround(db, parent, story, now, PER_SECTION / 2))

  const excluded = new Set([story.id, ...picked.map((p) => p.id)])
  const slugs = new Map(storyTags.map((tag) => [tag.id, tag.slug]))
  const scored = [...pool.values()].filter((c) => !excluded.has(c.id)).map((c) => {
    const shared = [...c.tags].sort((x, y) => weight.get(y)! - weight.get(x)! || slugs.get(x)!.localeCompare(slugs.get(y)!))
    const tagScore = shared.reduce((sum, id) => sum + weight.get(id)!, 0)
    const sectionScore = c.sectionId === story.sectionId ? SAME_SECTION : parentFamily.has(c.sectionId) ? PARENT_SECTION : 0
    // closeness in time to the story (not to now): a month apart halves the score
    const proximity = 1 / (1 + Math.abs(c.time - story.time) / (30 * DAY_MS))
    const score = (tagScore + sectionScore) * proximity
    const reason: RelatedReason = shared.length > 0
      ? { kind: 'tags', tags: shared.map((id) => slugs.get(id)!), score: round(score) }
      : { kind: 'section', score: round(score) }
    return { id: c.id, time: c.time, score, reason }
  }).filter((c) => c.score > 0)
    .sort((x, y) => y.score - x.score || y.time - x.time || y.id - x.id)
    .slice(0, limit - picked.length)

  const reasons = new Map(scored.map((c) => [c.id, c.reason]))
  const automatic = findSummariesByIds(db, scored.map((c) => c.id), visibility)
    .map((summary): RelatedArticle => ({ ...summary, reason: reasons.get(summary.id)! }))
  return [...picked, ...automatic]
}

const round = (n: number) => Math.round(n * 10_000) / 10_000
