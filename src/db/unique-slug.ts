// Slugs: ASCII-folded from a headline or name, made unique with -2, -3... suffixes.
import slugify from '@sindresorhus/slugify'

const MAX_SLUG = 200

export function slugFrom (text: string): string {
  const slug = slugify(text).slice(0, MAX_SLUG - 8).replace(/-+$/, '')
  return slug || 'untitled'
}

// The first of base, base-2, base-3... that `taken` says is free (asked in the writing transaction;
// a concurrent writer can take the same slug before it commits: see withSlugRetry).
export async function uniqueSlug (text: string, taken: (slug: string) => boolean | Promise<boolean>): Promise<string> {
  const base = slugFrom(text)
  if (!await taken(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!await taken(candidate)) return candidate
  }
}

// A unique constraint violated: PostgreSQL 23505, SQLite's codes for the same.
const UNIQUE_VIOLATIONS = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])
export const isUniqueViolation = (error: unknown) => UNIQUE_VIOLATIONS.has(String((error as { code?: unknown } | null)?.code))

// Runs a write that generates a slug again when a concurrent writer took that slug between the check
// and the insert (PostgreSQL, READ COMMITTED: both saw it free, the second insert violates the unique
// index and its transaction rolls back), so a generated slug never turns into a 409; SQLite's
// serialised transactions never get there. A slug the client chose is not retried: that is a 409.
export async function withSlugRetry<T> (generated: boolean, write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (error) {
      if (!generated || attempt >= 5 || !isUniqueViolation(error)) throw error
    }
  }
}
