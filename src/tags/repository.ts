// Reads tags for delivery.
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { tags } from '../db/schema.js'
import type { Tag } from './schemas.js'

export const TAG_LIST_CAP = 1000

const tagColumns = { slug: tags.slug, name: tags.name, type: tags.type, description: tags.description }

export function listTags (db: Db, filter: { type?: Tag['type'] }): Tag[] {
  return db.select(tagColumns).from(tags)
    .where(filter.type === undefined ? undefined : eq(tags.type, filter.type))
    .orderBy(asc(tags.name), asc(tags.slug))
    .limit(TAG_LIST_CAP)
    .all()
}

export function findTagBySlug (db: Db, slug: string): Tag | undefined {
  return db.select(tagColumns).from(tags).where(eq(tags.slug, slug)).get()
}
