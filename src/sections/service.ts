// Section writes: create, edit (a move rewrites the paths below and rebuilds their listings) and
// delete (refused while the section has articles or children). Each is one transaction.
import { iso } from '../articles/summaries.js'
import type { Repositories } from '../db/repositories.js'
import type { Store } from '../db/store.js'
import { uniqueSlug, withSlugRetry } from '../db/unique-slug.js'
import { checkIfMatch, recordEtag, type Saved } from '../http/if-match.js'
import { conflict, invalidField, notFound } from '../http/problem.js'
import type { ManagedSection, SectionCreate, SectionPatch } from './management-schemas.js'
import type { SectionRow } from './repository.js'
import { EVERYTHING } from '../db/changes.js'

const childPath = (parent: SectionRow | null, slug: string) => (parent ? `${parent.path}/${slug}` : slug)
const parentOf = async (repos: Repositories, row: SectionRow) => row.parentId === null ? null : await repos.sections.rowById(row.parentId) ?? null

function toManaged (row: SectionRow, parent: SectionRow | null): ManagedSection {
  const settings = JSON.parse(row.settings) as { selectedCollection?: string | null }
  return {
    slug: row.slug,
    name: row.name,
    path: row.path,
    description: row.description,
    position: row.position,
    parent: parent && { slug: parent.slug, name: parent.name, path: parent.path },
    settings: { selectedCollection: settings.selectedCollection ?? null },
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }
}

// The row and the parent it shows (a parent's rename changes this section's representation too)
const sectionEtag = (row: SectionRow, parent: SectionRow | null) =>
  recordEtag('section', [row, parent && { slug: parent.slug, name: parent.name, path: parent.path }])

async function saved (repos: Repositories, row: SectionRow): Promise<Saved<ManagedSection>> {
  const parent = await parentOf(repos, row)
  return { record: toManaged(row, parent), etag: sectionEtag(row, parent) }
}

// The section to change, locked, with its If-Match checked
async function lockSection (repos: Repositories, path: string, ifMatch: string | undefined) {
  const row = await repos.sections.row(path, 'update')
  if (!row) throw notFound('section', path)
  const parent = await parentOf(repos, row)
  checkIfMatch(ifMatch, sectionEtag(row, parent), `The section "${path}"`)
  return { row, parent }
}

async function resolveParent (repos: Repositories, path: string | null | undefined): Promise<SectionRow | null> {
  if (path === null || path === undefined) return null
  const parent = await repos.sections.row(path, 'share')
  if (!parent) throw invalidField('body', 'body.parent', `no section with path "${path}"`)
  return parent
}

function checkPath (path: string) {
  if (path.length > 400) throw invalidField('body', 'body.slug', 'the resulting section path is longer than 400 characters')
}

export function createSection (store: Store, input: SectionCreate, now: number): Promise<Saved<ManagedSection>> {
  return withSlugRetry(input.slug === undefined, () => store.tx(async (repos) => {
    const { sections } = repos
    const parent = await resolveParent(repos, input.parent)
    const slug = input.slug ?? await uniqueSlug(input.name, async (s) => await sections.row(childPath(parent, s)) !== undefined)
    const path = childPath(parent, slug)
    checkPath(path)
    if (input.slug !== undefined && await sections.row(path)) throw conflict(`A section with path "${path}" already exists.`)
    const row = await sections.insert({
      slug,
      name: input.name,
      path,
      parentId: parent?.id ?? null,
      position: input.position ?? 0,
      description: input.description ?? null,
      settings: JSON.stringify(input.settings ?? {}),
      createdAt: now,
      updatedAt: now,
    })
    await repos.changes.record([EVERYTHING])
    await repos.outbox.emit('section.changed', { slug, path, surrogateKeys: [EVERYTHING] }, now)
    return saved(repos, row)
  }))
}

export function updateSection (store: Store, path: string, patch: SectionPatch, now: number, ifMatch?: string): Promise<Saved<ManagedSection>> {
  return store.tx(async (repos) => {
    const { sections } = repos
    const { row, parent: current } = await lockSection(repos, path, ifMatch)
    const parent = patch.parent !== undefined ? await resolveParent(repos, patch.parent) : current
    if (parent && (parent.id === row.id || parent.path.startsWith(`${row.path}/`))) {
      throw invalidField('body', 'body.parent', 'a section cannot move under itself or its own descendants')
    }
    const newPath = childPath(parent, patch.slug ?? row.slug)
    checkPath(newPath)
    if (newPath !== row.path) {
      if (await sections.row(newPath)) throw conflict(`A section with path "${newPath}" already exists.`)
      await sections.movePaths(row.path, newPath)
    }
    await sections.update(row.id, {
      slug: patch.slug ?? row.slug,
      name: patch.name ?? row.name,
      path: newPath,
      parentId: parent?.id ?? null,
      position: patch.position ?? row.position,
      description: patch.description === undefined ? row.description : patch.description,
      settings: patch.settings === undefined ? row.settings : JSON.stringify({ ...JSON.parse(row.settings), ...patch.settings }),
      updatedAt: now,
    })
    if ((parent?.id ?? null) !== row.parentId) await repos.articles.rebuildListingsUnderSection(row.id)
    await repos.sync.logSection(row.id, now)
    await repos.changes.record([EVERYTHING])
    await repos.outbox.emit('section.changed', { slug: patch.slug ?? row.slug, path: newPath, previousPath: row.path, surrogateKeys: [EVERYTHING] }, now)
    return saved(repos, (await sections.rowById(row.id))!)
  })
}

export function deleteSection (store: Store, path: string, ifMatch?: string): Promise<void> {
  return store.tx(async (repos) => {
    const { sections } = repos
    const { row } = await lockSection(repos, path, ifMatch)
    const children = await sections.childCount(row.id)
    if (children > 0) throw conflict(`The section "${path}" still has ${children} child section(s); move or delete them first.`)
    const used = await sections.articleCount(row.id)
    if (used > 0) throw conflict(`The section "${path}" still has ${used} article(s) (drafts included); move or delete them first.`)
    await sections.delete(row.id)
    await repos.changes.record([EVERYTHING])
    await repos.outbox.emit('section.changed', { slug: row.slug, path: row.path, deleted: true, surrogateKeys: [EVERYTHING] })
  })
}
