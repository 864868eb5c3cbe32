// Related articles' ranking, the same on every engine: candidates gathered by the repository from
// the tag and section indexes around the story are scored (shared tags weighted by rarity, plus
// section, scaled by closeness in time to the story) and ordered deterministically.
import type { RelatedReason } from './schemas.js'

// Per tag (and per section), how many live articles on each side of the story are considered.
export const PER_TAG = 60
export const PER_SECTION = 60
export const MAX_TAGS = 12
// Tag frequency is counted up to this many articles: beyond it a tag says nothing anyway.
export const DF_CAP = 100_000
const SAME_SECTION = 1.0
const PARENT_SECTION = 0.4
const DAY_MS = 86_400_000

export interface Story {
  id: number
  sectionId: number
  time: number
}

export interface CandidateRow { id: number, sectionId: number, time: number }
export interface Candidate extends CandidateRow { tags: Set<number> }
export interface StoryTag { id: number, slug: string }

export function gather (pool: Map<number, Candidate>, rows: readonly CandidateRow[], tagId?: number): void {
  for (const row of rows) {
    const candidate = pool.get(row.id) ?? { ...row, tags: new Set<number>() }
    if (tagId !== undefined) candidate.tags.add(tagId)
    pool.set(row.id, candidate)
  }
}

// The weight of a tag: the rarer in the corpus (`total` articles), the more it says.
export const tagWeight = (total: number, df: number): number => Math.log(1 + total / Math.max(1, df))

export interface Ranking {
  story: Story
  storyTags: readonly StoryTag[]
  weight: ReadonlyMap<number, number>
  pool: ReadonlyMap<number, Candidate>
  // the sections under the story's parent section
  parentFamily: ReadonlySet<number>
  excluded: ReadonlySet<number>
  limit: number
}

// The best `limit` candidates with the reason each is there, best first (ties: later, then higher id).
export function rank ({ story, storyTags, weight, pool, parentFamily, excluded, limit }: Ranking): Array<{ id: number, reason: RelatedReason }> {
  const slugs = new Map(storyTags.map((tag) => [tag.id, tag.slug]))
  return [...pool.values()].filter((c) => !excluded.has(c.id)).map((c) => {
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
    .slice(0, limit)
    .map(({ id, reason }) => ({ id, reason }))
}

const round = (n: number) => Math.round(n * 10_000) / 10_000
