// Delivery of curated collections: GET /v1/collections/{slug}.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isPreview, PreviewQuery } from '../http/auth.js'
import { notFound } from '../http/problem.js'
import { Slug } from '../tags/schemas.js'
import { findCollection } from './service.js'
import { Collection } from './schemas.js'
import { readRepos } from '../db/store.js'

const collectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/:slug', {
    schema: {
      operationId: 'getCollection',
      tags: ['Collections'],
      summary: 'A curated collection',
      description: 'The editors\' list in their order. Items whose `expiresAt` has passed, and unpublished, scheduled or deleted articles, are left out; `position` is renumbered from 0 over the items shown.',
      params: z.object({ slug: Slug.describe('The collection slug, e.g. `selected`.') }),
      querystring: PreviewQuery,
      response: { 200: Collection },
    },
  }, async function getCollection (request, reply) {
    const preview = isPreview(request)
    if (preview) reply.header('cache-control', 'private, no-store')
    const collection = await findCollection(readRepos(app.store, preview), request.params.slug, { now: app.clock(), preview })
    if (!collection) throw notFound('collection', request.params.slug)
    return collection
  })
}

export default collectionRoutes
