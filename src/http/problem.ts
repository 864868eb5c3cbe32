// RFC 9457 problem responses: the Problem schema, typed problems, and the one error handler.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { isUniqueViolation } from '../db/unique-slug.js'
import { allowedMethods } from './allowed-methods.js'
import { deadlineOf } from './answer.js'

export const ProblemFieldError = z.object({
  path: z.string().describe('The bad field: a query or path parameter name, a header name, or `body.` and the dotted path into the JSON body (e.g. `body.headline`, `body.body.3.text`).'),
  in: z.enum(['query', 'path', 'header', 'body']).describe('Where the bad field was sent.'),
  message: z.string(),
}).meta({ id: 'ProblemFieldError' })

export const Problem = z.object({
  type: z.string().describe('A URI reference naming the kind of problem.'),
  title: z.string().describe('A short summary of the kind of problem.'),
  status: z.number().int().meta({ format: 'int32' }).describe('The HTTP status code.'),
  detail: z.string().describe('What went wrong with this request.'),
  instance: z.string().describe('The request path, or for a server error a reference to the request id.'),
  requestId: z.string().optional().describe('The request id (also sent as `X-Request-Id`).'),
  errors: z.array(ProblemFieldError).optional().describe('Each bad field, for validation problems.'),
}).meta({
  id: 'Problem',
  description: 'An RFC 9457 problem details object, served as `application/problem+json`.',
  example: { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'No article with slug "no-such-story".', instance: '/v1/articles/no-such-story' },
})
export type Problem = z.infer<typeof Problem>
export type ProblemFieldError = z.infer<typeof ProblemFieldError>

export class HttpProblem extends Error {
  constructor (
    readonly status: number,
    readonly kind: string,
    detail: string,
    readonly extra: { errors?: ProblemFieldError[], headers?: Record<string, string> } = {}
  ) {
    super(detail)
  }
}

export const badRequest = (detail: string, errors?: ProblemFieldError[]) =>
  new HttpProblem(400, 'validation-error', detail, { errors })
export const invalidField = (where: ProblemFieldError['in'], path: string, message: string) =>
  badRequest(`Invalid ${where === 'body' ? 'field' : 'parameter'} "${path}": ${message}`, [{ path, in: where, message }])
export const notFound = (what: string, key: string | number) =>
  new HttpProblem(404, 'not-found', `No ${what} with ${typeof key === 'number' ? 'id' : 'key'} "${key}".`)
export const conflict = (detail: string) => new HttpProblem(409, 'conflict', detail)
// etag: the record's current ETag, sent back so the client can reapply its change on that state
export const preconditionFailed = (detail: string, etag?: string) =>
  new HttpProblem(412, 'precondition-failed', detail, etag === undefined ? {} : { headers: { etag } })
export const unauthorized = (detail: string) =>
  new HttpProblem(401, 'unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="dateline"' } })
export const forbidden = (detail: string) =>
  new HttpProblem(403, 'forbidden', detail, { headers: { 'www-authenticate': 'Bearer realm="dateline", error="insufficient_scope"' } })

const LOCATIONS: Record<string, ProblemFieldError['in']> = {
  querystring: 'query', params: 'path', headers: 'header', body: 'body',
}

