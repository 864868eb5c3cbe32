// Sections on both engines (the same SQL; only the row locks differ): the delivery tree and the rows
// the management writes (sections/service.ts) check and change. Reached as `store.repos.sections`.
// The tree is small, so delivery always builds it from one query of every section.
import { postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { SectionNode } from './schemas.js'

export interface SectionTree {
  roots: SectionNode[]
  byPath: Map<string, SectionNode>
}

// Every column, in the order the ETag hashes them. `settings` is the stored JSON text (PostgreSQL's
// jsonb written back as JSON text).
export interface SectionRow {
  id: number
  slug: string
  name: string
  path: string
  parentId: number | null
  position: number
  description: string | null
  settings: string
  createdAt: number
  updatedAt: number
}

type TreeRow = Pick<SectionRow, 'id' | 'slug' | 'name' | 'path' | 'parentId' | 'position' | 'description'>

export interface SectionsRepository {
  tree (): Promise<SectionTree>
  // The row by path; locked for the rest of the transaction with `lock`: 'update' for the row the
  // write changes, 'share' for a row it only refers to (a parent), both no-ops on SQLite.
  row (path: string, lock?: 'update' | 'share'): Promise<SectionRow | undefined>
  rowById (id: number): Promise<SectionRow | undefined>
  insert (values: Omit<SectionRow, 'id'>): Promise<SectionRow>
  update (id: number, values: Omit<SectionRow, 'id' | 'createdAt'>): Promise<void>
  // Every section under `from/` is moved under `to/` (a rename or move of the section at `from`).
  movePaths (from: string, to: string): Promise<void>
  childCount (id: number): Promise<number>
  // Articles in the section, drafts included.
  articleCount (id: number): Promise<number>
  delete (id: number): Promise<void>
}

const ROW = `id, slug, name, path, parent_id as "parentId", position, description, settings,
  created_at as "createdAt", updated_at as "updatedAt"`
const SQL = {
  tree: 'select id, slug, name, path, parent_id as "parentId", position, description from sections order by position, name, id',
  row: `select ${ROW} from sections where path = :path`,
  rowById: `select ${ROW} from sections where id = :id`,
  insert: `insert into sections (slug, name, path, parent_id, position, description, settings, created_at, updated_at)
    values (:slug, :name, :path, :parentId, :position, :description, :settings, :createdAt, :updatedAt) returning ${ROW}`,
  update: `update sections set slug = :slug, name = :name, path = :path, parent_id = :parentId, position = :position,
    description = :description, settings = :settings, updated_at = :updatedAt where id = :id`,
  movePaths: `update sections set path = cast(:to as text) || substr(path, :cut)
    where substr(path, 1, :prefixLength) = cast(:prefix as text)`,
  childCount: 'select cast(count(*) as integer) as n from sections where parent_id = :id',
  articleCount: 'select cast(count(*) as integer) as n from articles where section_id = :id',
  delete: 'delete from sections where id = :id',
}

type StoredRow = Omit<SectionRow, 'settings'> & { settings: unknown }
const toRow = (row: StoredRow | undefined): SectionRow | undefined =>
  row && { ...row, settings: typeof row.settings === 'string' ? row.settings : JSON.stringify(row.settings) }

export function buildTree (rows: readonly TreeRow[]): SectionTree {
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

export function sectionsRepository (sql: SqlRunner, dialect: Dialect): SectionsRepository {
  const locks = { update: dialect.forUpdate, share: dialect.forKeyShare }
  return {
    tree: async () => buildTree(await sql.all<TreeRow>(SQL.tree)),
    row: async (path, lock) => toRow(await sql.get<StoredRow>(lock ? SQL.row + locks[lock] : SQL.row, { path })),
    rowById: async (id) => toRow(await sql.get<StoredRow>(SQL.rowById, { id })),
    insert: async (values) => toRow((await sql.get<StoredRow>(SQL.insert, values))!)!,
    update: async (id, values) => { await sql.run(SQL.update, { ...values, id }) },
    movePaths: async (from, to) => {
      const prefix = `${from}/`
      await sql.run(SQL.movePaths, { to, cut: from.length + 1, prefix, prefixLength: prefix.length })
    },
    childCount: async (id) => (await sql.get<{ n: number }>(SQL.childCount, { id }))!.n,
    articleCount: async (id) => (await sql.get<{ n: number }>(SQL.articleCount, { id }))!.n,
    delete: async (id) => { await sql.run(SQL.delete, { id }) },
  }
}

export const sqliteSectionsRepository = ({ sql }: { sql: SqlRunner }) => sectionsRepository(sql, sqliteDialect)
export const postgresSectionsRepository = ({ sql }: { sql: SqlRunner }) => sectionsRepository(sql, postgresDialect)
