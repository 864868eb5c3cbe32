// Upserts of imported WordPress records: categories as sections (by path), tags and authors (by
// slug), posts as articles (by external id). Each runs inside the caller's transaction, on the
// repositories it was given (`store.tx(async (repos) => ...)`).
import type { Repositories } from '../db/repositories.js'
import type { PreparedArticle } from './post-mapping.js'
import type { ImportedArticleValues, StoredImportedArticle } from './repository.js'
import type { WxrAuthor, WxrCategory, WxrTag } from './wxr-reader.js'
import { toSlug } from './text.js'

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

async function uniqueValueAsync (base: string, taken: (candidate: string) => Promise<boolean>, max = 200): Promise<string> {
  if (!await taken(base)) return base
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = `${base.slice(0, max - suffix.length).replace(/-$/, '')}${suffix}`
    if (!await taken(candidate)) return candidate
  }
}

// JSON with object keys sorted: stored documents compare equal whatever order the engine keeps
// their keys in (PostgreSQL's jsonb reorders them).
function canonical (value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v)
}

export async function writeSections (repos: Repositories, categories: WxrCategory[], now: number, counts: KindCounts, warn: (m: string) => void): Promise<Map<string, number>> {
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
  for (const [position, c] of ordered.entries()) {
    const { path, parent } = resolved.get(c.nicename)!
    const values = { name: c.name, description: c.description || null, updatedAt: now }
    const existing = await repos.wordpress.sectionIdByPath(path)
    if (existing !== undefined) {
      await repos.wordpress.updateSection(existing, values)
      ids.set(c.nicename, existing)
      counts.updated++
      continue
    }
    ids.set(c.nicename, await repos.wordpress.insertSection({
      slug: path.split('/').pop()!, name: c.name, path, parentId: parent ? ids.get(parent) ?? null : null, position, description: values.description, at: now,
    }))
    counts.created++
  }
  return ids
}

export async function writeTags (repos: Repositories, list: WxrTag[], now: number, counts: KindCounts, warn: (m: string) => void): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const tag of list) {
    const slug = toSlug(tag.slug) || toSlug(tag.name)
    if (!slug) {
      warn(`tag "${tag.slug}" skipped: no usable slug`)
      counts.skipped++
      continue
    }
    const existing = await repos.wordpress.idBySlug('tags', slug)
    if (existing !== undefined) {
      await repos.wordpress.rename('tags', existing, tag.name, now)
      counts.updated++
      ids.set(tag.slug, existing)
    } else {
      ids.set(tag.slug, await repos.wordpress.insertTag({ slug, name: tag.name, description: tag.description || null, at: now }))
      counts.created++
    }
  }
  return ids
}

export async function writeAuthors (repos: Repositories, list: WxrAuthor[], now: number, counts: KindCounts): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const author of list) {
    const slug = toSlug(author.login) || toSlug(author.displayName) || 'author'
    const existing = await repos.wordpress.idBySlug('authors', slug)
    if (existing !== undefined) {
      await repos.wordpress.rename('authors', existing, author.displayName, now)
      counts.updated++
      ids.set(author.login, existing)
    } else {
      ids.set(author.login, await repos.wordpress.insertAuthor({ slug, name: author.displayName, at: now }))
      counts.created++
    }
  }
  return ids
}

export interface ArticleLinks { sectionId: number, tagIds: number[], authorIds: number[], byline: string | null }

const changed = (existing: StoredImportedArticle, values: ImportedArticleValues) =>
  (Object.keys(values) as Array<keyof ImportedArticleValues>).some((k) =>
    k === 'body' || k === 'heroImage' ? canonical(existing[k]) !== canonical(values[k]) : existing[k] !== values[k])

// Upsert by external id. An unchanged article keeps its revision; a changed one gets the next.
export async function writeArticle (repos: Repositories, a: PreparedArticle, links: ArticleLinks): Promise<'created' | 'updated'> {
  const store = repos.wordpress
  const existing = await store.articleByExternalId(a.externalId)
  const slug = await uniqueValueAsync(a.slug, (candidate) => store.slugTaken(candidate, existing?.id ?? null))
  const values: ImportedArticleValues = {
    slug,
    headline: a.headline,
    standfirst: a.standfirst,
    body: a.body,
    byline: links.byline,
    sectionId: links.sectionId,
    heroImage: a.heroImage,
    status: a.status,
    publishedAt: a.publishedAt,
    firstPublishedAt: a.publishedAt,
    wordCount: a.wordCount,
  }
  let id: number
  if (existing) {
    id = existing.id
    if (changed(existing, values)) {
      await store.updateArticle(id, { ...values, revision: existing.revision + 1, updatedAt: Math.max(a.updatedAt, existing.updatedAt) })
    }
  } else {
    id = await store.insertArticle({ ...values, externalId: a.externalId, createdAt: a.createdAt, updatedAt: a.updatedAt })
  }
  await store.replaceLinks(id, [...new Set(links.tagIds)], [...new Set(links.authorIds)])
  await repos.articles.syncListing(id)
  return existing ? 'updated' : 'created'
}
