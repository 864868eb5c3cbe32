// Reads the section tree. The tree is small, so it is always built from one query of every section.
import { asc } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { sections } from '../db/schema.js'
import { statement } from '../db/statements.js'
import type { SectionNode, SectionRef } from './schemas.js'

export interface SectionTree {
  roots: SectionNode[]
  byPath: Map<string, SectionNode>
}

export function loadSectionTree (db: Db): SectionTree {
  const rows = db.select().from(sections).orderBy(asc(sections.position), asc(sections.name), asc(sections.id)).all()
  const byId = new Map(rows.map((row) => [row.id, row]))
  const nodes = new Map<number, SectionNode>()
  const node = (id: number): SectionNode => {
    const existing = nodes.get(id)
    if (existing) return existing
    const row = byId.get(id)!
    const parent = row.parentId === null ? null : node(row.parentId)
    const ref = { slug: row.slug, name: row.name, path: row.path }
    const created: SectionNode = {
      ...ref,
      description: row.description,
      position: row.position,
      parent: parent ? { slug: parent.slug, name: parent.name, path: parent.path } : null,
      children: [],
      breadcrumbs: [...(parent?.breadcrumbs ?? []), ref],
    }
    nodes.set(id, created)
    return created
  }
  const roots: SectionNode[] = []
  // rows are in sibling order, so pushing in row order keeps every children[] in position order
  for (const row of rows) {
    const created = node(row.id)
    if (row.parentId === null) roots.push(created)
    else node(row.parentId).children.push(created)
  }
  return { roots, byPath: new Map([...nodes.values()].map((n) => [n.path, n])) }
}

export function findSectionByPath (db: Db, path: string): SectionNode | undefined {
  return loadSectionTree(db).byPath.get(path)
}

// From the top-level section down to the given one.
const BREADCRUMBS = `
  with recursive chain(id, parent_id, slug, name, path, depth) as (
    select id, parent_id, slug, name, path, 0 from sections where id = ?
    union all
    select s.id, s.parent_id, s.slug, s.name, s.path, c.depth + 1 from sections s join chain c on s.id = c.parent_id
  )
  select slug, name, path from chain order by depth desc`

export function sectionBreadcrumbs (db: Db, sectionId: number): SectionRef[] {
  return statement(db, BREADCRUMBS).all(sectionId) as SectionRef[]
}
