// Section writes: create, edit (a move rewrites the paths below and rebuilds their listings) and
// delete (refused while the section has articles or children). Each is one transaction.
import { and, count, eq, sql } from 'drizzle-orm'
import { rebuildListingsUnderSection } from '../articles/listing.js'
import { iso } from '../articles/summaries.js'
import type { Db } from '../db/connection.js'
import type { Conn } from '../articles/management-repository.js'
import { articles, sections } from '../db/schema.js'
import { uniqueSlug } from '../db/unique-slug.js'
import { conflict, invalidField, notFound } from '../http/problem.js'
import { checkIfMatch, recordEtag, type Saved } from '../http/if-match.js'
import type { ManagedSection, SectionCreate, SectionPatch } from './management-schemas.js'

type SectionRow = typeof sections.$inferSelect

const findByPath = (conn: Conn, path: string) => conn.select().from(sections).where(eq(sections.path, path)).get()
const childPath = (parent: SectionRow | null, slug: string) => (parent ? `${parent.path}/${slug}` : slug)

function toManaged (conn: Conn, row: SectionRow): ManagedSection {
  const parent = row.parentId === null
    ? null
    : conn.select({ slug: sections.slug, name: sections.name, path: sections.path }).from(sections).where(eq(sections.id, row.parentId)).get() ?? null
  const settings = JSON.parse(row.settings) as { selectedCollection?: string | null }
  return {
    slug: row.slug,
    name: row.name,
    path: row.path,
    description: row.description,
    position: row.position,
    parent,
    settings: { selectedCollection: settings.selectedCollection ?? null },
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }
}

// The row and the parent it shows (a parent's rename changes this section's representation too)
function sectionEtag (conn: Conn, row: SectionRow): string {
  const parent = row.parentId === null ? null : conn.select().from(sections).where(eq(sections.id, row.parentId)).get() ?? null
  return recordEtag('section', [row, parent && { slug: parent.slug, name: parent.name, path: parent.path }])
}

const saved = (conn: Conn, row: SectionRow): Saved<ManagedSection> => ({ record: toManaged(conn, row), etag: sectionEtag(conn, row) })

function resolveParent (conn: Conn, path: string | null | undefined): SectionRow | null {
  if (path === null || path === undefined) return null
  const parent = findByPath(conn, path)
  if (!parent) throw invalidField('body', 'body.parent', `no section with path "${path}"`)
  return parent
}

function checkPath (path: string) {
  if (path.length > 400) throw invalidField('body', 'body.slug', 'the resulting section path is longer than 400 characters')
}

export function createSection (db: Db, input: SectionCreate, now: number): Saved<ManagedSection> {
  return db.transaction((tx) => {
    const parent = resolveParent(tx, input.parent)
    const slug = input.slug ?? uniqueSlug(input.name, (s) => findByPath(tx, childPath(parent, s)) !== undefined)
    const path = childPath(parent, slug)
    checkPath(path)
    if (findByPath(tx, path)) throw conflict(`A section with path "${path}" already exists.`)
    const row = tx.insert(sections).values({
      slug,
      name: input.name,
      path,
      parentId: parent?.id ?? null,
      position: input.position ?? 0,
      description: input.description ?? null,
      settings: JSON.stringify(input.settings ?? {}),
      createdAt: now,
      updatedAt: now,
    }).returning().get()
    return saved(tx, row)
  })
}

export function updateSection (db: Db, path: string, patch: SectionPatch, now: number, ifMatch?: string): Saved<ManagedSection> {
  return db.transaction((tx) => {
    const row = findByPath(tx, path)
    if (!row) throw notFound('section', path)
    checkIfMatch(ifMatch, sectionEtag(tx, row), `The section "${path}"`)
    const moving = patch.parent !== undefined
    const parent = moving ? resolveParent(tx, patch.parent) : (row.parentId === null ? null : tx.select().from(sections).where(eq(sections.id, row.parentId)).get()!)
    if (parent && (parent.id === row.id || parent.path.startsWith(`${row.path}/`))) {
      throw invalidField('body', 'body.parent', 'a section cannot move under itself or its own descendants')
    }
    const newPath = childPath(parent, patch.slug ?? row.slug)
    checkPath(newPath)
    if (newPath !== row.path) {
      if (findByPath(tx, newPath)) throw conflict(`A section with path "${newPath}" already exists.`)
      tx.run(sql`update sections set path = ${newPath} || substr(path, ${row.path.length + 1})
        where substr(path, 1, ${row.path.length + 1}) = ${`${row.path}/`}`)
    }
    tx.update(sections).set({
      slug: patch.slug ?? row.slug,
      path: newPath,
      parentId: parent?.id ?? null,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      ...(patch.settings !== undefined ? { settings: JSON.stringify({ ...JSON.parse(row.settings), ...patch.settings }) } : {}),
      updatedAt: now,
    }).where(eq(sections.id, row.id)).run()
    if ((parent?.id ?? null) !== row.parentId) rebuildListingsUnderSection(tx, row.id)
    return saved(tx, tx.select().from(sections).where(eq(sections.id, row.id)).get()!)
  })
}

export function deleteSection (db: Db, path: string, ifMatch?: string): void {
  db.transaction((tx) => {
    const row = findByPath(tx, path)
    if (!row) throw notFound('section', path)
    checkIfMatch(ifMatch, sectionEtag(tx, row), `The section "${path}"`)
    const children = tx.select({ n: count() }).from(sections).where(eq(sections.parentId, row.id)).get()!.n
    if (children > 0) throw conflict(`The section "${path}" still has ${children} child section(s); move or delete them first.`)
    const used = tx.select({ n: count() }).from(articles).where(and(eq(articles.sectionId, row.id))).get()!.n
    if (used > 0) throw conflict(`The section "${path}" still has ${used} article(s) (drafts included); move or delete them first.`)
    tx.delete(sections).where(eq(sections.id, row.id)).run()
  })
}
