// Reads authors (staff, contributors, wire agencies) for delivery.
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { authors } from '../db/schema.js'
import type { Author } from './schemas.js'

export const AUTHOR_LIST_CAP = 1000

export const authorColumns = { slug: authors.slug, name: authors.name, kind: authors.kind, bio: authors.bio, avatarUrl: authors.avatarUrl }

export function listAuthors (db: Db, filter: { kind?: Author['kind'] }): Author[] {
  return db.select(authorColumns).from(authors)
    .where(filter.kind === undefined ? undefined : eq(authors.kind, filter.kind))
    .orderBy(asc(authors.name), asc(authors.slug))
    .limit(AUTHOR_LIST_CAP)
    .all()
}

export function findAuthorBySlug (db: Db, slug: string): Author | undefined {
  return db.select(authorColumns).from(authors).where(eq(authors.slug, slug)).get()
}
