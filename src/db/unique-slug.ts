// Slugs: ASCII-folded from a headline or name, made unique with -2, -3... suffixes.
import slugify from '@sindresorhus/slugify'

const MAX_SLUG = 200

export function slugFrom (text: string): string {
  const slug = slugify(text).slice(0, MAX_SLUG - 8).replace(/-+$/, '')
  return slug || 'untitled'
}

// The first of base, base-2, base-3... that `taken` says is free (asked in the writing transaction;
// a concurrent writer that takes the same slug first makes the insert a unique violation, a 409).
export async function uniqueSlug (text: string, taken: (slug: string) => boolean | Promise<boolean>): Promise<string> {
  const base = slugFrom(text)
  if (!await taken(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!await taken(candidate)) return candidate
  }
}
