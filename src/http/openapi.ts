// The OpenAPI 3.1 document, generated from the routes' zod schemas, plus Swagger UI at /docs.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { documentHttpHeaders } from './openapi-headers.js'
import { Problem } from './problem.js'

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
})

// Every documented route answers these; merged into each route schema so no route repeats them.
const sharedErrors: Record<number, ReturnType<typeof problemResponse>> = {
  400: problemResponse('The request is invalid: `errors` names each bad parameter or field.'),
  404: problemResponse('No such record or route.'),
  500: problemResponse('The server failed; the body carries only the request id.'),
}

export const apiTags = [
  { name: 'Articles', description: 'Stories: latest lists, full articles with structured bodies, related articles.' },
  { name: 'Sections', description: 'The section tree (Home > News > World News).' },
  { name: 'Tags', description: 'Topics, places, people and organisations that articles are tagged with.' },
  { name: 'Authors', description: 'Staff writers, contributors and wire agencies.' },
  { name: 'Collections', description: "Editors' curated lists such as `selected` and `top-stories`." },
  { name: 'Fronts', description: 'Home and section fronts in one call.' },
  { name: 'Search', description: 'Full-text search.' },
  { name: 'Most viewed', description: 'Page-view counting and most-viewed lists.' },
  { name: 'Feeds', description: 'RSS, Atom and JSON Feed syndication, and sitemaps.' },
  { name: 'Operations', description: 'Health, readiness and metrics.' },
]

export function addSharedErrorResponses (route: RouteOptions) {
  if (!route.schema || (route.schema as { hide?: boolean }).hide) return
  const response = (route.schema.response ?? {}) as Record<string | number, unknown>
  for (const [status, schema] of Object.entries(sharedErrors)) {
    if (!(status in response)) response[status] = schema
  }
  route.schema.response = response
}

async function openapiPlugin (app: FastifyInstance) {
  app.addHook('onRoute', addSharedErrorResponses)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dateline API',
        version: '1.0.0',
        description: 'Dateline is a headless content API for news publishers: articles with structured bodies, ' +
          'a section tree, tags, authors and wire agencies, related articles, curated collections, search, ' +
          'latest and most-viewed lists. Delivery endpoints are public and serve published content only; ' +
          'management endpoints need `Authorization: Bearer <api key>`. Errors are RFC 9457 problem documents.',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: apiTags,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key created with `npm run cli -- keys create --name NAME --scopes a,b`. Scopes: `content:write`, `content:preview`, `admin`.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => documentHttpHeaders(jsonSchemaTransformObject(document) as Parameters<typeof documentHttpHeaders>[0]) as ReturnType<typeof jsonSchemaTransformObject>,
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export default fp(openapiPlugin, { name: 'openapi' })
