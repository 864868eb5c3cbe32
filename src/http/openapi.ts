// The OpenAPI 3.1 document, generated from the routes' zod schemas, plus Swagger UI at /docs.
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { documentHttpHeaders } from './openapi-headers.js'
import { Problem } from './problem.js'

export const problemResponse = (description: string, headers?: Record<string, { description: string, type: string, format?: string, minimum?: number, maximum?: number }>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: Problem } },
})

// Every documented route answers these; merged into each route schema so no route repeats them.
const sharedErrors: Record<number, ReturnType<typeof problemResponse>> = {
  400: problemResponse('The request is invalid: `errors` names each bad parameter or field.'),
  404: problemResponse('No such record or route.'),
  500: problemResponse('The server failed; the body carries only the request id.'),
  503: problemResponse('The server is overloaded and shed this request; retry after `Retry-After` seconds.', {
    'Retry-After': { description: 'Seconds to wait before retrying.', type: 'integer', format: 'int32', minimum: 1, maximum: 86400 },
  }),
}

// Routes that declare `security` also answer these.
const securedErrors: Record<number, ReturnType<typeof problemResponse>> = {
  401: problemResponse('No API key, or the key is malformed, unknown or revoked.'),
  403: problemResponse('The API key lacks the scope this operation needs.'),
}

export const apiTags = [
  { name: 'Articles', description: 'Stories: latest lists, full articles with structured bodies, related articles.' },
  { name: 'Live blogs', description: 'Minute-by-minute coverage: entries of a live blog, newest on top, key events, pinned entries, and a Server-Sent Events stream.' },
  { name: 'Sections', description: 'The section tree (Home > News > World News).' },
  { name: 'Tags', description: 'Topics, places, people and organisations that articles are tagged with.' },
  { name: 'Authors', description: 'Staff writers, contributors and wire agencies.' },
  { name: 'Collections', description: "Editors' curated lists such as `selected` and `top-stories`." },
  { name: 'Fronts', description: 'Home and section fronts in one call.' },
  { name: 'Search', description: 'Full-text search.' },
  { name: 'Most viewed', description: 'Page-view counting and most-viewed lists.' },
  { name: 'Sync', description: 'A local copy of the published articles: initial sync, then changes with tombstones.' },
  { name: 'Feeds', description: 'RSS, Atom and JSON Feed syndication, and sitemaps.' },
  { name: 'Webhooks', description: 'Signed change notifications (Standard Webhooks) and their delivery log.' },
  { name: 'Operations', description: 'Health, readiness and metrics.' },
]

// The word "Dateline" in white on Swagger UI's dark top bar (shown 40 pixels high).
export const DATELINE_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40">' +
  '<title>Dateline</title><text x="0" y="30" fill="#ffffff" font-family="Georgia, serif" font-size="30" font-weight="bold">Dateline</text></svg>'

// The zod provider emits an input and an output variant of every registered schema; keep only the
// components that the document actually references, so clients see each shape once.
function pruneUnusedComponents (document: Record<string, any>) {
  const schemas: Record<string, unknown> = document.components?.schemas ?? {}
  const used = new Set<string>()
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length)
        if (!used.has(name)) {
          used.add(name)
          visit(schemas[name])
        }
      } else {
        visit(value)
      }
    }
  }
  visit({ ...document, components: { ...document.components, schemas: {} } })
  document.components.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)))
  return document
}

// jsonSchemaTransform drops `headers` from `{ description, content }` responses; put them back so
// routes can document response headers (Retry-After, ETag, Link) next to their content.
const transformKeepingHeaders: typeof jsonSchemaTransform = (input) => {
  const output = jsonSchemaTransform(input)
  const original = (input.schema as { response?: Record<string, { headers?: unknown }> } | undefined)?.response ?? {}
  const transformed = (output.schema as { response?: Record<string, Record<string, unknown>> }).response ?? {}
  for (const [status, response] of Object.entries(original)) {
    if (response?.headers && transformed[status] && !transformed[status].headers) transformed[status].headers = response.headers
  }
  return wildcardAsPathParam(output)
}

// Routes ending in a slash-joined section path are Fastify wildcards (`/v1/fronts/*`); OpenAPI sees
// them as a `{path}` parameter (Swagger UI sends it percent-encoded, which Fastify decodes).
function wildcardAsPathParam<T extends { url: string, schema: unknown }> (output: T): T {
  if (!output.url.includes('*')) return output
  const params = (output.schema as { params?: { properties?: Record<string, unknown>, required?: string[] } }).params
  if (params?.properties?.['*']) {
    const { '*': wildcard, ...rest } = params.properties
    params.properties = { ...rest, path: wildcard }
    params.required = (params.required ?? []).map((name) => (name === '*' ? 'path' : name))
  }
  return { ...output, url: output.url.replace('*', '{path}') }
}

export function addSharedErrorResponses (route: RouteOptions) {
  if (!route.schema || (route.schema as { hide?: boolean }).hide) return
  const response = (route.schema.response ?? {}) as Record<string | number, unknown>
  const secured = ((route.schema as { security?: unknown[] }).security ?? []).length > 0
  for (const [status, schema] of Object.entries({ ...sharedErrors, ...(secured ? securedErrors : {}) })) {
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
          'management endpoints need `Authorization: Bearer <api key>`. Errors are RFC 9457 problem documents. ' +
          'Request bodies are JSON: `application/json` (a byte-order mark is accepted), or `application/merge-patch+json` on PATCH; ' +
          'any other content type is `415` (page-view beacons excepted: their body is ignored). ' +
          'A query parameter given twice is a `400` naming it; unknown query parameters are ignored. ' +
          'A path matches with or without a trailing slash. A known path asked with a method it does not have is a `405` problem ' +
          'whose `Allow` header lists the methods it has (`HEAD` wherever `GET` is; `OPTIONS` answers CORS preflights everywhere); an unknown path is `404`. Slugs and section paths are lower-case ASCII: ' +
          'an upper-case or non-ASCII slug is a `400` naming the parameter (never a redirect).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // x-internal and an environment word in the description: OWASP API9 (inventory) asks for both
      servers: [{ url: '/', description: 'This server (production, or local under npm start)', 'x-internal': false } as { url: string, description: string }],
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
    transform: transformKeepingHeaders,
    transformObject: (document) => pruneUnusedComponents(documentHttpHeaders(jsonSchemaTransformObject(document) as Parameters<typeof documentHttpHeaders>[0]) as Record<string, any>) as ReturnType<typeof jsonSchemaTransformObject>,
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Dateline's name in the top bar instead of the plugin's default Fastify logo
    logo: { type: 'image/svg+xml', content: Buffer.from(DATELINE_LOGO) },
    theme: { title: 'Dateline API' },
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export default fp(openapiPlugin, { name: 'openapi' })
