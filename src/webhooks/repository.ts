// The outbox and the webhook tables, the same SQL on both engines except for row locks: on
// PostgreSQL the dispatcher's claims use FOR UPDATE SKIP LOCKED, so several nodes share the due
// rows and each row goes to one node; SQLite's write transactions are serialised anyway.
// `repos.outbox.emit(type, data)` is called inside the write transaction of the change (next to
// repos.changes.record): a rolled-back write leaves no event, a committed one is never lost.
import { randomBytes } from 'node:crypto'
import type { SqlRunner } from '../db/sql-runner.js'

export const EVENT_TYPES = [
  'article.published', 'article.updated', 'article.unpublished', 'article.deleted',
  'section.changed', 'tag.changed', 'author.changed', 'collection.changed', 'liveblog.entry',
] as const
export type EventType = typeof EVENT_TYPES[number]

// every event's data carries the surrogate keys the change touched (the CDN purge uses them)
export type EventData = { surrogateKeys: readonly string[] } & Record<string, unknown>

export interface OutboxRepository {
  emit (type: EventType, data: EventData, now?: number): Promise<void>
}

export interface EndpointRow {
  id: number
  url: string
  events: EventType[]
  description: string | null
  enabled: boolean
  disabledReason: string | null
  secret: string
  previousSecret: string | null
  previousSecretUntil: number | null
  consecutiveFailures: number
  afterEventId: number
  createdAt: number
  updatedAt: number
}

export interface Attempt { at: number, statusCode: number | null, durationMs: number, error?: string, body?: string }

export interface DeliveryRow {
  id: number
  eventId: number
  endpointId: number | null
  kind: 'webhook' | 'purge'
  status: 'pending' | 'succeeded' | 'failed'
  attempts: Attempt[]
  attemptCount: number
  nextAttemptAt: number | null
  createdAt: number
  uid: string
  type: EventType
  data: string
  eventCreatedAt: number
}

export interface EventRow { id: number, uid: string, type: EventType, data: string, createdAt: number }

export interface NewEndpoint { url: string, events: readonly string[], description: string | null, secret: string, now: number }

export interface EndpointChange {
  url?: string
  events?: readonly string[]
  description?: string | null
  enabled?: boolean
  disabledReason?: string | null
  secret?: string
  previousSecret?: string | null
  previousSecretUntil?: number | null
  consecutiveFailures?: number
  now: number
}

export interface WebhooksRepository {
  createEndpoint (input: NewEndpoint): Promise<EndpointRow>
  endpoints (): Promise<EndpointRow[]>
  endpoint (id: number, lock?: boolean): Promise<EndpointRow | undefined>
  updateEndpoint (id: number, change: EndpointChange): Promise<void>
  deleteEndpoint (id: number): Promise<boolean>
  // newest first, below `beforeId` when given
  deliveries (endpointId: number, beforeId: number | null, limit: number): Promise<DeliveryRow[]>
  delivery (id: number): Promise<DeliveryRow | undefined>
  // pending again, due now (the same event, so the same webhook-id); the retry window restarts
  redeliver (id: number, now: number): Promise<void>
  // events not yet turned into deliveries, oldest first, locked (PostgreSQL: skipped by other nodes)
  claimEvents (limit: number): Promise<EventRow[]>
  fanOut (event: EventRow, endpointIds: readonly number[], purge: boolean, now: number): Promise<void>
  // due deliveries, locked and leased until `leaseUntil` (no other node picks them up meanwhile)
  claimDue (now: number, limit: number, leaseUntil: number): Promise<DeliveryRow[]>
  recordAttempt (id: number, attempt: Attempt, status: DeliveryRow['status'], nextAttemptAt: number | null): Promise<void>
  // the shared setting row, locked (the scheduled-publication watermark)
  lockSetting (key: string): Promise<string | undefined>
  setSetting (key: string, value: string): Promise<void>
  // deletes events made before `before` with no pending delivery, and their deliveries; returns how many
  prune (before: number): Promise<number>
  // articles that went live by themselves (scheduled) in (from, to]
  scheduledLive (from: number, to: number): Promise<Array<{ id: number, slug: string, section: string }>>
  queue (): Promise<{ pending: number, oldestEventAt: number | null }>
  // cheap reads before taking the write lock: anything to fan out, anything due
  hasWork (now: number): Promise<{ events: boolean, due: boolean }>
}

interface Dialect { forUpdate: string, skipLocked: string }
export const sqliteWebhooksDialect: Dialect = { forUpdate: '', skipLocked: '' }
export const postgresWebhooksDialect: Dialect = { forUpdate: ' for update', skipLocked: ' for update skip locked' }

