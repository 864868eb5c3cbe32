// Management of webhook endpoints and their delivery log (scope webhooks:manage or admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { iso } from '../articles/summaries.js'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { HttpProblem, invalidField, notFound, Problem } from '../http/problem.js'
import type { DeliveryRow, EndpointRow } from './repository.js'
import { Delivery, DeliveryPage, DeliveryParams, DeliveryQuery, Webhook, WebhookCreate, WebhookList, WebhookParams, WebhookPatch, WebhookWithSecret } from './schemas.js'
import { newSecret } from './secrets.js'
import { checkUrl } from './ssrf.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const { security, response: authErrors } = secured('webhooks:manage')
const MANAGE = scopeNote('webhooks:manage')
// the old secret keeps signing beside the new one this long after a rotation
export const ROTATION_OVERLAP_MS = 24 * 3_600_000

const toWebhook = (row: EndpointRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  enabled: row.enabled,
  disabledReason: row.enabled ? null : row.disabledReason,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
})

const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  eventId: row.uid,
  type: row.type,
  status: row.status,
  attempts: row.attempts.map((a) => ({
    at: iso(a.at),
    statusCode: a.statusCode,
    durationMs: a.durationMs,
    ...(a.error !== undefined ? { error: a.error } : {}),
    ...(a.body !== undefined ? { responseBody: a.body } : {}),
  })),
  nextAttemptAt: row.status === 'pending' && row.nextAttemptAt !== null ? iso(row.nextAttemptAt) : null,
})

