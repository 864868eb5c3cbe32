// Management endpoints for tags (need a content:write key).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { EVERYTHING } from '../http/response-cache.js'
import { z } from 'zod'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { Problem } from '../http/problem.js'
import { createTag, deleteTag, updateTag } from './management-repository.js'
import { TagCreate, TagPatch, TagSlugParams } from './management-schemas.js'
import { Tag } from './schemas.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const { security, response: authErrors } = secured('content:write')
const WRITE = scopeNote('content:write')

const managementTagRoutes: FastifyPluginAsyncZod = async (app) => {
  // a rename or move reaches every article, list and breadcrumb that shows it: drop the whole cache
  app.addHook('onSend', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 300) app.contentChanged([EVERYTHING])
  })
  app.addHook('onRequest', requireScope('content:write'))

  app.post('/', {
    schema: {
      operationId: 'createTag',
      tags: ['Tags'],
      summary: 'Create a tag',
      description: `Creates a topic, place, person or organisation tag. ${WRITE}`,
      security,
      body: TagCreate,
      response: { 201: Tag, ...authErrors, 409: problem('The slug is taken.') },
    },
  }, async (request, reply) => {
    const tag = createTag(app.db, request.body, app.clock())
    markPrivate(reply).code(201).header('location', `/v1/tags/${tag.slug}`)
    return tag
  })

  app.patch('/:slug', {
    schema: {
      operationId: 'updateTag',
      tags: ['Tags'],
      summary: 'Edit a tag',
      description: `Changes a tag (a new slug must be unused). ${WRITE}`,
      security,
      params: TagSlugParams,
      body: TagPatch,
      response: { 200: Tag, ...authErrors, 409: problem('The new slug is taken.') },
    },
  }, async (request, reply) => {
    markPrivate(reply)
    return updateTag(app.db, request.params.slug, request.body, app.clock())
  })

  app.delete('/:slug', {
    schema: {
      operationId: 'deleteTag',
      tags: ['Tags'],
      summary: 'Delete a tag',
      description: `Deletes a tag that no article (drafts included) carries; otherwise 409. ${WRITE}`,
      security,
      params: TagSlugParams,
      response: { 204: z.null().describe('Deleted.'), ...authErrors, 409: problem('Articles still carry the tag.') },
    },
  }, async (request, reply) => {
    deleteTag(app.db, request.params.slug)
    return reply.code(204).send(null)
  })
}

export default managementTagRoutes
