// Site search: GET /v1/search?q= over headline, standfirst and body.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { isPreview } from '../http/auth.js'
import { nextPageUrl } from '../http/cursor.js'
import { parseSearchQuery } from './query.js'
import { decodeSearchCursor, encodeSearchCursor, searchPage } from './service.js'
import { SearchQuery, SearchResults } from './schemas.js'
import { readRepos } from '../db/store.js'

const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'searchArticles',
      tags: ['Search'],
      summary: 'Search articles',
      description: 'Full-text search over headline, standfirst and body, with diacritics folded (`Raqqa` finds `Raqqā`) and English stemming (`running` finds `run`). ' +
        'Every word must match; "double-quoted words" must match as a phrase. Ranked by relevance (headline above standfirst above body) blended with recency. ' +
        'Takes the same filters and cursor paging as `GET /v1/articles`; the next page is also in a `Link: <...>; rel="next"` header. ' +
        'When more stories match than the server\'s `SEARCH_RANK_LIMIT` (1000 by default), only the newest that many matches (that pass the filters, when filtered) are ranked and paged through, with a relevance that weighs each word by the field it is in; scores compare within one result list only.',
      querystring: SearchQuery,
      response: { 200: SearchResults },
    },
  }, async function searchArticles (request, reply) {
    const preview = isPreview(request)
    if (preview) reply.header('cache-control', 'private, no-store')
    const { q, limit, cursor, preview: _preview, ...filterQuery } = request.query
    const parsed = parseSearchQuery(q)
    const filters = await readRepos(app.store, preview).articles.resolveFilters(filterQuery)
    const scope = `search:${parsed.fts}:${JSON.stringify(filterQuery)}:${preview}`
    const after = decodeSearchCursor(app.cursors, cursor, scope)
    const page = await searchPage(app.store, parsed, filters, { limit, after }, { now: app.clock(), preview }, app.config.searchRankLimit)
    const nextCursor = page.next ? encodeSearchCursor(app.cursors, page.next, scope) : null
    if (nextCursor) reply.header('link', `<${nextPageUrl(request.url, nextCursor)}>; rel="next"`)
    return { data: page.results, page: { limit, nextCursor } }
  })
}

export default searchRoutes
