// What a front reads besides articles, collections and views: its section and the section's
// breadcrumbs. The same SQL on both engines.
import type { SqlRunner } from '../db/sql-runner.js'

export interface FrontSectionRow {
  id: number
  slug: string
  name: string
  path: string
  description: string | null
  // the section's front settings (JSON), e.g. { selectedCollection: 'news-picks' }; undefined when unreadable
  settings: unknown
}

export interface FrontsRepository {
  sectionByPath (path: string): Promise<FrontSectionRow | undefined>
  // From the top-level section down to this one.
  breadcrumbs (sectionId: number): Promise<Array<{ slug: string, name: string, path: string }>>
}

const SECTION = 'select id, slug, name, path, description, settings from sections where path = :path'
const BREADCRUMBS = `
  with recursive chain(id, parent_id, slug, name, path, depth) as (
    select id, parent_id, slug, name, path, 0 from sections where id = :id
    union all
    select s.id, s.parent_id, s.slug, s.name, s.path, c.depth + 1 from sections s join chain c on s.id = c.parent_id
  )
  select slug, name, path from chain order by depth desc`

// SQLite stores settings as JSON text, PostgreSQL as jsonb (read as a value)
function settingsValue (stored: unknown): unknown {
  if (typeof stored !== 'string') return stored
  try {
    return JSON.parse(stored) as unknown
  } catch {
    return undefined
  }
}

export function frontsRepository ({ sql }: { sql: SqlRunner }): FrontsRepository {
  return {
    async sectionByPath (path) {
      // no stored path holds a NUL, and PostgreSQL refuses one in text (an error, not a miss)
      if (path.includes('\0')) return undefined
      const row = await sql.get<FrontSectionRow>(SECTION, { path })
      return row && { ...row, settings: settingsValue(row.settings) }
    },
    breadcrumbs: (id) => sql.all(BREADCRUMBS, { id }),
  }
}
