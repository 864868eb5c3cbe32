// Routes ending in a slash-joined path (`/v1/sections/news/world-news`) use Fastify's wildcard `*`;
// these options expose it to the params schema and to OpenAPI as a parameter named `path`.
import type { FastifyRequest } from 'fastify'
import type { SwaggerTransform } from '@fastify/swagger'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'

const swaggerTransform: SwaggerTransform = (input) =>
  jsonSchemaTransform({ ...input, url: input.url.replace('*', '{path}') } as Parameters<typeof jsonSchemaTransform>[0])

// Spread into the route options of a `/*` route whose params schema is `{ path: ... }`.
export const wildcardAsPath = {
  preValidation: async (request: FastifyRequest) => {
    const params = request.params as Record<string, string | undefined>
    params.path = params['*']
  },
  config: { swaggerTransform },
}
