// API-key authentication and scopes. Management routes use requireScope(...) as a preHandler;
// delivery routes call isPreview(request) to decide whether drafts may be shown.
// (Stub until the management API lands: no key is ever accepted, so preview is always refused.)
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { z } from 'zod'
import { forbidden, unauthorized } from './problem.js'

export const Scope = z.enum(['content:write', 'content:preview', 'admin']).meta({ id: 'Scope' })
export type Scope = z.infer<typeof Scope>

export const PreviewQuery = z.object({
  preview: z.enum(['true', 'false']).optional().transform((v) => v === 'true')
    .describe('`true` shows drafts and scheduled articles; needs a key with scope `content:preview`.'),
})

export function requireScope (scope: Scope): preHandlerAsyncHookHandler {
  return async () => {
    throw unauthorized(`This operation needs an API key with scope ${scope}.`)
  }
}

// True when the request asked for preview and may have it; throws 401/403 when it may not.
export function isPreview (request: FastifyRequest): boolean {
  const preview = (request.query as { preview?: boolean } | undefined)?.preview === true
  if (preview) throw forbidden('preview=true needs an API key with scope content:preview.')
  return false
}
