// Management endpoints for tags (need a content:write key).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { Problem } from '../http/problem.js'
import { ifMatchHeaders, staleIfMatch } from '../http/if-match.js'
import { createTag, deleteTag, updateTag } from './service.js'
import { TagCreate, TagPatch, TagSlugParams } from './management-schemas.js'
import { Tag } from './schemas.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const { security, response: authErrors } = secured('content:write')
const WRITE = scopeNote('content:write')
const IfMatch = ifMatchHeaders('tag')
const ETAG = 'The response\'s `ETag` names the tag\'s current state; send it back as `If-Match` to make a later change only if nobody changed the tag in between (412 otherwise).'

const managementTagRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('content:write'))

  app.post('/', {
    schema: {
      operationId: 'createTag',
      tags: ['Tags'],
      summary: 'Create a tag',
      description: `Creates a topic, place, person or organisation tag. ${ETAG} ${WRITE}`,
      security,
      body: TagCreate,
      response: { 201: Tag, ...authErrors, 409: problem('The slug is taken.') },
    },
  }, async (request, reply) => {
    const { record, etag } = await createTag(app.store, request.body, app.clock())
    markPrivate(reply).code(201).header('location', `/v1/tags/${record.slug}`).header('etag', etag)
    return record
  })

  app.patch('/:slug', {
    schema: {
      operationId: 'updateTag',
      tags: ['Tags'],
      summary: 'Edit a tag',
      description: `Changes a tag (a new slug must be unused). ${ETAG} ${WRITE}`,
      security,
      params: TagSlugParams,
      headers: IfMatch,
      body: TagPatch,
      response: { 200: Tag, ...authErrors, 409: problem('The new slug is taken.'), 412: staleIfMatch },
    },
  }, async (request, reply) => {
    const { record, etag } = await updateTag(app.store, request.params.slug, request.body, app.clock(), request.headers['if-match'])
    markPrivate(reply).header('etag', etag)
    return record
  })

  app.delete('/:slug', {
    schema: {
      operationId: 'deleteTag',
      tags: ['Tags'],
      summary: 'Delete a tag',
      description: `Deletes a tag that no article (drafts included) carries; otherwise 409. With \`If-Match\`, only if the tag is still in that state (412 otherwise). ${WRITE}`,
      security,
      params: TagSlugParams,
      headers: IfMatch,
      response: { 204: z.null().describe('Deleted.'), ...authErrors, 412: staleIfMatch, 409: problem('Articles still carry the tag.') },
    },
  }, async (request, reply) => {
    await deleteTag(app.store, request.params.slug, request.headers['if-match'])
    return reply.code(204).send(null)
  })
}

export default managementTagRoutes
