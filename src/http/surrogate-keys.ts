// Surrogate-Key: the records a response shows, found by walking its JSON body, plus list keys
// derived from the route, plus any a route adds with reply.surrogateKeys(...).
//
// Keys, and what a write transaction records with repos.changes.record(...) (db/changes.ts):
//   article:<id>       an article (detail, list item, relatedIds).
//   section:<path>     a section or section reference (article section, breadcrumbs, tree nodes).
//   tag:<slug>         a tag.             author:<slug>   an author or agency.
//   collection:<slug>  a curated collection.
//   articles:list      every response whose membership depends on which articles are live:
//                      article lists, section lists, related, search, fronts, feeds, collections.
//   sections:tree      every /v1/sections response.     tags:list / authors:list   the tag/author lists.
//   fronts, search, most-viewed, feeds, related    narrower list keys for CDN purges by module.
// Writers:
//   article create/edit/publish/schedule/unpublish/delete  -> article:<id>, articles:list
//   section create/edit/move/delete                        -> section:<path> (old and new), sections:tree,
//                                                             plus articles:list when it moved or was renamed
//   tag create/edit/delete                                 -> tag:<slug>, tags:list
//   author create/edit/delete                              -> author:<slug>, authors:list
//   collection replace (PUT)                               -> collection:<slug>, fronts
import type { FastifyReply, FastifyRequest } from 'fastify'

// What an article write changes: the article everywhere it shows, every list, and the articles that
// list it as related (their relatedIds show it only while it is live, so their responses do not
// carry its key while it is not: publishing it must still reach them).
export const articleChangeKeys = (id: number, referrers: readonly number[] = []): string[] =>
  [`article:${id}`, 'articles:list', ...referrers.map((referrer) => `article:${referrer}`)]

const TAG_TYPES = new Set(['topic', 'place', 'person', 'organisation'])
const AUTHOR_KINDS = new Set(['staff', 'contributor', 'agency'])
// A CDN header line should stay well under common 16 KB header limits.
export const MAX_SURROGATE_HEADER = 16 * 1024
const MAX_NODES = 20_000

type Json = Record<string, unknown>

function keyOf (o: Json): string | undefined {
  const { slug, name } = o
  if (typeof slug !== 'string') return undefined
  if (typeof o.id === 'number' && typeof o.url === 'string') return `article:${o.id}`
  if (typeof name !== 'string') return undefined
  if (typeof o.path === 'string') return `section:${o.path}`
  if (typeof o.type === 'string' && TAG_TYPES.has(o.type)) return `tag:${slug}`
  if (typeof o.kind === 'string' && AUTHOR_KINDS.has(o.kind)) return `author:${slug}`
  if (Array.isArray(o.items)) return `collection:${slug}`
  return undefined
}

// Walks the body breadth-first (bounded) and collects record keys.
export function recordKeys (body: unknown, into: Set<string> = new Set()): Set<string> {
  const queue: unknown[] = [body]
  for (let i = 0; i < queue.length && i < MAX_NODES; i++) {
    const node = queue[i]
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') queue.push(item)
      continue
    }
    if (node === null || typeof node !== 'object') continue
    const o = node as Json
    const key = keyOf(o)
    if (key) into.add(key)
    for (const field in o) {
      const value = o[field]
      if (value === null || typeof value !== 'object') continue
      // body blocks never hold records; relatedIds are bare article ids
      if (field === 'body') continue
      if (field === 'relatedIds' && Array.isArray(value)) {
        for (const id of value) if (typeof id === 'number') into.add(`article:${id}`)
        continue
      }
      queue.push(value)
    }
  }
  return into
}

const ROUTE_KEYS: Array<[RegExp, string[]]> = [
  [/^\/v1\/articles\/?$/, ['articles:list']],
  [/^\/v1\/articles\/[^/]+\/related$/, ['related', 'articles:list']],
  [/^\/v1\/sections(\/|$)/, ['sections:tree']],
  [/^\/v1\/tags\/?$/, ['tags:list']],
  [/^\/v1\/authors\/?$/, ['authors:list']],
  [/^\/v1\/collections\//, ['articles:list']],
  [/^\/v1\/fronts(\/|$)/, ['fronts', 'articles:list']],
  [/^\/v1\/search(\/|$)/, ['search', 'articles:list']],
  [/^\/v1\/most-viewed(\/|$)/, ['most-viewed']],
  [/(^|\/)(feeds?|sitemap)/, ['feeds', 'articles:list']],
]

// List keys for a route pattern (routeOptions.url, e.g. "/v1/articles/:slug/related").
export function routeKeys (routeUrl: string | undefined): string[] {
  if (!routeUrl) return []
  for (const [pattern, keys] of ROUTE_KEYS) if (pattern.test(routeUrl)) return keys
  return []
}

export function isRecordKey (key: string): boolean {
  return /^(article|section|tag|author|collection):/.test(key)
}

// The header value: every key, or only the list keys when that would be too long.
export function surrogateHeader (keys: Iterable<string>): string {
  const all = [...keys]
  const full = all.join(' ')
  if (full.length <= MAX_SURROGATE_HEADER) return full
  return all.filter((k) => !isRecordKey(k)).join(' ')
}

declare module 'fastify' {
  interface FastifyRequest {
    surrogateKeySet: Set<string> | null
  }
  interface FastifyReply {
    surrogateKeys: (...keys: string[]) => FastifyReply
  }
}

export function addSurrogateKeys (request: FastifyRequest, keys: Iterable<string>): void {
  request.surrogateKeySet ??= new Set()
  for (const key of keys) request.surrogateKeySet.add(key)
}

export function surrogateKeysDecorator (this: FastifyReply, ...keys: string[]): FastifyReply {
  addSurrogateKeys(this.request, keys)
  return this
}
