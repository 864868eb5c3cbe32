// Entry writes: create, change and delete, each ONE transaction that locks the live blog's article
// row (so a blog's events are numbered in commit order), checks If-Match on the entry, writes the
// entry and its authors, appends to entry_events (what the stream sends and replays), moves the
// article's updated_at and records the change (the article, its entry pages and every list, on
// every node: db/changes.ts).
import type { Repositories } from '../db/repositories.js'
import type { Store } from '../db/store.js'
import { ifMatchAllows } from '../http/if-match.js'
import { conflict, invalidField, notFound, preconditionFailed } from '../http/problem.js'
import type { EventKind } from './repository.js'
import type { EntryCreate, EntryManagement, EntryPatch } from './schemas.js'

export interface EntryActor {
  keyName: string | null
  now: number
  ifMatch?: string | undefined
}

export const entryEtag = (id: number, revision: number) => `"entry-${id}-${revision}"`

// the surrogate keys an entry write touches: the article (its `live` block and updatedAt), its entry
// pages and feeds, and every list showing its summary
export const liveblogChangeKeys = (articleId: number) => [`article:${articleId}`, `liveblog:${articleId}`, 'articles:list']

async function lockBlog (repos: Repositories, articleId: number) {
  const blog = await repos.liveblogs.blog(articleId, true)
  if (blog) return blog
  if (await repos.articleManagement.articleExists(articleId)) {
    throw conflict(`Article ${articleId} is not a live blog: PATCH it with \`live: true\` first.`)
  }
  throw notFound('article', articleId)
}

async function lockEntry (repos: Repositories, articleId: number, entryId: number, ifMatch: string | undefined) {
  const row = await repos.liveblogs.entryRow(articleId, entryId, true)
  if (!row) throw notFound(`entry of article ${articleId}`, entryId)
  const current = entryEtag(row.id, row.revision)
  if (!ifMatchAllows(ifMatch, current)) {
    throw preconditionFailed(`The entry has changed since that ETag: it is now at revision ${row.revision} (ETag ${current}, also in this response's \`ETag\` header). Reapply the change to that revision.`, current)
  }
  return row
}

async function resolveAuthors (repos: Repositories, slugs: readonly string[]): Promise<number[]> {
  const ids: number[] = []
  for (const [position, slug] of slugs.entries()) {
    if (slugs.indexOf(slug) !== position) throw invalidField('body', `body.authors.${position}`, `"${slug}" is listed twice`)
    const id = await repos.liveblogs.authorId(slug)
    if (id === undefined) throw invalidField('body', `body.authors.${position}`, `no author with slug "${slug}"`)
    ids.push(id)
  }
  return ids
}

function requireHeadline (keyEvent: boolean, headline: string | null) {
  if (keyEvent && headline === null) throw invalidField('body', 'body.headline', 'a key event needs a headline')
}

// The one place where every entry write ends: the event log, the article's updatedAt and the
// change record, and the `liveblog.entry` webhook event.
async function entryWritten (repos: Repositories, articleId: number, entryId: number, kind: EventKind, now: number): Promise<void> {
  await repos.liveblogs.recordEvent(articleId, entryId, kind, now)
  await repos.liveblogs.touchArticle(articleId, now)
  // the article's representation changed (live block, updatedAt): sync clients get it again
  await repos.sync.logArticles([articleId], now)
  await repos.changes.record(liveblogChangeKeys(articleId))
  // webhooks: liveblog.entry (created, changed or deleted), through the outbox in this transaction
  await repos.outbox.emit('liveblog.entry', { articleId, entryId, change: kind, surrogateKeys: liveblogChangeKeys(articleId) }, now)
}

// the entry as stored now, kept as a revision
async function saved (repos: Repositories, entryId: number, keyName: string | null, now: number): Promise<EntryManagement> {
  const entry = (await repos.liveblogs.management(entryId))!
  await repos.liveblogs.storeRevision(entry, keyName, now)
  return entry
}

export function createEntry (store: Store, articleId: number, input: EntryCreate, { now, keyName }: EntryActor): Promise<EntryManagement> {
  return store.tx(async (repos) => {
    await lockBlog(repos, articleId)
    const headline = input.headline ?? null
    requireHeadline(input.keyEvent, headline)
    const authorIds = await resolveAuthors(repos, input.authors)
    const id = await repos.liveblogs.insertEntry({ articleId, headline, body: input.body, keyEvent: input.keyEvent, pinned: input.pinned, at: now })
    await repos.liveblogs.setAuthors(id, authorIds)
    await entryWritten(repos, articleId, id, 'created', now)
    return saved(repos, id, keyName, now)
  })
}

export function patchEntry (store: Store, articleId: number, entryId: number, patch: EntryPatch, { now, ifMatch, keyName }: EntryActor): Promise<EntryManagement> {
  return store.tx(async (repos) => {
    await lockBlog(repos, articleId)
    const row = await lockEntry(repos, articleId, entryId, ifMatch)
    const headline = patch.headline === undefined ? row.headline : patch.headline
    requireHeadline(patch.keyEvent ?? row.keyEvent, headline)
    if (patch.authors) await repos.liveblogs.setAuthors(entryId, await resolveAuthors(repos, patch.authors))
    await repos.liveblogs.updateEntry(entryId, {
      ...(patch.headline !== undefined ? { headline: patch.headline } : {}),
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.keyEvent !== undefined ? { keyEvent: patch.keyEvent } : {}),
      ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
      revision: row.revision + 1,
      updatedAt: now,
    })
    await entryWritten(repos, articleId, entryId, 'changed', now)
    return saved(repos, entryId, keyName, now)
  })
}

export function deleteEntry (store: Store, articleId: number, entryId: number, { now, ifMatch }: EntryActor): Promise<void> {
  return store.tx(async (repos) => {
    await lockBlog(repos, articleId)
    await lockEntry(repos, articleId, entryId, ifMatch)
    await repos.liveblogs.deleteEntry(entryId)
    await entryWritten(repos, articleId, entryId, 'deleted', now)
  })
}
