// Search schemas: the query string and a page of hits.
import { z } from 'zod'
import { ArticleFilterQuery, Page, PageQuery } from '../articles/list-query.js'
import { ArticleSummary } from '../articles/schemas.js'
import { PreviewQuery } from '../http/auth.js'

export const SearchQuery = z.object({
  q: z.string().max(500).describe('What to search for (at most 500 characters). Words are all required; put "several words" in double quotes to search for the exact phrase. Operators and punctuation are searched as plain text.'),
  ...ArticleFilterQuery.shape,
  ...PageQuery.shape,
  ...PreviewQuery.shape,
})

export const SearchHit = ArticleSummary.extend({
  snippet: z.string().describe('An HTML fragment: escaped text from the best-matching field with `<mark>` around matched words; no other markup.'),
  score: z.number().describe('Relevance blended with recency; higher is better. Comparable within one result list only.'),
}).meta({ id: 'SearchHit' })

export const SearchResults = z.object({
  data: z.array(SearchHit),
  page: Page,
}).meta({ id: 'SearchResults' })
export type SearchResults = z.infer<typeof SearchResults>
