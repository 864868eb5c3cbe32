// API-key authentication and scopes. Management routes use requireScope(...) as a hook; delivery
// routes call isPreview(request) to decide whether drafts may be shown. The key is looked up (in the
// store, asynchronously) by requireScope, and for `?preview=true` by a preHandler hook before the
// handler runs, so isPreview itself stays synchronous.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'
import { findActiveApiKey, SCOPES, type ApiKeyPrincipal } from '../keys/repository.js'
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
const bearerToken = (request: FastifyRequest) => BEARER.exec(request.headers.authorization?.trim() ?? '')?.[1]

// Looks up the key sent as `Authorization: Bearer <key>` (a key anywhere else, e.g. the query
// string, is ignored) and keeps it on the request; authenticate() then answers without the store.
export async function loadApiKey (request: FastifyRequest): Promise<void> {
  if (request.apiKey) return
  const token = bearerToken(request)
  if (token) request.apiKey = await findActiveApiKey(request.server.store, token, request.server.clock())
}

// The key loadApiKey found, or a 401 saying what is wrong with the request's Authorization header.
export function authenticate (request: FastifyRequest): ApiKeyPrincipal {
  if (request.apiKey) return request.apiKey
  if (!request.headers.authorization) throw unauthorized('This operation needs an API key: send `Authorization: Bearer <api key>`.')
  if (!bearerToken(request)) throw unauthorized('The Authorization header must be `Bearer <api key>`.')
  throw unauthorized('The API key is unknown or revoked.')
}

export const hasScope = (key: ApiKeyPrincipal, scope: Scope) => key.scopes.includes('admin') || key.scopes.includes(scope)

export function requireScope (scope: Scope): preHandlerAsyncHookHandler {
  return async (request) => {
    await loadApiKey(request)
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
const asksPreview = (request: FastifyRequest) => {
  const preview = (request.query as { preview?: unknown } | undefined)?.preview
  return preview === true || preview === 'true'
}

export function isPreview (request: FastifyRequest): boolean {
  if (!asksPreview(request)) return false
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
  // a preview request's key, looked up before any handler calls isPreview
  app.addHook('preHandler', async (request) => {
    if (asksPreview(request)) await loadApiKey(request)
  })
  app.addHook('onSend', (request, reply, _payload, done) => {
    if (request.privateResponse) reply.header('cache-control', 'private, no-store')
    done()
  })
}

export default fp(authPlugin, { name: 'auth' })