const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('webhooks:manage'))
  app.addHook('onSend', async (_request, reply) => { markPrivate(reply) })
  const policy = { allowHttp: app.config.webhooks.allowHttp, allowPrivate: app.config.webhooks.allowPrivate }

  const box = () => {
    const secrets = app.webhookSecrets()
    if (!secrets) throw new HttpProblem(503, 'service-unavailable', 'Webhook secrets cannot be stored: the server has no WEBHOOK_SECRET_KEY (required on PostgreSQL).')
    return secrets
  }
  const checkedUrl = async (url: string) => {
    const reason = await checkUrl(url, policy)
    if (reason) throw invalidField('body', 'body.url', reason)
    return url
  }
  const endpointOr404 = async (id: number) => {
    const row = await app.store.repos.webhooks.endpoint(id)
    if (!row) throw notFound('webhook', id)
    return row
  }

  app.post('/', {
    schema: {
      operationId: 'createWebhook',
      tags: ['Webhooks'],
      summary: 'Create a webhook endpoint',
      description: `Registers a URL for the listed event types and returns its signing secret (shown only here). ${MANAGE}`,
      security,
      body: WebhookCreate,
      response: { 201: WebhookWithSecret, ...authErrors, 503: problem('No WEBHOOK_SECRET_KEY is configured (PostgreSQL).') },
    },
  }, async (request, reply) => {
    // bad input is a 400 whatever the server's configuration
    const url = await checkedUrl(request.body.url)
    const secrets = box()
    const secret = newSecret()
    const row = await app.store.tx((repos) => repos.webhooks.createEndpoint({
      url, events: [...new Set(request.body.events)], description: request.body.description ?? null, secret: secrets.seal(secret), now: app.clock(),
    }))
    reply.code(201).header('location', `/v1/webhooks/${row.id}`)
    return { ...toWebhook(row), secret }
  })

  app.get('/', {
    schema: {
      operationId: 'listWebhooks',
      tags: ['Webhooks'],
      summary: 'List webhook endpoints',
      description: `Every endpoint, oldest first (no secrets). ${MANAGE}`,
      security,
      response: { 200: WebhookList, ...authErrors },
    },
  }, async () => ({ items: (await app.store.repos.webhooks.endpoints()).map(toWebhook) }))

  app.get('/:id', {
    schema: {
      operationId: 'getWebhook',
      tags: ['Webhooks'],
      summary: 'Read a webhook endpoint',
      description: `One endpoint (no secret), with why it was disabled if it was. ${MANAGE}`,
      security,
      params: WebhookParams,
      response: { 200: Webhook, ...authErrors, 404: problem('No such endpoint.') },
    },
  }, async (request) => toWebhook(await endpointOr404(request.params.id)))

  app.patch('/:id', {
    schema: {
      operationId: 'updateWebhook',
      tags: ['Webhooks'],
      summary: 'Change a webhook endpoint',
      description: `Changes the URL, event types, description, or enables/disables it. ${MANAGE}`,
      security,
      params: WebhookParams,
      body: WebhookPatch,
      response: { 200: Webhook, ...authErrors, 404: problem('No such endpoint.') },
    },
  }, async (request) => {
    const { id } = request.params
    const patch = request.body
    const url = patch.url === undefined ? undefined : await checkedUrl(patch.url)
    const row = await app.store.tx(async (repos) => {
      const current = await repos.webhooks.endpoint(id, true)
      if (!current) throw notFound('webhook', id)
      await repos.webhooks.updateEndpoint(id, {
        ...(url !== undefined ? { url } : {}),
        ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.enabled === true ? { enabled: true, disabledReason: null, consecutiveFailures: 0 } : {}),
        ...(patch.enabled === false ? { enabled: false, disabledReason: 'Disabled through the API.' } : {}),
        now: app.clock(),
      })
      return (await repos.webhooks.endpoint(id))!
    })
    return toWebhook(row)
  })

  app.delete('/:id', {
    schema: {
      operationId: 'deleteWebhook',
      tags: ['Webhooks'],
      summary: 'Delete a webhook endpoint',
      description: `Deletes the endpoint and its delivery log; nothing more is sent to it. ${MANAGE}`,
      security,
      params: WebhookParams,
      response: { 204: z.null().describe('Deleted.'), ...authErrors, 404: problem('No such endpoint.') },
    },
  }, async (request, reply) => {
    if (!await app.store.tx((repos) => repos.webhooks.deleteEndpoint(request.params.id))) throw notFound('webhook', request.params.id)
    return reply.code(204).send(null)
  })

  app.post('/:id/rotate-secret', {
    schema: {
      operationId: 'rotateWebhookSecret',
      tags: ['Webhooks'],
      summary: 'Rotate a webhook secret',
      description: `Makes a new secret (returned once); for 24 hours the old one signs beside it, so each delivery carries two \`v1,\` signatures while receivers switch. ${MANAGE}`,
      security,
      params: WebhookParams,
      response: { 200: WebhookWithSecret, ...authErrors, 404: problem('No such endpoint.'), 503: problem('No WEBHOOK_SECRET_KEY is configured (PostgreSQL).') },
    },
  }, async (request) => {
    const { id } = request.params
    await endpointOr404(id)
    const secrets = box()
    const secret = newSecret()
    const row = await app.store.tx(async (repos) => {
      const current = await repos.webhooks.endpoint(id, true)
      if (!current) throw notFound('webhook', id)
      const now = app.clock()
      await repos.webhooks.updateEndpoint(id, { secret: secrets.seal(secret), previousSecret: current.secret, previousSecretUntil: now + ROTATION_OVERLAP_MS, now })
      return (await repos.webhooks.endpoint(id))!
    })
    return { ...toWebhook(row), secret }
  })

  app.get('/:id/deliveries', {
    schema: {
      operationId: 'listWebhookDeliveries',
      tags: ['Webhooks'],
      summary: 'List deliveries to an endpoint',
      description: `The delivery log, newest first, with every attempt (status code, duration, the first 1 KB of the response). ${MANAGE}`,
      security,
      params: WebhookParams,
      querystring: DeliveryQuery,
      response: { 200: DeliveryPage, ...authErrors, 404: problem('No such endpoint.') },
    },
  }, async (request) => {
    const { id } = request.params
    const { limit, cursor } = request.query
    await endpointOr404(id)
    const scope = `webhook-deliveries:${id}`
    let before: number | null = null
    if (cursor !== undefined) {
      const decoded = app.cursors.decode(cursor, scope)
      if (typeof decoded !== 'number' || !Number.isSafeInteger(decoded)) throw invalidField('query', 'cursor', 'is malformed')
      before = decoded
    }
    const rows = await app.store.repos.webhooks.deliveries(id, before, limit + 1)
    const page = rows.slice(0, limit)
    return { items: page.map(toDelivery), nextCursor: rows.length > limit ? app.cursors.encode(page[page.length - 1]!.id, scope) : null }
  })

  app.post('/:id/deliveries/:deliveryId/redeliver', {
    schema: {
      operationId: 'redeliverWebhook',
      tags: ['Webhooks'],
      summary: 'Send a delivery again',
      description: `Sends that event to the endpoint again now, with the same \`webhook-id\` (retried as usual if it fails). ${MANAGE}`,
      security,
      params: DeliveryParams,
      response: { 202: Delivery, ...authErrors, 404: problem('No such endpoint or delivery.') },
    },
  }, async (request, reply) => {
    const { id, deliveryId } = request.params
    const row = await app.store.tx(async (repos) => {
      const delivery = await repos.webhooks.delivery(deliveryId)
      if (!delivery || delivery.endpointId !== id) throw notFound('delivery', deliveryId)
      await repos.webhooks.redeliver(deliveryId, app.clock())
      return (await repos.webhooks.delivery(deliveryId))!
    })
    app.webhooks.nudge()
    reply.code(202)
    return toDelivery(row)
  })
}

export default webhookRoutes
