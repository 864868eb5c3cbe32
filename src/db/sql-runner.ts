// Engine-neutral raw SQL for repositories (and test fixtures): one text with `:name` parameters runs
// on SQLite (better-sqlite3 binds named parameters itself) and on PostgreSQL (rewritten once to
// `$1, $2, ...`). Use it for SQL both engines accept as written; where they differ (FTS5 and tsvector,
// json_each and jsonb, SQLite's planner hints) each engine's repository has its own text.
// Aliases that are not all lower case must be quoted ("heroImage"): PostgreSQL folds bare names.

export type SqlParams = Record<string, unknown>

export interface SqlRunner {
  all<T>(text: string, params?: SqlParams): Promise<T[]>
  get<T>(text: string, params?: SqlParams): Promise<T | undefined>
  // the number of rows changed
  run(text: string, params?: SqlParams): Promise<number>
}

export interface PositionalSql {
  text: string
  // parameter names in $n order
  names: string[]
}

const positionalCache = new Map<string, PositionalSql>()

// `:name` -> `$n`, leaving string literals, quoted identifiers and `::type` casts alone.
export function toPositional (text: string): PositionalSql {
  let cached = positionalCache.get(text)
  if (cached) return cached
  const names: string[] = []
  const converted = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|::|:([A-Za-z_]\w*)/g, (match, name: string | undefined) => {
    if (name === undefined) return match
    let index = names.indexOf(name)
    if (index < 0) index = names.push(name) - 1
    return `$${index + 1}`
  })
  cached = { text: converted, names }
  if (positionalCache.size > 5_000) positionalCache.clear()
  positionalCache.set(text, cached)
  return cached
}

export function positionalValues (names: readonly string[], params: SqlParams | undefined): unknown[] {
  return names.map((name) => {
    if (params === undefined || !(name in params)) throw new Error(`SQL parameter :${name} has no value`)
    return params[name]
  })
}
