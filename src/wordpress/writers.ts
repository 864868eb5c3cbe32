// Upserts of imported WordPress records: categories as sections (by path), tags and authors (by
// slug), posts as articles (by external id). Each runs inside the caller's transaction.
import { and, eq, ne } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articleAuthors, articles, articleTags, authors, sections, tags } from '../db/schema.js'
import { syncArticleListing } from '../articles/listing.js'
import type { PreparedArticle } from './post-mapping.js'
import type { WxrAuthor, WxrCategory, WxrTag } from './wxr-reader.js'
import { toSlug } from './text.js'

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export interface KindCounts { created: number, updated: number, skipped: number }

export const DEFAULT_SECTION = 'uncategorized'

function uniqueValue (base: string, taken: (candidate: string) => boolean, max = 200): string {
  if (!taken(base)) return base
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = `${base.slice(0, max - suffix.length).replace(/-$/, '')}${suffix}`
    if (!taken(candidate)) return candidate
  }
}

// Categories may name parents that come later in the file, that do not exist, or that form a
// loop; paths are resolved over the whole set first, and broken links end at the top level.
export function writeSections (tx: Tx, categories: WxrCategory[], now: number, counts: KindCounts, warn: (m: string) => void): Map<string, number> {
  const byNicename = new Map(categories.map((c) => [c.nicename, c]))
  const resolved = new Map<string, { path: string, parent: string | null, depth: number }>()
  const takenPaths = new Set<string>()
  const resolve = (c: WxrCategory, trail: Set<string>): { path: string, parent: string | null, depth: number } => {
    const done = resolved.get(c.nicename)
    if (done) return done
    let parent = c.parent ? byNicename.get(c.parent) ?? null : null
    if (c.parent && !parent) warn(`category "${c.nicename}": parent "${c.parent}" not in the export, placed at the top level`)
    if (parent && (trail.has(parent.nicename) || parent.nicename === c.nicename)) {
      warn(`category "${c.nicename}": parent loop through "${parent.nicename}", placed at the top level`)
      parent = null
    }
    const up = parent ? resolve(parent, new Set([...trail, c.nicename])) : null
    const slug = toSlug(c.nicename) || toSlug(c.name) || `section-${c.termId ?? resolved.size + 1}`
    const path = uniqueValue(up ? `${up.path}/${slug}` : slug, (p) => takenPaths.has(p), 400)
    takenPaths.add(path)
    const entry = { path, parent: parent?.nicename ?? null, depth: up ? up.depth + 1 : 0 }
    resolved.set(c.nicename, entry)
    return entry
  }
  for (const c of categories) resolve(c, new Set())

  const ids = new Map<string, number>()
  const ordered = [...categories].sort((a, b) => resolved.get(a.nicename)!.depth - resolved.get(b.nicename)!.depth)
  ordered.forEach((c, position) => {
    const { path, parent } = resolved.get(c.nicename)!
    const values = { name: c.name, description: c.description || null, updatedAt: now }
    const existing = tx.select({ id: sections.id }).from(sections).where(eq(sections.path, path)).get()
    if (existing) {
      tx.update(sections).set(values).where(eq(sections.id, existing.id)).run()
      ids.set(c.nicename, existing.id)
      counts.updated++
      return
    }
    const row = tx.insert(sections).values({
      ...values, slug: path.split('/').pop()!, path, parentId: parent ? ids.get(parent) ?? null : null, position, createdAt: now,
    }).returning({ id: sections.id }).get()
    ids.set(c.nicename, row.id)
    counts.created++
  })
  return ids
}

