// CORS (@fastify/cors): any origin may read public responses by default (CORS_ORIGINS=*; no
// cookies are used, so no credentials are ever allowed); a list restricts it to those origins.
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

async function corsPlugin (app: FastifyInstance) {
  await app.register(cors, {
    origin: app.config.corsOrigins,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Link', 'Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'Server-Timing', 'Surrogate-Key', 'X-Request-Id'],
    maxAge: 600,
  })
}

export default fp(corsPlugin, { name: 'cors' })
