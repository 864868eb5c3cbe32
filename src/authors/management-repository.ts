// Author writes. An author still credited on articles cannot be deleted (409).
import { count, eq } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articleAuthors, authors } from '../db/schema.js'
import { uniqueSlug } from '../db/unique-slug.js'
import { conflict, notFound } from '../http/problem.js'
import { checkIfMatch, recordEtag, type Saved } from '../http/if-match.js'
import type { AuthorCreate, AuthorPatch } from './management-schemas.js'
import type { Author } from './schemas.js'

type Conn = Pick<Db, 'select'>
const findBySlug = (conn: Conn, slug: string) => conn.select().from(authors).where(eq(authors.slug, slug)).get()
type Row = typeof authors.$inferSelect
// every column (id included, so a re-created author never matches an ETag of the deleted one)
export const authorEtag = (row: Row) => recordEtag('author', row)
const saved = (row: Row): Saved<Author> => ({ record: toAuthor(row), etag: authorEtag(row) })
const toAuthor = ({ slug, name, kind, bio, avatarUrl }: Row): Author => ({ slug, name, kind, bio, avatarUrl })

export function createAuthor (db: Db, input: AuthorCreate, now: number): Saved<Author> {
  return db.transaction((tx) => {
    const slug = input.slug ?? uniqueSlug(input.name, (s) => findBySlug(tx, s) !== undefined)
    if (findBySlug(tx, slug)) throw conflict(`An author with slug "${slug}" already exists.`)
    return saved(tx.insert(authors).values({
      slug, name: input.name, kind: input.kind, bio: input.bio ?? null, avatarUrl: input.avatarUrl ?? null, createdAt: now, updatedAt: now,
    }).returning().get())
  })
}

export function updateAuthor (db: Db, slug: string, patch: AuthorPatch, now: number, ifMatch?: string): Saved<Author> {
  return db.transaction((tx) => {
    const row = findBySlug(tx, slug)
    if (!row) throw notFound('author', slug)
    checkIfMatch(ifMatch, authorEtag(row), `The author "${slug}"`)
    if (patch.slug !== undefined && patch.slug !== slug && findBySlug(tx, patch.slug)) {
      throw conflict(`An author with slug "${patch.slug}" already exists.`)
    }
    return saved(tx.update(authors).set({ ...patch, updatedAt: now }).where(eq(authors.id, row.id)).returning().get())
  })
}

export function deleteAuthor (db: Db, slug: string, ifMatch?: string): void {
  db.transaction((tx) => {
    const row = findBySlug(tx, slug)
    if (!row) throw notFound('author', slug)
    checkIfMatch(ifMatch, authorEtag(row), `The author "${slug}"`)
    const used = tx.select({ n: count() }).from(articleAuthors).where(eq(articleAuthors.authorId, row.id)).get()!.n
    if (used > 0) throw conflict(`The author "${slug}" is still credited on ${used} article(s) (drafts included); remove them from those articles first.`)
    tx.delete(authors).where(eq(authors.id, row.id)).run()
  })
}
