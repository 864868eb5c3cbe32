// The editorial workflow: create, edit, publish (now or scheduled), unpublish and delete, each one
// transaction that checks If-Match, bumps the revision, stores it and keeps the listings in step.
import { eq } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articles } from '../db/schema.js'
import { uniqueSlug } from '../db/unique-slug.js'
import { ifMatchAllows } from '../http/if-match.js'
import { conflict, invalidField, notFound, preconditionFailed } from '../http/problem.js'
import { syncArticleListing } from './listing.js'
import {
  articleEtag, findArticleRow, isSlugTaken, loadArticle, replaceAuthors, replaceRelated, replaceTags,
  resolveSection, storeRevision, type Conn,
} from './management-repository.js'
import type { ArticleCreate, ArticleManagement, ArticlePatch } from './management-schemas.js'
import type { Block } from './schemas.js'
import { countWords } from './word-count.js'

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

function lockArticle (tx: Conn, id: number, ifMatch: string | undefined) {
  const row = findArticleRow(tx, id)
  if (!row) throw notFound('article', id)
  checkIfMatch(ifMatch, id, row.revision)
  return row
}

function saved (tx: Conn, id: number, { keyName, now }: Actor): ArticleManagement {
  syncArticleListing(tx, id)
  const article = loadArticle(tx, id, now)!
  storeRevision(tx, article, keyName, now)
  return article
}

function slugFor (tx: Conn, given: string | undefined, headline: string, exceptId?: number): string {
  if (given === undefined) return uniqueSlug(headline, (slug) => isSlugTaken(tx, slug, exceptId))
  if (isSlugTaken(tx, given, exceptId)) throw conflict(`Another article already has the slug "${given}".`)
  return given
}

export function createArticle (db: Db, input: ArticleCreate, actor: Actor): ArticleManagement {
  return db.transaction((tx) => {
    const sectionId = resolveSection(tx, input.section)
    const { id } = tx.insert(articles).values({
      slug: slugFor(tx, input.slug, input.headline),
      headline: input.headline,
      standfirst: input.standfirst ?? null,
      body: JSON.stringify(input.body),
      byline: input.byline ?? null,
      sectionId,
      heroImage: input.heroImage ? JSON.stringify(input.heroImage) : null,
      status: 'draft',
      wordCount: countWords(input.headline, input.standfirst, input.body),
      revision: 1,
      createdAt: actor.now,
      updatedAt: actor.now,
    }).returning({ id: articles.id }).get()
    replaceTags(tx, id, input.tags)
    replaceAuthors(tx, id, input.authors)
    replaceRelated(tx, id, input.relatedIds)
    return saved(tx, id, actor)
  })
}

export function patchArticle (db: Db, id: number, patch: ArticlePatch, actor: Actor): ArticleManagement {
  return db.transaction((tx) => {
    const row = lockArticle(tx, id, actor.ifMatch)
    const headline = patch.headline ?? row.headline
    const standfirst = patch.standfirst === undefined ? row.standfirst : patch.standfirst
    const body = patch.body ?? JSON.parse(row.body) as Block[]
    tx.update(articles).set({
      ...(patch.slug !== undefined && patch.slug !== row.slug ? { slug: slugFor(tx, patch.slug, headline, id) } : {}),
      headline,
      standfirst,
      body: JSON.stringify(body),
      ...(patch.byline !== undefined ? { byline: patch.byline } : {}),
      ...(patch.section !== undefined ? { sectionId: resolveSection(tx, patch.section) } : {}),
      ...(patch.heroImage !== undefined ? { heroImage: patch.heroImage ? JSON.stringify(patch.heroImage) : null } : {}),
      wordCount: countWords(headline, standfirst, body),
      revision: row.revision + 1,
      updatedAt: actor.now,
    }).where(eq(articles.id, id)).run()
    if (patch.tags) replaceTags(tx, id, patch.tags)
    if (patch.authors) replaceAuthors(tx, id, patch.authors)
    if (patch.relatedIds) replaceRelated(tx, id, patch.relatedIds)
    return saved(tx, id, actor)
  })
}

// Publish now, or at a future `at` (scheduled: delivery's "published_at <= now" shows it from that
// second on, no job needed). A first publication time that has passed is kept on republishing.
export function publishArticle (db: Db, id: number, at: string | undefined, actor: Actor): ArticleManagement {
  const { now } = actor
  const when = at === undefined ? undefined : Date.parse(at)
  if (when !== undefined && when <= now) throw invalidField('body', 'body.at', 'must be in the future; leave it out to publish now')
  return db.transaction((tx) => {
    const row = lockArticle(tx, id, actor.ifMatch)
    const live = row.status === 'published' && row.publishedAt !== null && row.publishedAt <= now
    if (live && when === undefined) return loadArticle(tx, id, now)!
    if (live) throw conflict('The article is already live; unpublish it before scheduling it.')
    const everLive = row.firstPublishedAt !== null && row.firstPublishedAt <= now
    const publishedAt = when ?? (everLive ? row.firstPublishedAt! : now)
    tx.update(articles).set({
      status: 'published',
      publishedAt,
      firstPublishedAt: everLive ? row.firstPublishedAt : publishedAt,
      revision: row.revision + 1,
      updatedAt: now,
    }).where(eq(articles.id, id)).run()
    return saved(tx, id, actor)
  })
}

export function unpublishArticle (db: Db, id: number, actor: Actor): ArticleManagement {
  return db.transaction((tx) => {
    const row = lockArticle(tx, id, actor.ifMatch)
    if (row.status === 'draft') return loadArticle(tx, id, actor.now)!
    tx.update(articles).set({
      status: 'draft',
      publishedAt: null,
      // a scheduled article that never went live has not been published yet
      firstPublishedAt: row.firstPublishedAt !== null && row.firstPublishedAt <= actor.now ? row.firstPublishedAt : null,
      revision: row.revision + 1,
      updatedAt: actor.now,
    }).where(eq(articles.id, id)).run()
    return saved(tx, id, actor)
  })
}

export function deleteArticle (db: Db, id: number, actor: Actor): void {
  db.transaction((tx) => {
    lockArticle(tx, id, actor.ifMatch)
    tx.delete(articles).where(eq(articles.id, id)).run()
  })
}
