// Response serialisation. With validation on (the default outside production, and in every test)
// each response goes through its zod schema (fastify-type-provider-zod); on the hot delivery routes
// the handlers build their answers in schema shape, and validation also checks that plain
// JSON.stringify gives the very same bytes. With validation off (production) those routes skip
// zod and are JSON.stringify'd directly: zod's encode cost about as much as the rest of the request.
import { serializerCompiler } from 'fastify-type-provider-zod'

type SerializerCompiler = typeof serializerCompiler

// 200 answers of the delivery reads a CDN or a page hits most (route url as Fastify has it).
export const FAST_ROUTES = new Set([
  'GET /v1/articles',
  'GET /v1/articles/:article',
  'GET /v1/articles/:slug/related',
  'GET /v1/search',
  'GET /v1/most-viewed',
  // a live blog's entry pages (20 entries of several blocks: zod's encode was a sixth of the request)
  'GET /v1/articles/:article/entries',
])

export function responseSerializer (validate: boolean): SerializerCompiler {
  return (route) => {
    const fast = String(route.httpStatus) === '200' && FAST_ROUTES.has(`${route.method} ${route.url}`)
    if (!fast) return serializerCompiler(route)
    if (!validate) return (data: unknown) => JSON.stringify(data)
    const checked = serializerCompiler(route)
    return (data: unknown) => {
      const out = checked(data)
      if (JSON.stringify(data) !== out) {
        throw new Error(`${route.method} ${route.url}: the handler's answer is not in schema shape, so JSON.stringify would differ from the validated body`)
      }
      return out
    }
  }
}
