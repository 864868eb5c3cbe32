// Slugs: ASCII-folded from a headline or name, made unique with -2, -3... suffixes.
import slugify from '@sindresorhus/slugify'

const MAX_SLUG = 200

export function slugFrom (text: string): string {
  const slug = slugify(text).slice(0, MAX_SLUG - 8).replace(/-+$/, '')
  return slug || 'untitled'
}

// The first of base, base-2, base-3... that `taken` says is free.
export function uniqueSlug (text: string, taken: (slug: string) => boolean): string {
  const base = slugFrom(text)
  if (!taken(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!taken(candidate)) return candidate
  }
}
