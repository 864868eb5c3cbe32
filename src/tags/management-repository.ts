// Tag writes. A tag still on articles cannot be deleted (409), so no article loses a tag silently.
import { count, eq } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articleTags, tags } from '../db/schema.js'
import { uniqueSlug } from '../db/unique-slug.js'
import { conflict, notFound } from '../http/problem.js'
import { checkIfMatch, recordEtag, type Saved } from '../http/if-match.js'
import type { TagCreate, TagPatch } from './management-schemas.js'
import type { Tag } from './schemas.js'

type Conn = Pick<Db, 'select'>
const findBySlug = (conn: Conn, slug: string) => conn.select().from(tags).where(eq(tags.slug, slug)).get()
type Row = typeof tags.$inferSelect
// every column (id included, so a re-created tag never matches an ETag of the deleted one)
export const tagEtag = (row: Row) => recordEtag('tag', row)
const saved = (row: Row): Saved<Tag> => ({ record: toTag(row), etag: tagEtag(row) })
const toTag = ({ slug, name, type, description }: Row): Tag => ({ slug, name, type, description })

export function createTag (db: Db, input: TagCreate, now: number): Saved<Tag> {
  return db.transaction((tx) => {
    const slug = input.slug ?? uniqueSlug(input.name, (s) => findBySlug(tx, s) !== undefined)
    if (findBySlug(tx, slug)) throw conflict(`A tag with slug "${slug}" already exists.`)
    return saved(tx.insert(tags).values({
      slug, name: input.name, type: input.type, description: input.description ?? null, createdAt: now, updatedAt: now,
    }).returning().get())
  })
}

export function updateTag (db: Db, slug: string, patch: TagPatch, now: number, ifMatch?: string): Saved<Tag> {
  return db.transaction((tx) => {
    const row = findBySlug(tx, slug)
    if (!row) throw notFound('tag', slug)
    checkIfMatch(ifMatch, tagEtag(row), `The tag "${slug}"`)
    if (patch.slug !== undefined && patch.slug !== slug && findBySlug(tx, patch.slug)) {
      throw conflict(`A tag with slug "${patch.slug}" already exists.`)
    }
    return saved(tx.update(tags).set({ ...patch, updatedAt: now }).where(eq(tags.id, row.id)).returning().get())
  })
}

export function deleteTag (db: Db, slug: string, ifMatch?: string): void {
  db.transaction((tx) => {
    const row = findBySlug(tx, slug)
    if (!row) throw notFound('tag', slug)
    checkIfMatch(ifMatch, tagEtag(row), `The tag "${slug}"`)
    const used = tx.select({ n: count() }).from(articleTags).where(eq(articleTags.tagId, row.id)).get()!.n
    if (used > 0) throw conflict(`The tag "${slug}" is still on ${used} article(s) (drafts included); remove it from them first.`)
    tx.delete(tags).where(eq(tags.id, row.id)).run()
  })
}