function problemBody (request: FastifyRequest, status: number, kind: string, detail: string, errors?: ProblemFieldError[]): Problem {
  return {
    type: status === 500 ? 'about:blank' : `/problems/${kind}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: status >= 500 ? `urn:dateline:request:${request.id}` : request.url.split('?')[0] ?? '/',
    requestId: String(request.id),
    ...(errors ? { errors } : {}),
  }
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, status: number, kind: string, detail: string, errors?: ProblemFieldError[]) {
  return reply
    .code(status)
    .type('application/problem+json')
    .header('cache-control', 'no-store')
    .serializer(JSON.stringify)
    .send(problemBody(request, status, kind, detail, errors))
}

// Retry-After of a 503 for a database that cannot be reached: a restart or failover takes seconds
export const DATABASE_RETRY_AFTER_SECONDS = 5

function sendUnavailable (request: FastifyRequest, reply: FastifyReply, detail: string) {
  reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
  return sendProblem(request, reply, 503, 'service-unavailable', `${detail} Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`)
}

const REPEATED = 'is given more than once; send it once'

function validationErrors (error: FastifyError, request: FastifyRequest): ProblemFieldError[] {
  const where = LOCATIONS[error.validationContext ?? 'body'] ?? 'body'
  // no query parameter takes a list, so a repeated one (`?limit=1&limit=2`) reaches zod as an array
  const query = request.query as Record<string, unknown>
  const named = (segments: unknown[], fallback: string) => {
    const path = segments.length > 0 ? segments.join('.') : fallback
    return where === 'body' && path !== 'body' ? `body.${path}` : path
  }
  return (error.validation ?? []).flatMap((v) => {
    const segments = v.instancePath.split('/').filter(Boolean)
    // zod's unrecognized_keys issue sits on the object: name each unknown key (`body.id`, `body.body.2.html`)
    const keys = (v.params as { keys?: unknown } | undefined)?.keys
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
      return keys.map((key) => ({ path: named([...segments, key], where), in: where, message: 'is not an accepted field' }))
    }
    const path = named(segments, where)
    const message = where === 'query' && Array.isArray(query[path]) ? REPEATED : v.message ?? 'is invalid'
    return [{ path, in: where, message }]
  }).filter((e, i, all) => e.message !== REPEATED || all.findIndex((o) => o.path === e.path) === i)
}

const FRAMEWORK_ERRORS: Record<string, { status: number, kind: string, detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, kind: 'bad-url', detail: 'The URL is not validly percent-encoded.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, kind: 'uri-too-long', detail: 'A path parameter is longer than the server accepts.' },
}

// Fastify's `frameworkErrors` option: errors raised by the router before any route or hook runs.
export function answerFrameworkError (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = FRAMEWORK_ERRORS[error.code]
  if (known) return sendProblem(request, reply, known.status, known.kind, known.detail)
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  return sendProblem(request, reply, status, 'bad-request', 'The request could not be routed.')
}

async function problemPlugin (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) {
      for (const [name, value] of Object.entries(error.extra.headers ?? {})) reply.header(name, value)
      return sendProblem(request, reply, error.status, error.kind, error.message, error.extra.errors)
    }
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      const errors = validationErrors(error, request)
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ')
      return sendProblem(request, reply, 400, 'validation-error', `The request is invalid. ${detail}`, errors)
    }
    // a write that checked first and lost a race with a concurrent writer (two creates with one slug
    // on PostgreSQL's READ COMMITTED): the request conflicts with the current state, as if it had come second
    if (isUniqueViolation(error)) {
      request.log.warn({ err: error, method: request.method, url: request.url }, 'unique violation answered 409')
      return sendProblem(request, reply, 409, 'conflict', 'The change conflicts with a record another request wrote at the same time (a slug, path or name that must be unique). Read the current state and try again.')
    }
    // the database is down, restarting, refusing connections or locked by another process: a
    // condition that passes, not a bug; the driver's message stays in the log
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error, method: request.method, url: request.url }, 'database unavailable answered 503')
      return sendUnavailable(request, reply, 'The database is unavailable.')
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      for (const [name, value] of Object.entries((error as { headers?: Record<string, unknown> }).headers ?? {})) reply.header(name, String(value))
      const kind = (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z]+/g, '-')
      const detail = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? `Request bodies are JSON: send Content-Type: application/json (not ${request.headers['content-type'] ?? 'none'}).`
        : error.message
      return sendProblem(request, reply, status, kind, detail)
    }
    request.log.error({ err: error, method: request.method, url: request.url, params: request.params, query: request.query }, 'unhandled error')
    return sendProblem(request, reply, 500, 'internal', 'The server could not complete the request.')
  })

  // A request still unanswered REQUEST_TIMEOUT_MS after it arrived (its handler waits on a database
  // that does not answer), or whose connection goes idle for CONNECTION_TIMEOUT_MS while its handler
  // waits (Node would drop the socket without a word), gets a 503 problem instead of hanging.
  // Whatever the handler does later is discarded: its value, or its error (say the driver's, when
  // the database comes back and drops the connection it waited on), is logged as what it is, not
  // as Fastify's "Reply was already sent" / "Promise errored" errors with a status of 500.
  const { requestTimeout } = app.config
  const answeredLate = new WeakSet<FastifyRequest>()
  app.addHook('onRoute', (route) => {
    const handler = route.handler
    route.handler = function (request, reply) {
      const result: unknown = handler.call(this, request, reply)
      if (!(result instanceof Promise)) return result
      return result.then((value: unknown) => {
        if (!answeredLate.has(request)) return value
        request.log.info({ method: request.method, url: request.url }, 'handler finished after its 503; result discarded')
        return undefined
      }, (error: unknown) => {
        if (!answeredLate.has(request)) throw error
        request.log.warn({ err: error, method: request.method, url: request.url }, 'handler failed after its 503; error discarded')
        return undefined
      })
    }
  })
  app.addHook('onRequest', (request, reply, done) => {
    const late = () => {
      if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) return
      request.log.warn({ method: request.method, url: request.url }, 'request not answered in time: 503')
      answeredLate.add(request)
      sendUnavailable(request, reply, 'The server could not answer in time.')
    }
    // a request the article render handed over (articles/fast-render.ts) has spent some of its time
    const deadline = deadlineOf(request.raw)
    const timer = deadline !== undefined
      ? setTimeout(late, Math.max(0, deadline - performance.now()))
      : requestTimeout > 0 ? setTimeout(late, requestTimeout) : undefined
    // the socket's idle timeout while the answer is awaited; a body still trickling in (slowloris)
    // is disconnected, as Node does without this listener
    const idle = (socket: Socket) => {
      if (!request.raw.complete) socket.destroy()
      else late()
    }
    reply.raw.on('timeout', idle)
    reply.raw.once('close', () => {
      clearTimeout(timer)
      reply.raw.off('timeout', idle)
    })
    done()
  })

  // every route registered after this plugin (all of them) is known by path and method
  const methods = allowedMethods()
  app.addHook('onRoute', methods.add)

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]
    const allowed = methods.of(request.url)
    // RFC 9110 §15.5.6: a known path asked with a method it does not have is 405 with Allow
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '))
      return sendProblem(request, reply, 405, 'method-not-allowed', `${request.method} is not allowed on ${path}; it allows ${allowed.join(', ')}.`)
    }
    return sendProblem(request, reply, 404, 'not-found', `No route ${request.method} ${path}.`)
  })
}

export default fp(problemPlugin, { name: 'problem' })
