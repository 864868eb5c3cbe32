// Delivery routes for tags: the list (optionally of one type) and one tag by slug.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { PreviewQuery } from '../http/auth.js'
import { previewFor } from '../http/preview.js'
import { notFound } from '../http/problem.js'
import { jsonResponse } from '../http/responses.js'
import { TAG_LIST_CAP } from './repository.js'
import { Slug, Tag, TagType } from './schemas.js'

const TagList = z.object({
  data: z.array(Tag).describe(`Tags ordered by name (at most ${TAG_LIST_CAP}).`),
}).meta({ id: 'TagList' })

const tagRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'listTags',
      tags: ['Tags'],
      summary: 'List tags',
      description: `Every tag ordered by name, optionally only those of one \`type\`. Not paged: at most ${TAG_LIST_CAP} tags are returned.`,
      querystring: z.object({
        type: TagType.optional().describe('Only tags of this type: `topic`, `place`, `person` or `organisation`.'),
      }).extend(PreviewQuery.shape),
      response: { 200: jsonResponse('The tags, ordered by name.', TagList) },
    },
  }, async function listTags (request, reply) {
    previewFor(request, reply)
    return { data: await app.store.delivery.tags.list({ type: request.query.type }) }
  })

  app.get('/:slug', {
    schema: {
      operationId: 'getTag',
      tags: ['Tags'],
      summary: 'One tag by slug',
      description: 'The tag with this slug; an unknown slug is a 404 problem.',
      params: z.object({ slug: Slug.describe('The tag slug.').meta({ example: 'climate' }) }),
      querystring: PreviewQuery,
      response: { 200: jsonResponse('The tag.', Tag) },
    },
  }, async function getTag (request, reply) {
    previewFor(request, reply)
    const tag = await app.store.delivery.tags.findBySlug(request.params.slug)
    if (!tag) throw notFound('tag', request.params.slug)
    return tag
  })
}

export default tagRoutes
