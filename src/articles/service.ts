// The editorial workflow: create, edit, publish (now or scheduled), unpublish and delete, each one
// transaction that checks If-Match on the locked row, bumps the revision, stores it and keeps the
// listings in step (repos.articles.syncListing).
import type { Repositories } from '../db/repositories.js'
import type { Store } from '../db/store.js'
import { uniqueSlug, withSlugRetry } from '../db/unique-slug.js'
import { ifMatchAllows } from '../http/if-match.js'
import { conflict, invalidField, notFound, preconditionFailed } from '../http/problem.js'
import { articleEtag, type ArticleRow } from './management-repository.js'
import type { ArticleCreate, ArticleManagement, ArticlePatch } from './management-schemas.js'
import { countWords } from './word-count.js'
import { articleChangeKeys } from '../http/surrogate-keys.js'
import { articleData, emitArticleEvent, isLive } from '../webhooks/events.js'

export interface Actor {
  keyName: string | null
  now: number
  ifMatch?: string | undefined
}

// The article exists here (locked by the caller), so `*` always matches (http/if-match.ts).
function checkIfMatch (ifMatch: string | undefined, id: number, revision: number) {
  const current = articleEtag(id, revision)
  if (ifMatchAllows(ifMatch, current)) return
  throw preconditionFailed(
    `The article has changed since that ETag: it is now at revision ${revision} (ETag ${current}, also in this response's \`ETag\` header and on \`GET /v1/articles/${id}/revisions\`). Reapply the change to that revision.`,
    current)
}

// The row, locked until the transaction ends (a concurrent write with the same If-Match waits, then
// sees the new revision and gets 412)
async function lockArticle ({ articleManagement }: Repositories, id: number, ifMatch: string | undefined): Promise<ArticleRow> {
  const row = await articleManagement.row(id, true)
  if (!row) throw notFound('article', id)
  checkIfMatch(ifMatch, id, row.revision)
  return row
}

// wasLive: whether the public saw the article before this write (decides the webhook event)
async function saved (repos: Repositories, id: number, { keyName, now }: Actor, wasLive = false): Promise<ArticleManagement> {
  await repos.articles.syncListing(id)
  const article = (await repos.articleManagement.load(id, now))!
  await repos.articleManagement.storeRevision(article, keyName, now)
  await repos.sync.logArticles([id], now)
  const referrers = await repos.articleManagement.referrers(id)
  await repos.changes.record(articleChangeKeys(id, referrers))
  await emitArticleEvent(repos, wasLive, article.status === 'published', article, now, referrers)
  return article
}

async function slugFor ({ articleManagement }: Repositories, given: string | undefined, headline: string, exceptId?: number): Promise<string> {
  if (given === undefined) return uniqueSlug(headline, (slug) => articleManagement.slugTaken(slug, exceptId))
  if (await articleManagement.slugTaken(given, exceptId)) throw conflict(`Another article already has the slug "${given}".`)
  return given
}

async function resolveSection ({ articleManagement }: Repositories, path: string, field = 'body.section'): Promise<number> {
  const id = await articleManagement.sectionId(path)
  if (id === undefined) throw invalidField('body', field, `no section with path "${path}"`)
  return id
}

function duplicateCheck (values: readonly (string | number)[], field: string) {
  const seen = new Set<string | number>()
  values.forEach((value, i) => {
    if (seen.has(value)) throw invalidField('body', `${field}.${i}`, `"${value}" is listed twice`)
    seen.add(value)
  })
}

// Each list is checked entry by entry (the first bad entry is named) and then written whole: a bad
// entry aborts the surrounding transaction.
async function replaceTags ({ articleManagement }: Repositories, articleId: number, slugs: readonly string[]) {
  duplicateCheck(slugs, 'body.tags')
  const ids: number[] = []
  for (const [position, slug] of slugs.entries()) {
    const id = await articleManagement.tagId(slug)
    if (id === undefined) throw invalidField('body', `body.tags.${position}`, `no tag with slug "${slug}"`)
    ids.push(id)
  }
  await articleManagement.setTags(articleId, ids)
}

async function replaceAuthors ({ articleManagement }: Repositories, articleId: number, slugs: readonly string[]) {
  duplicateCheck(slugs, 'body.authors')
  const ids: number[] = []
  for (const [position, slug] of slugs.entries()) {
    const id = await articleManagement.authorId(slug)
    if (id === undefined) throw invalidField('body', `body.authors.${position}`, `no author with slug "${slug}"`)
    ids.push(id)
  }
  await articleManagement.setAuthors(articleId, ids)
}

async function replaceRelated ({ articleManagement }: Repositories, articleId: number, relatedIds: readonly number[]) {
  duplicateCheck(relatedIds, 'body.relatedIds')
  for (const [position, relatedId] of relatedIds.entries()) {
    const field = `body.relatedIds.${position}`
    if (relatedId === articleId) throw invalidField('body', field, 'an article cannot be related to itself')
    if (!await articleManagement.articleExists(relatedId)) throw invalidField('body', field, `no article with id ${relatedId}`)
  }
  await articleManagement.setRelated(articleId, relatedIds)
}

