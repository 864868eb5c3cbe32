// Tag writes, each one transaction. A tag still on articles cannot be deleted (409), so no article
// loses a tag silently.
import { EVERYTHING } from '../db/changes.js'
import type { Store } from '../db/store.js'
import { uniqueSlug, withSlugRetry } from '../db/unique-slug.js'
import { checkIfMatch, recordEtag, type Saved } from '../http/if-match.js'
import { conflict, notFound } from '../http/problem.js'
import type { TagCreate, TagPatch } from './management-schemas.js'
import type { TagRow } from './repository.js'
import type { Tag } from './schemas.js'

export const tagEtag = (row: TagRow) => recordEtag('tag', row)
const toTag = ({ slug, name, type, description }: TagRow): Tag => ({ slug, name, type, description })
const saved = (row: TagRow): Saved<Tag> => ({ record: toTag(row), etag: tagEtag(row) })

export function createTag (store: Store, input: TagCreate, now: number): Promise<Saved<Tag>> {
  return withSlugRetry(input.slug === undefined, () => store.tx(async ({ tags, changes, outbox }) => {
    const slug = input.slug ?? await uniqueSlug(input.name, async (s) => await tags.row(s) !== undefined)
    if (input.slug !== undefined && await tags.row(slug)) throw conflict(`A tag with slug "${slug}" already exists.`)
    await changes.record([EVERYTHING])
    await outbox.emit('tag.changed', { slug, surrogateKeys: [EVERYTHING] }, now)
    return saved(await tags.insert({
      slug, name: input.name, type: input.type, description: input.description ?? null, createdAt: now, updatedAt: now,
    }))
  }))
}

export function updateTag (store: Store, slug: string, patch: TagPatch, now: number, ifMatch?: string): Promise<Saved<Tag>> {
  return store.tx(async ({ tags, changes, sync, outbox }) => {
    const row = await tags.row(slug, true)
    if (!row) throw notFound('tag', slug)
    checkIfMatch(ifMatch, tagEtag(row), `The tag "${slug}"`)
    if (patch.slug !== undefined && patch.slug !== slug && await tags.row(patch.slug)) {
      throw conflict(`A tag with slug "${patch.slug}" already exists.`)
    }
    await sync.logTag(row.id, now)
    await changes.record([EVERYTHING])
    await outbox.emit('tag.changed', { slug: patch.slug ?? row.slug, previousSlug: row.slug, surrogateKeys: [EVERYTHING] }, now)
    return saved(await tags.update(row.id, {
      slug: patch.slug ?? row.slug,
      name: patch.name ?? row.name,
      type: patch.type ?? row.type,
      description: patch.description === undefined ? row.description : patch.description,
      updatedAt: now,
    }))
  })
}

export function deleteTag (store: Store, slug: string, ifMatch?: string): Promise<void> {
  return store.tx(async ({ tags, changes, outbox }) => {
    const row = await tags.row(slug, true)
    if (!row) throw notFound('tag', slug)
    checkIfMatch(ifMatch, tagEtag(row), `The tag "${slug}"`)
    const used = await tags.usage(row.id)
    if (used > 0) throw conflict(`The tag "${slug}" is still on ${used} article(s) (drafts included); remove it from them first.`)
    await tags.delete(row.id)
    await changes.record([EVERYTHING])
    await outbox.emit('tag.changed', { slug: row.slug, deleted: true, surrogateKeys: [EVERYTHING] })
  })
}