const ENDPOINT_COLUMNS = `id, url, events, description, enabled, disabled_reason as "disabledReason", secret,
  previous_secret as "previousSecret", previous_secret_until as "previousSecretUntil",
  consecutive_failures as "consecutiveFailures", after_event_id as "afterEventId", created_at as "createdAt", updated_at as "updatedAt"`

const DELIVERY_COLUMNS = `d.id, d.event_id as "eventId", d.endpoint_id as "endpointId", d.kind, d.status, d.attempts,
  d.attempt_count as "attemptCount", d.next_attempt_at as "nextAttemptAt", d.created_at as "createdAt",
  e.uid, e.type, e.data, e.created_at as "eventCreatedAt"`

type Raw<T> = Omit<T, 'events' | 'enabled' | 'attempts'> & { events?: string, enabled?: number, attempts?: string }

const endpointOf = (row: Raw<EndpointRow>): EndpointRow => ({
  ...row,
  id: Number(row.id),
  afterEventId: Number(row.afterEventId),
  events: JSON.parse(row.events!) as EventType[],
  enabled: Number(row.enabled) === 1,
})

const deliveryOf = (row: Raw<DeliveryRow>): DeliveryRow => ({
  ...row,
  id: Number(row.id),
  eventId: Number(row.eventId),
  endpointId: row.endpointId === null ? null : Number(row.endpointId),
  attempts: JSON.parse(row.attempts!) as Attempt[],
})

export const newEventUid = () => `msg_${randomBytes(18).toString('base64url')}`

export function outboxRepository ({ sql }: { sql: SqlRunner }): OutboxRepository {
  return {
    async emit (type, data, now = Date.now()) {
      await sql.run('insert into webhook_events (uid, type, data, created_at, fanned_out) values (:uid, :type, :data, :now, 0)',
        { uid: newEventUid(), type, data: JSON.stringify(data), now })
    },
  }
}

