// API-key authentication and scopes. Management routes use requireScope(...) as a preHandler;
// delivery routes call isPreview(request) to decide whether drafts may be shown.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'
import { findActiveKey, SCOPES, type ApiKeyPrincipal } from '../keys/repository.js'
import { forbidden, Problem, unauthorized } from './problem.js'

export const Scope = z.enum(SCOPES).meta({ id: 'Scope' })
export type Scope = z.infer<typeof Scope>

export const PreviewQuery = z.object({
  preview: z.enum(['true', 'false']).optional().transform((v) => v === 'true')
    .describe('`true` shows drafts and scheduled articles; needs a key with scope `content:preview`.'),
})

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKeyPrincipal | null
    privateResponse: boolean
  }
}

const BEARER = /^Bearer ([^\s]+)$/i

// The key sent as `Authorization: Bearer <key>`; a key anywhere else (e.g. the query string) is ignored.
export function authenticate (request: FastifyRequest): ApiKeyPrincipal {
  if (request.apiKey) return request.apiKey
  const header = request.headers.authorization
  if (!header) throw unauthorized('This operation needs an API key: send `Authorization: Bearer <api key>`.')
  const token = BEARER.exec(header.trim())?.[1]
  if (!token) throw unauthorized('The Authorization header must be `Bearer <api key>`.')
  const key = findActiveKey(request.server.db, token, request.server.clock())
  if (!key) throw unauthorized('The API key is unknown or revoked.')
  request.apiKey = key
  return key
}

export const hasScope = (key: ApiKeyPrincipal, scope: Scope) => key.scopes.includes('admin') || key.scopes.includes(scope)

export function requireScope (scope: Scope): preHandlerAsyncHookHandler {
  return async (request) => {
    const key = authenticate(request)
    if (!hasScope(key, scope)) throw forbidden(`This operation needs an API key with scope ${scope} (or admin).`)
  }
}

// Marks a response as one that no shared cache may keep (previews, management reads).
export function markPrivate (reply: FastifyReply): FastifyReply {
  reply.request.privateResponse = true
  return reply.header('cache-control', 'private, no-store')
}

// True when the request asked for preview and may have it; throws 401/403 when it may not.
// A true answer also makes the response `Cache-Control: private, no-store`, whatever the route sets.
export function isPreview (request: FastifyRequest): boolean {
  const preview = (request.query as { preview?: unknown } | undefined)?.preview
  if (preview !== true && preview !== 'true') return false
  const key = authenticate(request)
  if (!hasScope(key, 'content:preview')) throw forbidden('preview=true needs an API key with scope content:preview (or admin).')
  request.privateResponse = true
  return true
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
})

// The OpenAPI parts of a route that needs a key: security requirement and the 401/403 answers.
export function secured (scope: Scope) {
  return {
    security: [{ bearer: [] }],
    response: {
      401: problemResponse('No API key, a malformed `Authorization` header, or an unknown or revoked key.'),
      403: problemResponse(`The API key lacks scope \`${scope}\`.`),
    },
  }
}

export const scopeNote = (scope: Scope) =>
  `Needs \`Authorization: Bearer <api key>\` with scope \`${scope}\` (or \`admin\`).`

async function authPlugin (app: FastifyInstance) {
  app.decorateRequest('apiKey', null)
  app.decorateRequest('privateResponse', false)
  app.addHook('onSend', (request, reply, _payload, done) => {
    if (request.privateResponse) reply.header('cache-control', 'private, no-store')
    done()
  })
}

export default fp(authPlugin, { name: 'auth' })
