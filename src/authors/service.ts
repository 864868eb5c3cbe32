// Author writes, each one transaction. An author still credited on articles cannot be deleted (409).
import { EVERYTHING } from '../db/changes.js'
import type { Store } from '../db/store.js'
import { uniqueSlug, withSlugRetry } from '../db/unique-slug.js'
import { checkIfMatch, recordEtag, type Saved } from '../http/if-match.js'
import { conflict, notFound } from '../http/problem.js'
import type { AuthorCreate, AuthorPatch } from './management-schemas.js'
import type { AuthorRow } from './repository.js'
import type { Author } from './schemas.js'

export const authorEtag = (row: AuthorRow) => recordEtag('author', row)
const toAuthor = ({ slug, name, kind, bio, avatarUrl }: AuthorRow): Author => ({ slug, name, kind, bio, avatarUrl })
const saved = (row: AuthorRow): Saved<Author> => ({ record: toAuthor(row), etag: authorEtag(row) })

export function createAuthor (store: Store, input: AuthorCreate, now: number): Promise<Saved<Author>> {
  return withSlugRetry(input.slug === undefined, () => store.tx(async ({ authors, changes, outbox }) => {
    const slug = input.slug ?? await uniqueSlug(input.name, async (s) => await authors.row(s) !== undefined)
    if (input.slug !== undefined && await authors.row(slug)) throw conflict(`An author with slug "${slug}" already exists.`)
    await changes.record([EVERYTHING])
    await outbox.emit('author.changed', { slug, surrogateKeys: [EVERYTHING] }, now)
    return saved(await authors.insert({
      slug, name: input.name, kind: input.kind, bio: input.bio ?? null, avatarUrl: input.avatarUrl ?? null, createdAt: now, updatedAt: now,
    }))
  }))
}

export function updateAuthor (store: Store, slug: string, patch: AuthorPatch, now: number, ifMatch?: string): Promise<Saved<Author>> {
  return store.tx(async ({ authors, changes, sync, outbox }) => {
    const row = await authors.row(slug, true)
    if (!row) throw notFound('author', slug)
    checkIfMatch(ifMatch, authorEtag(row), `The author "${slug}"`)
    if (patch.slug !== undefined && patch.slug !== slug && await authors.row(patch.slug)) {
      throw conflict(`An author with slug "${patch.slug}" already exists.`)
    }
    await sync.logAuthor(row.id, now)
    await changes.record([EVERYTHING])
    await outbox.emit('author.changed', { slug: patch.slug ?? row.slug, previousSlug: row.slug, surrogateKeys: [EVERYTHING] }, now)
    return saved(await authors.update(row.id, {
      slug: patch.slug ?? row.slug,
      name: patch.name ?? row.name,
      kind: patch.kind ?? row.kind,
      bio: patch.bio === undefined ? row.bio : patch.bio,
      avatarUrl: patch.avatarUrl === undefined ? row.avatarUrl : patch.avatarUrl,
      updatedAt: now,
    }))
  })
}

export function deleteAuthor (store: Store, slug: string, ifMatch?: string): Promise<void> {
  return store.tx(async ({ authors, changes, outbox }) => {
    const row = await authors.row(slug, true)
    if (!row) throw notFound('author', slug)
    checkIfMatch(ifMatch, authorEtag(row), `The author "${slug}"`)
    const used = await authors.usage(row.id)
    if (used > 0) throw conflict(`The author "${slug}" is still credited on ${used} article(s) (drafts included); remove them from those articles first.`)
    await authors.delete(row.id)
    await changes.record([EVERYTHING])
    await outbox.emit('author.changed', { slug: row.slug, deleted: true, surrogateKeys: [EVERYTHING] })
  })
}
