// Related articles on PostgreSQL: the reads of repository.sqlite.ts in one dialect both engines
// share (prepared by the runner), the independent ones sent together; ranked by scoring.ts.
import { postgresArticlesRepository } from '../articles/repository.postgres.js'
import type { Visibility } from '../articles/summaries.js'
import type { PgConn } from '../db/postgres/store.js'
import type { RelatedRepository } from './repository.js'
import { DF_CAP, gather, MAX_TAGS, PER_SECTION, PER_TAG, rank, tagWeight, type Candidate, type CandidateRow, type Story, type StoryTag } from './scoring.js'
import type { RelatedArticle } from './schemas.js'

const LIVE = 'a.status = \'published\' and a.published_at <= :now'
const STORY = 'select a.id, a.section_id as "sectionId", coalesce(a.published_at, a.created_at) as time from articles a where a.slug = :slug'
const EDITOR_IDS = 'select related_id as id from article_related where article_id = :id order by position, related_id'
const STORY_TAGS = `select t.id, t.slug from article_tags at join tags t on t.id = at.tag_id
  where at.article_id = :id order by at.position, at.tag_id limit ${MAX_TAGS}`
const TOTAL = 'select max(id) as n from articles'
const DF = `select count(*) as n from (select 1 from article_tags where tag_id = :tagId limit ${DF_CAP}) x`
const PARENT = 'select parent_id as "parentId" from sections where id = :id'

// tagged articles on each side of the story's id (ids grow with time), nearest first. Each tagged
// article is read by primary key (the lateral subquery): a generic plan may otherwise merge-join the
// tag's rows with every article from the newest down to the story.
const tagged = (direction: 'older' | 'newer', live: boolean) => `
  select a.id, a.section_id as "sectionId", coalesce(a.published_at, a.created_at) as time
  from article_tags at cross join lateral (
    select id, section_id, status, published_at, created_at from articles where id = at.article_id offset 0) a
  where at.tag_id = :tagId and at.article_id ${direction === 'older' ? '<' : '>'} :storyId${live ? ` and ${LIVE}` : ''}
  order by at.article_id ${direction === 'older' ? 'desc' : 'asc'} limit :limit`

// the section listing (section and all descendants) on each side of the story's publication time
const listed = (direction: 'older' | 'newer') => `
  select a.id, a.section_id as "sectionId", a.published_at as time
  from article_listings l join articles a on a.id = l.article_id
  where l.section_id = :sectionId and a.status = 'published'
    and ${direction === 'older' ? 'l.published_at <= :time' : 'l.published_at > :time and l.published_at <= :now'}
  order by l.published_at ${direction === 'older' ? 'desc' : 'asc'}, l.article_id ${direction === 'older' ? 'desc' : 'asc'}
  limit :limit`

export function postgresRelatedRepository (conn: PgConn): RelatedRepository {
  const { sql } = conn
  const articles = postgresArticlesRepository(conn)

  const taggedAround = async (tagId: number, story: Story, { now, preview = false }: Visibility) => {
    const [older, newer] = await Promise.all([
      sql.all<CandidateRow>(tagged('older', !preview), { tagId, storyId: story.id, limit: PER_TAG, ...preview ? {} : { now } }),
      sql.all<CandidateRow>(tagged('newer', !preview), { tagId, storyId: story.id, limit: PER_TAG / 2, ...preview ? {} : { now } }),
    ])
    return [...older, ...newer]
  }
  const listedAround = async (sectionId: number, story: Story, now: number, limit: number) => {
    const [older, newer] = await Promise.all([
      sql.all<CandidateRow>(listed('older'), { sectionId, time: story.time, limit }),
      sql.all<CandidateRow>(listed('newer'), { sectionId, time: story.time, now, limit: limit / 2 }),
    ])
    return [...older, ...newer]
  }

  return {
    async findStory (slug, { now, preview = false }) {
      return preview ? await sql.get<Story>(STORY, { slug }) : await sql.get<Story>(`${STORY} and ${LIVE}`, { slug, now })
    },

    async findRelated (story, limit, visibility) {
      const { now } = visibility
      const editorIds = (await sql.all<{ id: number }>(EDITOR_IDS, { id: story.id })).map((row) => row.id).filter((id) => id !== story.id)
      const picked = (await articles.summariesByIds([...new Set(editorIds)], visibility)).slice(0, limit)
        .map((summary): RelatedArticle => ({ ...summary, reason: { kind: 'editor' } }))
      if (picked.length >= limit) return picked

      const [storyTags, total, parent, nearby] = await Promise.all([
        sql.all<StoryTag>(STORY_TAGS, { id: story.id }),
        // corpus size for tag rarity: max(id) is one index probe, and close enough to the row count
        sql.get<{ n: number | null }>(TOTAL).then((row) => row?.n ?? 1),
        sql.get<{ parentId: number | null }>(PARENT, { id: story.sectionId }).then((row) => row?.parentId ?? null),
        listedAround(story.sectionId, story, now, PER_SECTION),
      ])
      const [perTag, parentFamily, nearParent] = await Promise.all([
        Promise.all(storyTags.map(async (tag) => {
          const [df, rows] = await Promise.all([sql.get<{ n: number }>(DF, { tagId: tag.id }), taggedAround(tag.id, story, visibility)])
          return { weight: tagWeight(total, df?.n ?? 1), rows }
        })),
        parent === null ? [] : articles.sectionDescendantIds(parent),
        parent === null ? [] : listedAround(parent, story, now, PER_SECTION / 2),
      ])

      const weight = new Map(storyTags.map((tag, i) => [tag.id, perTag[i]!.weight]))
      const pool = new Map<number, Candidate>()
      storyTags.forEach((tag, i) => gather(pool, perTag[i]!.rows, tag.id))
      gather(pool, nearby)
      gather(pool, nearParent)

      const scored = rank({ story, storyTags, weight, pool, parentFamily: new Set(parentFamily), excluded: new Set([story.id, ...picked.map((p) => p.id)]), limit: limit - picked.length })
      const reasons = new Map(scored.map((c) => [c.id, c.reason]))
      const automatic = (await articles.summariesByIds(scored.map((c) => c.id), visibility))
        .map((summary): RelatedArticle => ({ ...summary, reason: reasons.get(summary.id)! }))
      return [...picked, ...automatic]
    },
  }
}
