// Related articles for a story: editors' picks first, then candidates gathered from the tag and
// section indexes around the story (never a scan of all articles), ranked by scoring.ts. One
// implementation per engine (repository.sqlite.ts, repository.postgres.ts), reached as
// `store.repos.related`.
import type { Visibility } from '../articles/summaries.js'
import type { Story } from './scoring.js'
import type { RelatedArticle } from './schemas.js'

export type { Story } from './scoring.js'

export interface RelatedRepository {
  // The story with this slug; unpublished and future ones only with preview.
  findStory (slug: string, visibility: Visibility): Promise<Story | undefined>
  // Editor-chosen related articles first, in their order, then the best automatic ones; at most `limit`.
  findRelated (story: Story, limit: number, visibility: Visibility): Promise<RelatedArticle[]>
}
