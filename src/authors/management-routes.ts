// Management endpoints for authors (need a content:write key).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { Problem } from '../http/problem.js'
import { ifMatchHeaders, staleIfMatch } from '../http/if-match.js'
import { createAuthor, deleteAuthor, updateAuthor } from './service.js'
import { AuthorCreate, AuthorPatch, AuthorSlugParams } from './management-schemas.js'
import { Author } from './schemas.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const { security, response: authErrors } = secured('content:write')
const WRITE = scopeNote('content:write')
const IfMatch = ifMatchHeaders('author')
const ETAG = 'The response\'s `ETag` names the author\'s current state; send it back as `If-Match` to make a later change only if nobody changed the author in between (412 otherwise).'

const managementAuthorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('content:write'))

  app.post('/', {
    schema: {
      operationId: 'createAuthor',
      tags: ['Authors'],
      summary: 'Create an author',
      description: `Creates a staff writer, contributor or wire agency (kind \`agency\`). ${ETAG} ${WRITE}`,
      security,
      body: AuthorCreate,
      response: { 201: Author, ...authErrors, 409: problem('The slug is taken.') },
    },
  }, async (request, reply) => {
    const { record, etag } = await createAuthor(app.store, request.body, app.clock())
    markPrivate(reply).code(201).header('location', `/v1/authors/${record.slug}`).header('etag', etag)
    return record
  })

  app.patch('/:slug', {
    schema: {
      operationId: 'updateAuthor',
      tags: ['Authors'],
      summary: 'Edit an author',
      description: `Changes an author (a new slug must be unused). ${ETAG} ${WRITE}`,
      security,
      params: AuthorSlugParams,
      headers: IfMatch,
      body: AuthorPatch,
      response: { 200: Author, ...authErrors, 409: problem('The new slug is taken.'), 412: staleIfMatch },
    },
  }, async (request, reply) => {
    const { record, etag } = await updateAuthor(app.store, request.params.slug, request.body, app.clock(), request.headers['if-match'])
    markPrivate(reply).header('etag', etag)
    return record
  })

  app.delete('/:slug', {
    schema: {
      operationId: 'deleteAuthor',
      tags: ['Authors'],
      summary: 'Delete an author',
      description: `Deletes an author that no article (drafts included) credits; otherwise 409. With \`If-Match\`, only if the author is still in that state (412 otherwise). ${WRITE}`,
      security,
      params: AuthorSlugParams,
      headers: IfMatch,
      response: { 204: z.null().describe('Deleted.'), ...authErrors, 412: staleIfMatch, 409: problem('Articles still credit the author.') },
    },
  }, async (request, reply) => {
    await deleteAuthor(app.store, request.params.slug, request.headers['if-match'])
    return reply.code(204).send(null)
  })
}

export default managementAuthorRoutes
