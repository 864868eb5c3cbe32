// GET /v1/sync: initial sync pages, then deltas, all driven by signed tokens.
//
// A position is (seq, now): every sync_log row up to `seq` and the clock reading `now` that decided
// which scheduled articles were live (sync/repository.ts). A call without a token takes a position
// and the highest article id, then pages through the live articles matching the filters by id up
// to that id, every page judged at the position's `now`; what changes meanwhile is logged after the
// position and comes in the first delta. A sync token holds the position the client is up to date
// with; a call with it takes a new position and pages through the articles that changed between
// the two (by id), each once, in its state at the new position: the article if it is in the synced
// set, a tombstone if it is not and a write touched it in between (so a client may get tombstones
// for articles it never had, e.g. drafts edited meanwhile; deleting an unknown id is a no-op).
// Tokens carry their filters and are signed (the cursor HMAC, http/cursor.ts): another filter with
// a token, or an altered token, is a 400; a token whose position is older than the retention
// window is a 410.
import { z } from 'zod'
import type { Repositories } from '../db/repositories.js'
import type { Cursors } from '../http/cursor.js'
import { HttpProblem, invalidField } from '../http/problem.js'
import type { Article } from '../articles/schemas.js'
import type { SyncFilters, SyncPosition } from './repository.js'
import type { SyncItem, SyncPage, SyncQuery } from './schemas.js'

export const DEFAULT_LIMIT = 100
const DAY = 86_400_000
const SCOPE = 'sync'

const Position = z.object({ seq: z.number().int().min(0), now: z.number().int() })
const Filters = z.object({
  section: z.string().optional(),
  sectionId: z.number().int().optional(),
  tag: z.string().optional(),
  tagId: z.number().int().optional(),
})
const Token = z.discriminatedUnion('kind', [
  // the next page of an initial sync begun at `at`
  z.object({ kind: z.literal('initial'), filters: Filters, limit: z.number().int(), at: Position, maxId: z.number().int(), after: z.number().int() }),
  // the next page of the delta from `at` to `to`
  z.object({ kind: z.literal('delta'), filters: Filters, limit: z.number().int(), at: Position, to: Position, after: z.number().int() }),
  // up to date at `at`
  z.object({ kind: z.literal('sync'), filters: Filters, limit: z.number().int(), at: Position }),
])
type Token = z.infer<typeof Token>
type TokenFilters = z.infer<typeof Filters>

export interface SyncContext {
  repos: Repositories
  cursors: Cursors
  now: number
  retentionDays: number
}

const BAD_TOKEN = 'is not a sync token issued by this server (pass nextPageToken or nextSyncToken exactly as received)'

function decodeToken (cursors: Cursors, raw: string): Token {
  let value: unknown
  try {
    value = cursors.decode(raw, SCOPE)
  } catch {
    throw invalidField('query', 'token', BAD_TOKEN)
  }
  const parsed = Token.safeParse(value)
  // only the exact text issued (base64 decoding would also accept variants of the same bytes)
  if (!parsed.success || cursors.encode(value, SCOPE) !== raw) throw invalidField('query', 'token', BAD_TOKEN)
  return parsed.data
}

const encode = (cursors: Cursors, token: Token) => cursors.encode(token, SCOPE)

export const expired = (days: number) => new HttpProblem(410, 'sync-token-expired',
  `The sync token is older than the ${days}-day retention window, so changes since it may have been forgotten: start again without a token.`)
const unknownPosition = () => new HttpProblem(410, 'sync-token-expired',
  'The sync token is ahead of this server\'s change log (the database was restored or replaced): start again without a token.')

const toSyncFilters = (f: TokenFilters): SyncFilters => ({ sectionId: f.sectionId, tagId: f.tagId })

async function startFilters (repos: Repositories, query: SyncQuery): Promise<TokenFilters> {
  const filters = await repos.articles.resolveFilters({ section: query.section, tag: query.tag })
  return {
    ...(query.section !== undefined ? { section: query.section, sectionId: filters.sectionIds!.root } : {}),
    ...(query.tag !== undefined ? { tag: query.tag, tagId: filters.tagIds![0]! } : {}),
  }
}