export function writeTags (tx: Tx, list: WxrTag[], now: number, counts: KindCounts, warn: (m: string) => void): Map<string, number> {
  const ids = new Map<string, number>()
  for (const tag of list) {
    const slug = toSlug(tag.slug) || toSlug(tag.name)
    if (!slug) {
      warn(`tag "${tag.slug}" skipped: no usable slug`)
      counts.skipped++
      continue
    }
    const existing = tx.select({ id: tags.id }).from(tags).where(eq(tags.slug, slug)).get()
    if (existing) {
      tx.update(tags).set({ name: tag.name, updatedAt: now }).where(eq(tags.id, existing.id)).run()
      counts.updated++
      ids.set(tag.slug, existing.id)
    } else {
      const row = tx.insert(tags).values({ slug, name: tag.name, type: 'topic', description: tag.description || null, createdAt: now, updatedAt: now })
        .returning({ id: tags.id }).get()
      counts.created++
      ids.set(tag.slug, row.id)
    }
  }
  return ids
}

export function writeAuthors (tx: Tx, list: WxrAuthor[], now: number, counts: KindCounts): Map<string, number> {
  const ids = new Map<string, number>()
  for (const author of list) {
    const slug = toSlug(author.login) || toSlug(author.displayName) || 'author'
    const existing = tx.select({ id: authors.id }).from(authors).where(eq(authors.slug, slug)).get()
    if (existing) {
      tx.update(authors).set({ name: author.displayName, updatedAt: now }).where(eq(authors.id, existing.id)).run()
      counts.updated++
      ids.set(author.login, existing.id)
    } else {
      const row = tx.insert(authors).values({ slug, name: author.displayName, kind: 'staff', createdAt: now, updatedAt: now })
        .returning({ id: authors.id }).get()
      counts.created++
      ids.set(author.login, row.id)
    }
  }
  return ids
}

export interface ArticleLinks { sectionId: number, tagIds: number[], authorIds: number[], byline: string | null }

// Upsert by external id. An unchanged article keeps its revision; a changed one gets the next.
export function writeArticle (tx: Tx, a: PreparedArticle, links: ArticleLinks): 'created' | 'updated' {
  const existing = tx.select().from(articles).where(eq(articles.externalId, a.externalId)).get()
  const slug = uniqueValue(a.slug, (candidate) => tx.select({ id: articles.id }).from(articles)
    .where(existing ? and(eq(articles.slug, candidate), ne(articles.id, existing.id)) : eq(articles.slug, candidate)).get() !== undefined)
  const values = {
    slug,
    headline: a.headline,
    standfirst: a.standfirst,
    body: JSON.stringify(a.body),
    byline: links.byline,
    sectionId: links.sectionId,
    heroImage: a.heroImage ? JSON.stringify(a.heroImage) : null,
    status: a.status,
    publishedAt: a.publishedAt,
    firstPublishedAt: a.publishedAt,
    wordCount: a.wordCount,
  }
  let id: number
  if (existing) {
    id = existing.id
    const changed = (Object.keys(values) as Array<keyof typeof values>).some((k) => existing[k] !== values[k])
    if (changed) {
      tx.update(articles).set({ ...values, revision: existing.revision + 1, updatedAt: Math.max(a.updatedAt, existing.updatedAt) })
        .where(eq(articles.id, id)).run()
    }
    tx.delete(articleTags).where(eq(articleTags.articleId, id)).run()
    tx.delete(articleAuthors).where(eq(articleAuthors.articleId, id)).run()
  } else {
    id = tx.insert(articles).values({ ...values, externalId: a.externalId, createdAt: a.createdAt, updatedAt: a.updatedAt })
      .returning({ id: articles.id }).get().id
  }
  const tagIds = [...new Set(links.tagIds)]
  if (tagIds.length > 0) tx.insert(articleTags).values(tagIds.map((tagId, position) => ({ articleId: id, tagId, position }))).run()
  const authorIds = [...new Set(links.authorIds)]
  if (authorIds.length > 0) tx.insert(articleAuthors).values(authorIds.map((authorId, position) => ({ articleId: id, authorId, position }))).run()
  syncArticleListing(tx, id)
  return existing ? 'updated' : 'created'
}
