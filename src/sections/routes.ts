// Delivery routes for the section tree: the whole tree, and one section by its path.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { PreviewQuery } from '../http/auth.js'
import { previewFor } from '../http/preview.js'
import { notFound } from '../http/problem.js'
import { jsonResponse } from '../http/responses.js'
import { wildcardAsPath } from '../http/wildcard-path.js'
import { Section, SectionPath } from './schemas.js'

const SectionList = z.object({
  data: z.array(Section).describe('Top-level sections in `position` order, each with nested `children`.'),
}).meta({ id: 'SectionList' })

const sectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'listSections',
      tags: ['Sections'],
      summary: 'The section tree',
      description: 'Every section as a tree: the top-level sections in `position` order, each with its `children` ' +
        '(recursively) and its `breadcrumbs` from the top of the tree.',
      querystring: PreviewQuery,
      response: { 200: jsonResponse('The section tree.', SectionList) },
    },
  }, async function listSections (request, reply) {
    previewFor(request, reply)
    return { data: (await app.store.delivery.sections.tree()).roots }
  })

  app.get('/*', {
    ...wildcardAsPath,
    schema: {
      operationId: 'getSection',
      tags: ['Sections'],
      summary: 'One section by its path',
      description: 'The section at a slash-joined path such as `news/world-news`, with its children and breadcrumbs. ' +
        'An unknown path is a 404 problem; a malformed one a 400 problem naming `path`.',
      params: z.object({ path: SectionPath.meta({ example: 'news/world-news' }) }),
      querystring: PreviewQuery,
      response: { 200: jsonResponse('The section, with its children and breadcrumbs.', Section) },
    },
  }, async function getSection (request, reply) {
    previewFor(request, reply)
    const section = (await app.store.delivery.sections.tree()).byPath.get(request.params.path)
    if (!section) throw notFound('section', request.params.path)
    return section
  })
}

export default sectionRoutes