export function webhooksRepository ({ sql }: { sql: SqlRunner }, dialect: Dialect): WebhooksRepository {
  const deliveryById = async (id: number) => {
    const row = await sql.get<Raw<DeliveryRow>>(`select ${DELIVERY_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id where d.id = :id`, { id })
    return row && deliveryOf(row)
  }
  return {
    async createEndpoint ({ url, events, description, secret, now }) {
      const row = await sql.get<Raw<EndpointRow>>(`insert into webhook_endpoints (url, events, description, enabled, secret, consecutive_failures, after_event_id, created_at, updated_at)
        values (:url, :events, :description, 1, :secret, 0, (select coalesce(max(id), 0) from webhook_events), :now, :now) returning ${ENDPOINT_COLUMNS}`,
      { url, events: JSON.stringify(events), description, secret, now })
      return endpointOf(row!)
    },
    async endpoints () {
      return (await sql.all<Raw<EndpointRow>>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints order by id`)).map(endpointOf)
    },
    async endpoint (id, lock = false) {
      const row = await sql.get<Raw<EndpointRow>>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = :id${lock ? dialect.forUpdate : ''}`, { id })
      return row && endpointOf(row)
    },
    async updateEndpoint (id, change) {
      const columns: Record<string, [string, unknown]> = {
        url: ['url', change.url],
        events: ['events', change.events && JSON.stringify(change.events)],
        description: ['description', change.description],
        enabled: ['enabled', change.enabled === undefined ? undefined : change.enabled ? 1 : 0],
        disabledReason: ['disabled_reason', change.disabledReason],
        secret: ['secret', change.secret],
        previousSecret: ['previous_secret', change.previousSecret],
        previousSecretUntil: ['previous_secret_until', change.previousSecretUntil],
        consecutiveFailures: ['consecutive_failures', change.consecutiveFailures],
      }
      const params: Record<string, unknown> = { id, now: change.now }
      const sets = ['updated_at = :now']
      for (const [name, [column, value]] of Object.entries(columns)) {
        if (value === undefined) continue
        sets.push(`${column} = :${name}`)
        params[name] = value
      }
      await sql.run(`update webhook_endpoints set ${sets.join(', ')} where id = :id`, params)
    },
    async deleteEndpoint (id) {
      return await sql.run('delete from webhook_endpoints where id = :id', { id }) > 0
    },
    async deliveries (endpointId, beforeId, limit) {
      const rows = await sql.all<Raw<DeliveryRow>>(`select ${DELIVERY_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id
        where d.endpoint_id = :endpointId and d.id < :before order by d.id desc limit :limit`,
      { endpointId, before: beforeId ?? Number.MAX_SAFE_INTEGER, limit })
      return rows.map(deliveryOf)
    },
    delivery: deliveryById,
    async redeliver (id, now) {
      await sql.run("update webhook_deliveries set status = 'pending', next_attempt_at = :now, created_at = :now, updated_at = :now where id = :id", { id, now })
    },
    async claimEvents (limit) {
      const rows = await sql.all<EventRow>(`select id, uid, type, data, created_at as "createdAt" from webhook_events
        where fanned_out = 0 order by id limit :limit${dialect.skipLocked}`, { limit })
      return rows.map((row) => ({ ...row, id: Number(row.id) }))
    },
    async fanOut (event, endpointIds, purge, now) {
      const insert = `insert into webhook_deliveries (event_id, endpoint_id, kind, status, attempts, attempt_count, next_attempt_at, created_at, updated_at)
        values (:eventId, :endpointId, :kind, 'pending', '[]', 0, :now, :now, :now)`
      for (const endpointId of endpointIds) await sql.run(insert, { eventId: event.id, endpointId, kind: 'webhook', now })
      if (purge) await sql.run(insert, { eventId: event.id, endpointId: null, kind: 'purge', now })
      await sql.run('update webhook_events set fanned_out = 1 where id = :id', { id: event.id })
    },
    async claimDue (now, limit, leaseUntil) {
      const due = await sql.all<{ id: number }>(`select d.id from webhook_deliveries d
        where d.status = 'pending' and d.next_attempt_at <= :now
          and (d.endpoint_id is null or exists (select 1 from webhook_endpoints p where p.id = d.endpoint_id and p.enabled = 1))
        order by d.next_attempt_at, d.id limit :limit${dialect.skipLocked}`, { now, limit })
      const claimed: DeliveryRow[] = []
      for (const { id } of due) {
        await sql.run('update webhook_deliveries set next_attempt_at = :leaseUntil where id = :id', { id, leaseUntil })
        claimed.push((await deliveryById(Number(id)))!)
      }
      return claimed
    },
    async recordAttempt (id, attempt, status, nextAttemptAt) {
      const row = await sql.get<{ attempts: string }>(`select attempts from webhook_deliveries where id = :id${dialect.forUpdate}`, { id })
      if (!row) return
      const attempts = [...JSON.parse(row.attempts) as Attempt[], attempt]
      await sql.run(`update webhook_deliveries set attempts = :attempts, attempt_count = attempt_count + 1, status = :status,
        next_attempt_at = :nextAttemptAt, updated_at = :now where id = :id`,
      { id, attempts: JSON.stringify(attempts), status, nextAttemptAt, now: attempt.at })
    },
    async prune (before) {
      await sql.run(`delete from webhook_deliveries where event_id in (select e.id from webhook_events e where e.created_at < :before and e.fanned_out = 1
        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending'))`, { before })
      return await sql.run(`delete from webhook_events where created_at < :before and fanned_out = 1
        and not exists (select 1 from webhook_deliveries d where d.event_id = webhook_events.id)`, { before })
    },
    async setSetting (key, value) {
      await sql.run('update settings set value = :value where key = :key', { key, value })
    },
    async lockSetting (key) {
      return (await sql.get<{ value: string }>(`select value from settings where key = :key${dialect.forUpdate}`, { key }))?.value
    },
    async scheduledLive (from, to) {
      const rows = await sql.all<{ id: number, slug: string, section: string }>(`select a.id, a.slug, s.path as section from articles a
        join sections s on s.id = a.section_id
        where a.status = 'published' and a.published_at > :from and a.published_at <= :to and a.published_at > a.updated_at
        order by a.published_at, a.id`, { from, to })
      return rows.map((row) => ({ ...row, id: Number(row.id) }))
    },
    async hasWork (now) {
      const events = await sql.get('select 1 as x from webhook_events where fanned_out = 0 limit 1')
      const due = await sql.get("select 1 as x from webhook_deliveries where status = 'pending' and next_attempt_at <= :now limit 1", { now })
      return { events: events !== undefined, due: due !== undefined }
    },
    async queue () {
      const pending = await sql.get<{ n: number }>("select count(*) as n from webhook_deliveries where status = 'pending'")
      const oldest = await sql.get<{ t: number | null }>(`select min(e.created_at) as t from webhook_events e
        where e.fanned_out = 0 or exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')`)
      return { pending: Number(pending?.n ?? 0), oldestEventAt: oldest?.t === null || oldest?.t === undefined ? null : Number(oldest.t) }
    },
  }
}
