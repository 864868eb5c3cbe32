// Management endpoints for the section tree (need a content:write key).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { Problem } from '../http/problem.js'
import { ifMatchHeaders, staleIfMatch } from '../http/if-match.js'
import { ManagedSection, SectionCreate, SectionPatch, SectionPathParams } from './management-schemas.js'
import { createSection, deleteSection, updateSection } from './service.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const { security, response: authErrors } = secured('content:write')
const WRITE = scopeNote('content:write')
const IfMatch = ifMatchHeaders('section')
const ETAG = 'The response\'s `ETag` names the section\'s current state (it changes too when the parent is renamed or moved); send it back as `If-Match` to make a later change only if nobody changed the section in between (412 otherwise).'

const managementSectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('content:write'))

  app.post('/', {
    schema: {
      operationId: 'createSection',
      tags: ['Sections'],
      summary: 'Create a section',
      description: `Creates a section under \`parent\` (a path) or at the top. ${ETAG} ${WRITE}`,
      security,
      body: SectionCreate,
      response: { 201: ManagedSection, ...authErrors, 409: problem('A section with that path exists.') },
    },
  }, async (request, reply) => {
    const { record, etag } = await createSection(app.store, request.body, app.clock())
    markPrivate(reply).code(201).header('location', `/v1/sections/${record.path}`).header('etag', etag)
    return record
  })

  app.patch('/*', {
    schema: {
      operationId: 'updateSection',
      tags: ['Sections'],
      summary: 'Edit or move a section',
      description: `Changing \`slug\` or \`parent\` changes the path of the section and of every section under it; article URLs follow. ${ETAG} ${WRITE}`,
      security,
      params: SectionPathParams,
      headers: IfMatch,
      body: SectionPatch,
      response: { 200: ManagedSection, ...authErrors, 409: problem('The new path is taken.'), 412: staleIfMatch },
    },
  }, async (request, reply) => {
    const { record, etag } = await updateSection(app.store, request.params['*'], request.body, app.clock(), request.headers['if-match'])
    markPrivate(reply).header('etag', etag)
    return record
  })

  app.delete('/*', {
    schema: {
      operationId: 'deleteSection',
      tags: ['Sections'],
      summary: 'Delete a section',
      description: `Deletes an empty section: one that still has articles (drafts included) or child sections answers 409. With \`If-Match\`, only if the section is still in that state (412 otherwise). ${WRITE}`,
      security,
      params: SectionPathParams,
      headers: IfMatch,
      response: { 204: z.null().describe('Deleted.'), ...authErrors, 412: staleIfMatch, 409: problem('The section still has articles or children.') },
    },
  }, async (request, reply) => {
    await deleteSection(app.store, request.params['*'], request.headers['if-match'])
    return reply.code(204).send(null)
  })
}

export default managementSectionRoutes
