// CORS (@fastify/cors): any origin may read public responses by default (CORS_ORIGINS=*; no
// cookies are used, so no credentials are ever allowed); a list restricts it to those origins.
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const EXPOSED_HEADERS = ['ETag', 'Link', 'Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'Server-Timing', 'Surrogate-Key', 'X-Request-Id']

// The headers @fastify/cors adds to an actual (non-preflight) response, as a flat [name, value, ...]
// list, for the answers written outside Fastify (http/answer.ts). Vary is not among them: it belongs
// to the representation (corsVary).
export function corsResponseHeaders (origins: '*' | string[]): (origin: string | undefined) => string[] {
  const exposed = EXPOSED_HEADERS.join(', ')
  if (origins === '*') {
    const fixed = ['access-control-allow-origin', '*', 'access-control-expose-headers', exposed]
    return () => fixed
  }
  const allowed = new Set(origins)
  // @fastify/cors exposes the headers even to an origin it does not allow
  const denied = ['access-control-expose-headers', exposed]
  return (origin) => origin !== undefined && allowed.has(origin)
    ? ['access-control-allow-origin', origin, 'access-control-expose-headers', exposed]
    : denied
}

// The Vary that @fastify/cors adds to every answer when only some origins are allowed.
export function corsVary (origins: '*' | string[]): string | undefined {
  return origins === '*' ? undefined : 'Origin'
}

async function corsPlugin (app: FastifyInstance) {
  await app.register(cors, {
    origin: app.config.corsOrigins,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Last-Event-ID', 'X-Request-Id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    // an OPTIONS request without the preflight headers gets the same 204 instead of a text/plain 400
    strictPreflight: false,
  })
}

export default fp(corsPlugin, { name: 'cors' })
