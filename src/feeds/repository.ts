// Feed data: the scope (site, section with descendants, tag) and the extras a feed entry needs
// beyond an article summary (creation time for the GUID, authors, tags, body). The latest live
// articles themselves come from the shared articles repository (`repos.articles.list`).
// repository.sqlite.ts and repository.postgres.ts implement it; reached as `store.repos.feeds`.
import type { ArticleFilters } from '../articles/list-query.js'
import type { ArticleSummary, Block } from '../articles/schemas.js'

export type FeedScope =
  | { kind: 'site' }
  | { kind: 'section', path: string, name: string, description: string | null, updatedAt: number, filters: ArticleFilters }
  | { kind: 'tag', slug: string, name: string, description: string | null, updatedAt: number, filters: ArticleFilters }

export interface FeedEntry {
  summary: ArticleSummary
  createdAt: number
  authors: string[]
  tags: Array<{ slug: string, name: string }>
  body: Block[] | null
}

export interface FeedTopic { id: number, name: string, description: string | null, updatedAt: number }
export interface FeedSection extends FeedTopic { path: string }
export interface FeedTag extends FeedTopic { slug: string }

export interface FeedExtras {
  // creation time and (only when asked for) the body, by article id
  articles: Array<{ id: number, createdAt: number, body: Block[] | null }>
  // in each article's byline order
  authors: Array<{ articleId: number, name: string }>
  // in each article's tag order
  tags: Array<{ articleId: number, slug: string, name: string }>
}

export interface FeedsRepository {
  findSection (path: string): Promise<FeedSection | undefined>
  findTag (slug: string): Promise<FeedTag | undefined>
  extras (articleIds: readonly number[], withBody: boolean): Promise<FeedExtras>
}

// A stored body (JSON text on SQLite, jsonb on PostgreSQL) as blocks; anything else is no blocks.
export function parseBody (raw: unknown): Block[] {
  let parsed = raw
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw)
    } catch {
      return []
    }
  }
  return Array.isArray(parsed) ? parsed as Block[] : []
}
