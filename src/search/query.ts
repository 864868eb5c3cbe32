// Turns a reader's search box text into an FTS5 query that can never contain FTS5 syntax: every
// word becomes a quoted string, "double-quoted runs" become quoted phrases, and everything that is
// not a letter, mark or digit (operators, *, (, :, ^, -) is treated as a word separator.
import { invalidField } from '../http/problem.js'

export const MAX_TERMS = 32

const WORD = /[\p{L}\p{M}\p{N}]+/gu

export interface ParsedQuery {
  terms: string[][]
  fts: string
}

export const quote = (text: string) => `"${text.replaceAll('"', '""')}"`

function words (text: string): string[] {
  return text.match(WORD) ?? []
}

// Each element of `terms` is one term (a single word) or one phrase (several words in order).
export function parseSearchQuery (raw: string): ParsedQuery {
  const terms: string[][] = []
  const parts = raw.split('"')
  // an odd index is inside a pair of quotes; with an odd count of quotes the last one has no
  // partner, and what follows it is ordinary text
  const balanced = parts.length % 2 === 1
  parts.forEach((part, index) => {
    const inPhrase = index % 2 === 1 && (balanced || index < parts.length - 1)
    const found = words(part)
    if (inPhrase && found.length > 1) terms.push(found)
    else for (const word of found) terms.push([word])
  })
  if (terms.length === 0) throw invalidField('query', 'q', 'must contain at least one letter or digit')
  if (terms.length > MAX_TERMS) throw invalidField('query', 'q', `may contain at most ${MAX_TERMS} words and phrases`)
  return { terms, fts: terms.map((term) => quote(term.join(' '))).join(' ') }
}
