// Which event a write emits (repos.outbox.emit, in the write's transaction). An article event
// follows what the public sees: not live -> live is article.published, live -> live
// article.updated, live -> not live article.unpublished, a live article deleted article.deleted.
// Drafts and scheduled articles changing out of sight emit nothing (a scheduled article emits
// article.published when it goes live: dispatcher.ts). Other records emit <kind>.changed.
import type { Repositories } from '../db/repositories.js'
import { articleChangeKeys } from '../http/surrogate-keys.js'
import type { EventType } from './repository.js'

export const isLive = (row: { status: string, publishedAt: number | null }, now: number) =>
  row.status === 'published' && row.publishedAt !== null && row.publishedAt <= now

interface ArticleShape { id: number, slug: string, url: string, section: { path: string } }

// `referrers`: the articles listing this one as related (their cached answers change too)
export async function emitArticleEvent (repos: Repositories, wasLive: boolean, nowLive: boolean, article: ArticleShape, now: number, referrers: readonly number[] = []): Promise<void> {
  const type: EventType | null = wasLive
    ? (nowLive ? 'article.updated' : 'article.unpublished')
    : (nowLive ? 'article.published' : null)
  if (type) await repos.outbox.emit(type, articleData(article, referrers), now)
}

export const articleData = (article: ArticleShape, referrers: readonly number[] = []) => ({
  id: article.id, slug: article.slug, url: article.url, section: article.section.path, surrogateKeys: articleChangeKeys(article.id, referrers),
})
