// Home and section fronts in one call: GET /v1/fronts and GET /v1/fronts/{path}.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isPreview } from '../http/auth.js'
import { notFound } from '../http/problem.js'
import { Front, FrontQuery } from './schemas.js'
import { buildFront, findFrontSection } from './service.js'

const description = 'The modules of a front page in one call: `selected` (editors\' picks), `latest` and `mostViewed` (24 hours). ' +
  'No article appears in more than one module (precedence: selected, then latest, then most viewed); `limit` applies to each module.'

const frontRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'getHomeFront',
      tags: ['Fronts'],
      summary: 'The home front',
      description: `${description} On the home front \`section\` is null, \`selected\` is the \`selected\` collection, and \`latest\` and \`mostViewed\` cover the whole site.`,
      querystring: FrontQuery,
      response: { 200: Front },
    },
  }, async function getHomeFront (request, reply) {
    const preview = isPreview(request)
    if (preview) reply.header('cache-control', 'private, no-store')
    return await buildFront(app.store, undefined, request.query.limit, { now: app.clock(), preview }, app.config.mostViewedCacheSeconds * 1000)
  })

  app.get('/*', {
    schema: {
      operationId: 'getSectionFront',
      tags: ['Fronts'],
      summary: 'A section front',
      description: `${description} \`latest\` and \`mostViewed\` include the section's descendants; \`selected\` is the collection named by the section's \`selectedCollection\` setting, or \`selected\`.`,
      params: z.object({ '*': z.string().max(400).describe('The section path, e.g. `news/world-news`.') }),
      querystring: FrontQuery,
      response: { 200: Front },
    },
  }, async function getSectionFront (request, reply) {
    const preview = isPreview(request)
    if (preview) reply.header('cache-control', 'private, no-store')
    const path = request.params['*'].replace(/\/+$/, '')
    if (path === '') return await buildFront(app.store, undefined, request.query.limit, { now: app.clock(), preview }, app.config.mostViewedCacheSeconds * 1000)
    const section = await findFrontSection(app.store, path)
    if (!section) throw notFound('section', path)
    return await buildFront(app.store, section, request.query.limit, { now: app.clock(), preview }, app.config.mostViewedCacheSeconds * 1000)
  })
}

export default frontRoutes