// A filter given beside a token must be the one the token carries.
function checkSameFilters (query: SyncQuery, filters: TokenFilters) {
  for (const name of ['section', 'tag'] as const) {
    if (query[name] !== undefined && query[name] !== filters[name]) {
      throw invalidField('query', name, `the token was issued for ${filters[name] === undefined ? `no ${name} filter` : `${name}=${filters[name]}`}: filters are fixed by the first call (start again without a token to change them)`)
    }
  }
}

// The full articles of the given rows, as GET /v1/articles/{slug} shows them at `now`; a row whose
// article changed since it was read (slug gone, no longer live) is left out: that change was
// logged after the position, so it comes in the next delta.
async function fullArticles (repos: Repositories, rows: ReadonlyArray<{ id: number, slug: string }>, now: number): Promise<Map<number, Article>> {
  const found = await Promise.all(rows.map((row) => repos.articles.findBySlug(row.slug, { now })))
  const byId = new Map<number, Article>()
  rows.forEach((row, i) => {
    const article = found[i]
    if (article && article.id === row.id) byId.set(row.id, article)
  })
  return byId
}

export async function syncPage (ctx: SyncContext, query: SyncQuery): Promise<SyncPage> {
  const { repos, cursors, now } = ctx
  let token: Token
  if (query.token === undefined) {
    const filters = await startFilters(repos, query)
    const { seq, maxId } = await repos.sync.position()
    token = { kind: 'initial', filters, limit: query.limit ?? DEFAULT_LIMIT, at: { seq, now }, maxId, after: 0 }
  } else {
    token = decodeToken(cursors, query.token)
    checkSameFilters(query, token.filters)
    if (token.at.now < now - ctx.retentionDays * DAY) throw expired(ctx.retentionDays)
    if (query.limit !== undefined) token = { ...token, limit: query.limit }
  }
  const { filters, limit } = token
  const where = toSyncFilters(filters)

  if (token.kind === 'initial') {
    const rows = await repos.sync.initialPage(where, { after: token.after, maxId: token.maxId, now: token.at.now, limit: limit + 1 })
    const shown = rows.slice(0, limit)
    const articles = await fullArticles(repos, shown, token.at.now)
    const items: SyncItem[] = shown.flatMap((row) => {
      const article = articles.get(row.id)
      return article ? [{ type: 'article' as const, article }] : []
    })
    if (rows.length > limit) {
      return { items, nextPageToken: encode(cursors, { ...token, after: shown.at(-1)!.id }), nextSyncToken: null }
    }
    return { items, nextPageToken: null, nextSyncToken: encode(cursors, { kind: 'sync', filters, limit, at: token.at }) }
  }

  let to: SyncPosition
  let after = 0
  if (token.kind === 'delta') {
    to = token.to
    after = token.after
  } else {
    to = { seq: (await repos.sync.position()).seq, now }
    // a clock that went back never makes the window run backwards
    if (to.now < token.at.now) to.now = token.at.now
    if (to.seq < token.at.seq) throw unknownPosition()
  }
  const rows = await repos.sync.deltaPage(where, token.at, to, { after, limit: limit + 1 })
  const shown = rows.slice(0, limit)
  const articles = await fullArticles(repos, shown.filter((row) => row.member), to.now)
  const items: SyncItem[] = shown.flatMap((row): SyncItem[] => {
    if (row.member) {
      const article = articles.get(row.id)
      return article ? [{ type: 'article', article }] : []
    }
    if (!row.logged) return []
    return [{ type: 'tombstone', id: row.id, slug: row.slug, removedAt: new Date(row.removedAt ?? to.now).toISOString() }]
  })
  if (rows.length > limit) {
    return { items, nextPageToken: encode(cursors, { kind: 'delta', filters, limit, at: token.at, to, after: shown.at(-1)!.id }), nextSyncToken: null }
  }
  return { items, nextPageToken: null, nextSyncToken: encode(cursors, { kind: 'sync', filters, limit, at: to }) }
}
