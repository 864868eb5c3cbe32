// Delivery handlers call previewFor(request, reply): it authorises `?preview=true` (401/403 when the
// key may not) and marks a preview response `Cache-Control: private, no-store`.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isPreview } from './auth.js'

export function previewFor (request: FastifyRequest, reply: FastifyReply): boolean {
  const preview = isPreview(request)
  if (preview) reply.header('cache-control', 'private, no-store')
  return preview
}
