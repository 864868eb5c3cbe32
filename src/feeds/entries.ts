// A feed's scope (site, section with its descendants, tag) and its latest live entries, read
// through the store's repositories.
import type { Repositories } from '../db/repositories.js'
import { notFound } from '../http/problem.js'
import type { FeedEntry, FeedScope } from './repository.js'

export async function findSectionScope (repos: Repositories, path: string): Promise<FeedScope> {
  const section = await repos.feeds.findSection(path)
  if (!section) throw notFound('section', path)
  const all = await repos.articles.sectionDescendantIds(section.id)
  return { kind: 'section', path: section.path, name: section.name, description: section.description, updatedAt: section.updatedAt, filters: { sectionIds: { root: section.id, all } } }
}

export async function findTagScope (repos: Repositories, slug: string): Promise<FeedScope> {
  const tag = await repos.feeds.findTag(slug)
  if (!tag) throw notFound('tag', slug)
  return { kind: 'tag', slug: tag.slug, name: tag.name, description: tag.description, updatedAt: tag.updatedAt, filters: { tagIds: [tag.id] } }
}

// Latest first, live only (the articles list enforces it); bodies are loaded only for full-text feeds.
export async function listFeedEntries (repos: Repositories, scope: FeedScope, options: { limit: number, now: number, withBody: boolean }): Promise<FeedEntry[]> {
  const filters = scope.kind === 'site' ? {} : scope.filters
  const summaries = (await repos.articles.list(filters, { limit: options.limit }, { now: options.now })).data
  if (summaries.length === 0) return []
  const extras = await repos.feeds.extras(summaries.map((s) => s.id), options.withBody)
  const byId = new Map(extras.articles.map((row) => [row.id, row]))
  return summaries.map((summary) => {
    const extra = byId.get(summary.id)
    return {
      summary,
      createdAt: extra?.createdAt ?? Date.parse(summary.publishedAt),
      authors: extras.authors.filter((r) => r.articleId === summary.id).map((r) => r.name),
      tags: extras.tags.filter((r) => r.articleId === summary.id).map(({ slug, name }) => ({ slug, name })),
      body: options.withBody && extra ? extra.body : null,
    }
  })
}
