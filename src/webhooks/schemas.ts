// Webhook endpoints and their delivery log, as the management API shows them.
import { z } from 'zod'
import { EVENT_TYPES } from './repository.js'

const Timestamp = z.iso.datetime().describe('RFC 3339 UTC timestamp.')

export const EventType = z.enum(EVENT_TYPES).meta({ id: 'WebhookEventType' })

const NOTE = 'Unknown fields are refused with 400.'
const fields = {
  url: z.string().trim().min(1).max(2000).describe('Where deliveries are POSTed: an `https:` URL that resolves to a public address (see "Webhooks" in the README).'),
  events: z.array(EventType).min(1).max(EVENT_TYPES.length).describe('The event types this endpoint receives.'),
  description: z.string().trim().max(500).nullable(),
}

export const WebhookCreate = z.strictObject({
  url: fields.url,
  events: fields.events,
  description: fields.description.optional(),
}).meta({ id: 'WebhookCreate', description: `A new endpoint. ${NOTE}`, example: { url: 'https://hooks.example.com/dateline', events: ['article.published', 'article.updated'], description: 'Rebuild the site' } })
export type WebhookCreate = z.infer<typeof WebhookCreate>

export const WebhookPatch = z.strictObject({
  url: fields.url.optional(),
  events: fields.events.optional(),
  description: fields.description.optional(),
  enabled: z.boolean().optional().describe('`true` re-enables an endpoint that was disabled (its failure count starts again from zero).'),
}).meta({ id: 'WebhookPatch', description: `Fields to change. ${NOTE}` })
export type WebhookPatch = z.infer<typeof WebhookPatch>

const webhookExample = {
  id: 1,
  url: 'https://hooks.example.com/dateline',
  events: ['article.published', 'article.updated'],
  description: 'Rebuild the site',
  enabled: true,
  disabledReason: null,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
}

export const Webhook = z.object({
  id: z.number().int().meta({ format: 'int32' }),
  url: z.string(),
  events: z.array(EventType),
  description: z.string().nullable(),
  enabled: z.boolean().describe('`false` once disabled: by a `410` answer, a run of failed attempts, or `PATCH`.'),
  disabledReason: z.string().nullable().describe('Why the server disabled the endpoint; null while enabled.'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'Webhook', description: 'A webhook endpoint (its secret is never shown again after creation or rotation).', example: webhookExample })
export type Webhook = z.infer<typeof Webhook>

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().describe('`whsec_` + base64 of 32 random bytes: verify deliveries with it (shown only now).'),
}).meta({ id: 'WebhookWithSecret', description: 'A webhook endpoint with its new secret.', example: { ...webhookExample, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw8N4b3lVjB6E=' } })

export const WebhookList = z.object({ items: z.array(Webhook) }).meta({ id: 'WebhookList' })

export const DeliveryAttempt = z.object({
  at: Timestamp,
  statusCode: z.number().int().meta({ format: 'int32' }).nullable().describe('The receiver\'s status code; null when no answer came (refused, unreachable, timed out).'),
  durationMs: z.number().int().meta({ format: 'int32' }),
  error: z.string().optional(),
  responseBody: z.string().optional().describe('The first 1 KB of the response body.'),
}).meta({ id: 'WebhookDeliveryAttempt' })

export const Delivery = z.object({
  id: z.number().int().meta({ format: 'int64' }),
  eventId: z.string().describe('The event\'s `webhook-id` (the same on every attempt and redelivery).'),
  type: EventType,
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.array(DeliveryAttempt),
  nextAttemptAt: Timestamp.nullable(),
}).meta({ id: 'WebhookDelivery' })
export type Delivery = z.infer<typeof Delivery>

export const DeliveryPage = z.object({
  items: z.array(Delivery),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page.'),
}).meta({ id: 'WebhookDeliveryPage' })

export const WebhookParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647).meta({ format: 'int32' }).describe('The endpoint id.') })
export const DeliveryParams = WebhookParams.extend({ deliveryId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ format: 'int64' }).describe('The delivery id.') })
export const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ format: 'int32' }).describe('Deliveries per page (1-100).'),
  cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page.'),
})
