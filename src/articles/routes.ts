// Delivery routes for articles: the latest list with filters and cursor paging, and one full article.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { PreviewQuery } from '../http/auth.js'
import { nextPageUrl } from '../http/cursor.js'
import { previewFor } from '../http/preview.js'
import { notFound } from '../http/problem.js'
import { jsonResponse } from '../http/responses.js'
import { Slug } from '../tags/schemas.js'
import { ArticleFilterQuery, articleListScope, decodeListCursor, encodeListCursor, Page, PageQuery } from './list-query.js'
import { withLiveState } from '../liveblogs/routes.js'
import { renderBodyHtml, renderBodyText } from './render.js'
import { Article, ArticleSummary } from './schemas.js'
import { readRepos } from '../db/store.js'

export const ArticleList = z.object({
  data: z.array(ArticleSummary),
  page: Page,
}).meta({ id: 'ArticleList', description: 'One page of articles, latest first.' })

const articleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'listArticles',
      tags: ['Articles'],
      summary: 'Latest articles',
      description: 'Published articles, latest first (ties on `publishedAt` broken by id), filtered by section ' +
        '(with all its descendants), tags (any of), author and publication time. Paged with an opaque cursor: pass ' +
        '`page.nextCursor` as `cursor` with the same filters to get the next page; the `Link: <...>; rel="next"` ' +
        'header carries the same URL. A cursor used with other filters, or altered, is a 400 problem naming `cursor`; ' +
        'an unknown section, tag or author is a 400 problem naming the parameter.',
      querystring: ArticleFilterQuery.extend(PageQuery.shape).extend(PreviewQuery.shape),
      response: {
        200: jsonResponse('One page of articles, latest first. When there is a next page, the `Link: <url>; rel="next"` header carries its URL.', ArticleList),
      },
    },
  }, async function listArticles (request, reply) {
    const preview = previewFor(request, reply)
    const { limit, cursor, preview: _preview, ...filterQuery } = request.query
    const { articles } = readRepos(app.store, preview)
    const filters = await articles.resolveFilters(filterQuery)
    const scope = articleListScope('articles', filters, preview)
    const page = await articles.list(filters, { limit, after: decodeListCursor(app.cursors, cursor, scope) }, { now: app.clock(), preview })
    const nextCursor = page.next ? encodeListCursor(app.cursors, page.next, scope) : null
    if (nextCursor) reply.header('link', `<${nextPageUrl(request.url, nextCursor)}>; rel="next"`)
    return { data: page.data, page: { limit, nextCursor } }
  })

  app.get('/:article', {
    schema: {
      operationId: 'getArticle',
      tags: ['Articles'],
      summary: 'One full article',
      description: 'The full published article with this slug: structured body, authors in credit order, tags, ' +
        'section and breadcrumbs, site `url`, word count and reading time, and editor-chosen related ids. ' +
        '`format=html` adds `bodyHtml` (escaped, semantic HTML; embeds are plain links, never third-party scripts) and ' +
        '`format=text` adds `bodyText`. A live blog adds `live` (its state and key events; entries at `/v1/articles/{slug}/entries`). ' +
        'Drafts, scheduled articles and unknown slugs are 404 problems.',
      // `article` (not `slug`): PATCH and DELETE share this path template with the numeric id, and OpenAPI
      // requires one parameter name per template
      params: z.object({ article: Slug.describe('The article slug.').meta({ example: 'ceasefire-talks-resume' }) }),
      querystring: z.object({
        format: z.enum(['html', 'text']).optional().describe('Add the body rendered as `bodyHtml` (`html`) or `bodyText` (`text`).'),
      }).extend(PreviewQuery.shape),
      response: { 200: jsonResponse('The full article.', Article) },
    },
  }, async function getArticle (request, reply) {
    const preview = previewFor(request, reply)
    const found = await readRepos(app.store, preview).articles.findBySlug(request.params.article, { now: app.clock(), preview })
    if (!found) throw notFound('article', request.params.article)
    const article = found.liveBlog === undefined ? found : await withLiveState(app, reply, found)
    if (request.query.format === 'html') return { ...article, bodyHtml: renderBodyHtml(article.body) }
    if (request.query.format === 'text') return { ...article, bodyText: renderBodyText(article.body) }
    return article
  })
}

export default articleRoutes
