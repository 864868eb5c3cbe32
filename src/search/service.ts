// Site search as delivery serves it: the ranked page from the search repository, then summaries,
// snippets and the next cursor. The snippets are made in JS from the indexed text (snippet.ts), the
// same as FTS5's snippet() with 24 tokens, at a fraction of its cost, on either engine.
import escapeHtml from 'escape-html'
import { z } from 'zod'
import type { ArticleFilters } from '../articles/list-query.js'
import type { Visibility } from '../articles/summaries.js'
import { readRepos, type Store } from '../db/store.js'
import type { Cursors } from '../http/cursor.js'
import { invalidField } from '../http/problem.js'
import type { ParsedQuery } from './query.js'
import type { SearchPosition } from './repository.js'
import type { SearchResults } from './schemas.js'
import { snippet, snippetQuery } from './snippet.js'

// Private markers around matches inside snippet(): they cannot be typed into HTML, and are turned
// into <mark> only after the text has been escaped.
const OPEN = '\u0002'
const CLOSE = '\u0003'

export function markSnippet (raw: string): string {
  const [head = '', ...rest] = escapeHtml(raw).split(OPEN)
  return head.replaceAll(CLOSE, '') + rest.map((part) => {
    const end = part.indexOf(CLOSE)
    return end < 0 ? part : `<mark>${part.slice(0, end)}</mark>${part.slice(end + 1).replaceAll(CLOSE, '')}`
  }).join('')
}

const SearchCursor = z.object({ s: z.number(), i: z.number().int(), t: z.number().int() })

export function decodeSearchCursor (cursors: Cursors, raw: string | undefined, scope: string): SearchPosition | undefined {
  if (raw === undefined) return undefined
  const parsed = SearchCursor.safeParse(cursors.decode(raw, scope))
  if (!parsed.success) throw invalidField('query', 'cursor', 'is malformed')
  return parsed.data
}

export const encodeSearchCursor = (cursors: Cursors, position: SearchPosition, scope: string) => cursors.encode(position, scope)

export interface SearchPage {
  results: SearchResults['data']
  next: SearchPosition | null
}

// `rankLimit`: above this many matches only the newest this many are ranked (repository.ts)
export async function searchPage (store: Store, query: ParsedQuery, filters: ArticleFilters, page: { limit: number, after?: SearchPosition | undefined }, visibility: Visibility, rankLimit?: number): Promise<SearchPage> {
  const repos = readRepos(store, visibility.preview)
  const at = page.after?.t ?? visibility.now
  const rows = await repos.search.rank(query, filters, page, visibility, rankLimit)
  const more = rows.length > page.limit
  const shown = more ? rows.slice(0, page.limit) : rows
  const ids = shown.map((row) => row.id)
  const [texts, summaries] = await Promise.all([repos.search.indexedText(ids), repos.articles.summariesByIds(ids, visibility)])
  const textById = new Map(texts.map((row) => [row.id, row]))
  const scores = new Map(shown.map((row) => [row.id, row.score]))
  const terms = snippetQuery(query.terms)
  const results = summaries.map((summary) => {
    const text = textById.get(summary.id)
    return {
      ...summary,
      snippet: text ? markSnippet(snippet([text.headline ?? '', text.standfirst ?? '', text.body ?? ''], terms, OPEN, CLOSE, '…', 24)) : '',
      score: Number((scores.get(summary.id) ?? 0).toPrecision(6)),
    }
  })
  const last = shown.at(-1)
  return { results, next: more && last ? { s: last.score, i: last.id, t: at } : null }
}
