// Related articles for a story: GET /v1/articles/{slug}/related.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isPreview } from '../http/auth.js'
import { notFound } from '../http/problem.js'
import { Slug } from '../tags/schemas.js'
import { RelatedArticles, RelatedQuery } from './schemas.js'
import { readRepos } from '../db/store.js'

const relatedRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/:slug/related', {
    schema: {
      operationId: 'listRelatedArticles',
      tags: ['Articles'],
      summary: 'Related articles',
      description: 'Editor-chosen related articles first, in their order, then automatic ones: articles sharing the story\'s tags (rarer tags weigh more), ' +
        'from the same section (or, less, its parent section), closer in publication time to the story weighing more; ties by publication time, then id, newest first. ' +
        'Never the story itself and never unpublished articles. Each item says why it is there in `reason`. 404 when the story is unknown or not published.',
      params: z.object({ slug: Slug.describe('The story\'s slug.') }),
      querystring: RelatedQuery,
      response: { 200: RelatedArticles },
    },
  }, async function listRelatedArticles (request, reply) {
    const preview = isPreview(request)
    if (preview) reply.header('cache-control', 'private, no-store')
    const visibility = { now: app.clock(), preview }
    const { related } = readRepos(app.store, preview)
    const story = await related.findStory(request.params.slug, visibility)
    if (!story) throw notFound('article', request.params.slug)
    return { data: await related.findRelated(story, request.query.limit, visibility) }
  })
}

export default relatedRoutes