export function createArticle (store: Store, input: ArticleCreate, actor: Actor): Promise<ArticleManagement> {
  return withSlugRetry(input.slug === undefined, () => store.tx(async (repos) => {
    const sectionId = await resolveSection(repos, input.section)
    const id = await repos.articleManagement.insert({
      slug: await slugFor(repos, input.slug, input.headline),
      headline: input.headline,
      standfirst: input.standfirst ?? null,
      body: input.body,
      byline: input.byline ?? null,
      sectionId,
      heroImage: input.heroImage ?? null,
      wordCount: countWords(input.headline, input.standfirst, input.body),
      live: input.live === undefined ? null : input.live ? 1 : 0,
      createdAt: actor.now,
      updatedAt: actor.now,
    })
    await replaceTags(repos, id, input.tags)
    await replaceAuthors(repos, id, input.authors)
    await replaceRelated(repos, id, input.relatedIds)
    return saved(repos, id, actor)
  }))
}

export function patchArticle (store: Store, id: number, patch: ArticlePatch, actor: Actor): Promise<ArticleManagement> {
  return store.tx(async (repos) => {
    const row = await lockArticle(repos, id, actor.ifMatch)
    const headline = patch.headline ?? row.headline
    const standfirst = patch.standfirst === undefined ? row.standfirst : patch.standfirst
    const body = patch.body ?? row.body
    await repos.articleManagement.update(id, {
      ...(patch.slug !== undefined && patch.slug !== row.slug ? { slug: await slugFor(repos, patch.slug, headline, id) } : {}),
      headline,
      standfirst,
      body,
      ...(patch.byline !== undefined ? { byline: patch.byline } : {}),
      ...(patch.section !== undefined ? { sectionId: await resolveSection(repos, patch.section) } : {}),
      ...(patch.heroImage !== undefined ? { heroImage: patch.heroImage } : {}),
      wordCount: countWords(headline, standfirst, body),
      // live: true makes (or restarts) a live blog; false ends one (an ordinary article stays one)
      ...(patch.live !== undefined && (patch.live || row.live !== null) ? { live: patch.live ? 1 : 0 } : {}),
      revision: row.revision + 1,
      updatedAt: actor.now,
    })
    if (patch.tags) await replaceTags(repos, id, patch.tags)
    if (patch.authors) await replaceAuthors(repos, id, patch.authors)
    if (patch.relatedIds) await replaceRelated(repos, id, patch.relatedIds)
    return saved(repos, id, actor, isLive(row, actor.now))
  })
}

// Publish now, or at a future `at` (scheduled: delivery's "published_at <= now" shows it from that
// second on, no job needed). A first publication time that has passed is kept on republishing.
export async function publishArticle (store: Store, id: number, at: string | undefined, actor: Actor): Promise<ArticleManagement> {
  const { now } = actor
  const when = at === undefined ? undefined : Date.parse(at)
  if (when !== undefined && when <= now) throw invalidField('body', 'body.at', 'must be in the future; leave it out to publish now')
  return await store.tx(async (repos) => {
    const row = await lockArticle(repos, id, actor.ifMatch)
    const live = row.status === 'published' && row.publishedAt !== null && row.publishedAt <= now
    if (live && when === undefined) return (await repos.articleManagement.load(id, now))!
    if (live) throw conflict('The article is already live; unpublish it before scheduling it.')
    const everLive = row.firstPublishedAt !== null && row.firstPublishedAt <= now
    const publishedAt = when ?? (everLive ? row.firstPublishedAt! : now)
    await repos.articleManagement.update(id, {
      status: 'published',
      publishedAt,
      firstPublishedAt: everLive ? row.firstPublishedAt : publishedAt,
      revision: row.revision + 1,
      updatedAt: now,
    })
    return saved(repos, id, actor, live)
  })
}

export function unpublishArticle (store: Store, id: number, actor: Actor): Promise<ArticleManagement> {
  return store.tx(async (repos) => {
    const row = await lockArticle(repos, id, actor.ifMatch)
    if (row.status === 'draft') return (await repos.articleManagement.load(id, actor.now))!
    await repos.articleManagement.update(id, {
      status: 'draft',
      publishedAt: null,
      // a scheduled article that never went live has not been published yet
      firstPublishedAt: row.firstPublishedAt !== null && row.firstPublishedAt <= actor.now ? row.firstPublishedAt : null,
      revision: row.revision + 1,
      updatedAt: actor.now,
    })
    return saved(repos, id, actor, isLive(row, actor.now))
  })
}

export function deleteArticle (store: Store, id: number, actor: Actor): Promise<void> {
  return store.tx(async (repos) => {
    const row = await lockArticle(repos, id, actor.ifMatch)
    const before = isLive(row, actor.now) ? await repos.articleManagement.load(id, actor.now) : undefined
    const removal = await repos.sync.removal(id)
    await repos.articleManagement.delete(id)
    if (removal) await repos.sync.logRemoval(removal, actor.now)
    await repos.changes.record(articleChangeKeys(id, removal?.referrers ?? []))
    if (before) await repos.outbox.emit('article.deleted', articleData(before, removal?.referrers), actor.now)
  })
}
