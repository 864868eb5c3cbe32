// The absolute origin for links in feeds and sitemaps: PUBLIC_BASE_URL, or else the request's own
// scheme and Host (fine for development; set PUBLIC_BASE_URL in production, as Host is client-chosen).
import type { FastifyRequest } from 'fastify'
import { invalidField } from '../http/problem.js'

export function publicBaseUrl (request: FastifyRequest): string {
  const configured = request.server.config.publicBaseUrl
  if (configured !== undefined) return configured.replace(/\/+$/, '')
  try {
    const url = new URL(`${request.protocol}://${request.host}`)
    if (url.username || url.password || url.pathname !== '/') throw new Error('not a bare host')
    return url.origin
  } catch {
    throw invalidField('header', 'host', 'is not a valid host name')
  }
}
