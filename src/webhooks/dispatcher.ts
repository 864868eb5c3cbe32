// The dispatcher: turns outbox events into deliveries and makes the attempts. It runs in every
// server process (app.webhooks.start(), from server.ts); tests call runOnce() with the app's clock.
// One pass:
// 1. fan out: events not yet fanned out (locked; PostgreSQL: SKIP LOCKED) get one delivery per
//    enabled endpoint made before the event whose `events` lists the type, plus one CDN purge when CDN_PURGE is set,
//    in one transaction with marking the event done;
// 2. scheduled publications that went live since the last pass become article.published events;
// 3. due deliveries are claimed (locked with SKIP LOCKED and leased for twice the request timeout,
//    so no other node attempts them meanwhile) and attempted, each result recorded with its attempt.
//    A purge split over more than two hanging requests may outlive its lease and be attempted twice
//    (purges are idempotent).
// A process killed after a commit leaves its event (or a leased delivery) in the tables: the next
// pass of any process picks it up, so delivery is at least once; receivers deduplicate on webhook-id.
import type { FastifyBaseLogger } from 'fastify'
import type { WebhooksConfig } from '../config.js'
import type { Store } from '../db/store.js'
import { articleChangeKeys } from '../http/surrogate-keys.js'
import { send, type Outcome } from './http.js'
import { purgePlan } from './purge.js'
import type { Attempt, DeliveryRow, EndpointRow, EventRow } from './repository.js'
import { signature, type SecretBox } from './secrets.js'

export const SCHEDULE_WATERMARK = 'webhooks_scheduled_until'
const BATCH = 200

export interface DispatchStats { fannedOut: number, attempted: number }

export interface DeliveryCounters { count (kind: 'webhook' | 'purge', outcome: 'succeeded' | 'retrying' | 'failed'): void }

export interface Dispatcher {
  runOnce (): Promise<DispatchStats>
  start (): void
  stop (): Promise<void>
  // a pass soon (a local commit)
  nudge (): void
}

// Each statement or transaction of the dispatcher is given up after this long: one that never
// settles (a pooled PostgreSQL connection stranded across a server restart, porsager/postgres#1193,
// as the change listener's and the response cache's reads once were) would otherwise hold the pass,
// and with it this node's dispatching, until a restart. A statement given up that commits later
// changes nothing that matters: claims are leased and retaken after their lease, fan-out and
// attempts are recorded in their own transactions, and delivery is at least once anyway.
export const STATEMENT_DEADLINE_MS = 30_000

export class DispatcherDeadlineError extends Error {}

function settleWithin<T> (work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DispatcherDeadlineError(`webhook dispatcher: ${what} got no answer within ${ms} ms`)), ms)
    timer.unref()
    work.then((value) => { clearTimeout(timer); resolve(value) }, (error: unknown) => { clearTimeout(timer); reject(error) })
  })
}

// The store as the dispatcher uses it: tx() and every repository method settle within `ms`.
function bounded (store: Store, ms: number): Store {
  // (read from the target itself: a class's getters and methods may use its private fields)
  const repository = (repo: object, name: string) => new Proxy(repo, {
    get (target, property) {
      const value: unknown = Reflect.get(target, property)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args)
        return result instanceof Promise ? settleWithin(result, ms, `${name}.${String(property)}`) : result
      }
    },
  })
  const repos = new Proxy(store.repos, {
    get: (target, property) => {
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'object' && value !== null ? repository(value, String(property)) : value
    },
  })
  return new Proxy(store, {
    get (target, property) {
      if (property === 'repos') return repos
      if (property === 'tx') return <T>(work: (r: Store['repos']) => Promise<T>) => settleWithin(target.tx(work), ms, 'a transaction')
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

interface Options {
  store: Store
  // see STATEMENT_DEADLINE_MS
  statementDeadlineMs?: number
  config: WebhooksConfig
  secrets: () => SecretBox | null
  clock: () => number
  log: FastifyBaseLogger
  counters: DeliveryCounters
  random?: () => number
}

// The delay before attempt n + 1 (n attempts made): base * 2^(n-1), with +-25% jitter. With the
// defaults (30 s, 72 h) the attempts come at about 0, 30 s, 1 m, 2 m, 4 m ... 34 h, 68 h.
export function backoff (attempts: number, baseMs: number, random: () => number = Math.random): number {
  const exact = baseMs * 2 ** Math.max(0, attempts - 1)
  return Math.round(exact * (0.75 + random() * 0.5))
}

export function eventBody (event: Pick<EventRow, 'type' | 'data' | 'createdAt'>): string {
  // data is stored as JSON text and inserted as is: the bytes signed are the bytes stored
  return `{"type":${JSON.stringify(event.type)},"timestamp":${JSON.stringify(new Date(event.createdAt).toISOString())},"data":${event.data}}`
}

export function dispatcher ({ store: unbounded, statementDeadlineMs = STATEMENT_DEADLINE_MS, config, secrets: loadSecrets, clock, log, counters, random = Math.random }: Options): Dispatcher {
  const store = bounded(unbounded, statementDeadlineMs)
  const policy = { allowHttp: config.allowHttp, allowPrivate: config.allowPrivate }
  let timer: NodeJS.Timeout | null = null
  let running: Promise<DispatchStats> | null = null
  let again = false
  let stopped = true

  async function fanOut (): Promise<number> {
    if (!(await store.repos.webhooks.hasWork(clock())).events) return 0
    let total = 0
    for (;;) {
      const done = await store.tx(async (repos) => {
        const events = await repos.webhooks.claimEvents(BATCH)
        if (events.length === 0) return 0
        const endpoints = (await repos.webhooks.endpoints()).filter((e) => e.enabled)
        const now = clock()
        for (const event of events) {
          const ids = endpoints.filter((e) => e.afterEventId < event.id && e.events.includes(event.type)).map((e) => e.id)
          await repos.webhooks.fanOut(event, ids, config.purge.kind !== 'off', now)
        }
        return events.length
      })
      total += done
      if (done < BATCH) return total
    }
  }

  // scheduled articles that went live by themselves since the last pass (one node does it: the
  // watermark row is locked)
  async function scheduled (): Promise<void> {
    const now = clock()
    const stored = Number(await store.repos.settings.readOrCreate(SCHEDULE_WATERMARK, () => String(now)))
    // nothing went live by itself: no write (the watermark moves on at most hourly, bounding the scan)
    if (!(now > stored)) return
    if ((await store.repos.webhooks.scheduledLive(stored, now)).length === 0 && now - stored < 3_600_000) return
    await store.tx(async (repos) => {
      const from = Number(await repos.webhooks.lockSetting(SCHEDULE_WATERMARK))
      if (!(now > from)) return
      for (const article of await repos.webhooks.scheduledLive(from, now)) {
        await repos.outbox.emit('article.published', {
          id: article.id, slug: article.slug, url: `/${article.section}/${article.slug}`, section: article.section, surrogateKeys: articleChangeKeys(article.id),
        }, now)
      }
      await repos.webhooks.setSetting(SCHEDULE_WATERMARK, String(now))
    })
  }

  function webhookRequest (delivery: DeliveryRow, endpoint: EndpointRow, now: number) {
    const box = loadSecrets()
    if (!box) throw new Error('no key to decrypt endpoint secrets (set WEBHOOK_SECRET_KEY)')
    const secrets = [box.open(endpoint.secret)]
    if (endpoint.previousSecret && endpoint.previousSecretUntil !== null && endpoint.previousSecretUntil > now) {
      // a previous secret sealed under an older WEBHOOK_SECRET_KEY is skipped (the rotation's fix)
      try { secrets.push(box.open(endpoint.previousSecret)) } catch { /* unreadable: sign with the new one only */ }
    }
    const timestamp = Math.floor(now / 1000)
    const body = eventBody({ type: delivery.type, data: delivery.data, createdAt: delivery.eventCreatedAt })
    return {
      url: endpoint.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Dateline-Webhooks/1',
        'webhook-id': delivery.uid,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature(secrets, delivery.uid, timestamp, body),
      },
      body,
    }
  }

  async function attemptPurge (delivery: DeliveryRow, now: number): Promise<Outcome> {
    const keys = (JSON.parse(delivery.data) as { surrogateKeys?: string[] }).surrogateKeys ?? []
    const plan = purgePlan(config.purge, keys, delivery.uid, now)
    for (const warning of plan.warnings) log.warn({ deliveryId: delivery.id }, warning)
    let last: Outcome = { statusCode: null, durationMs: 0 }
    let total = 0
    for (const request of plan.requests) {
      last = await send(request, policy, config.timeoutMs, clock)
      total += last.durationMs
      if (last.statusCode === null || last.statusCode < 200 || last.statusCode >= 300) break
    }
    return { ...last, durationMs: total }
  }

  async function attempt (delivery: DeliveryRow, endpoints: Map<number, EndpointRow | undefined>): Promise<void> {
    const now = clock()
    let endpoint: EndpointRow | undefined
    let outcome: Outcome
    if (delivery.kind === 'purge') {
      outcome = await attemptPurge(delivery, now)
    } else {
      if (!endpoints.has(delivery.endpointId!)) endpoints.set(delivery.endpointId!, await store.repos.webhooks.endpoint(delivery.endpointId!))
      endpoint = endpoints.get(delivery.endpointId!)
      if (!endpoint) return
      try {
        outcome = await send(webhookRequest(delivery, endpoint, now), policy, config.timeoutMs, clock)
      } catch (error) {
        outcome = { statusCode: null, durationMs: 0, error: (error as Error).message }
      }
    }
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300
    const gone = outcome.statusCode === 410 && delivery.kind === 'webhook'
    const record: Attempt = {
      at: now,
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.body !== undefined ? { body: outcome.body } : {}),
    }
    const at = clock()
    let status: DeliveryRow['status'] = ok ? 'succeeded' : 'pending'
    let next: number | null = null
    if (!ok && !gone) {
      const delay = Math.max(1000, outcome.retryAfterMs ?? backoff(delivery.attemptCount + 1, config.retryBaseMs, random))
      next = at + delay
      if (next > delivery.createdAt + config.retryWindowMs) {
        status = 'failed'
        next = null
      }
    }
    if (gone) status = 'failed'
    counters.count(delivery.kind, ok ? 'succeeded' : status === 'failed' ? 'failed' : 'retrying')
    await store.tx(async (repos) => {
      await repos.webhooks.recordAttempt(delivery.id, record, status, next)
      if (!endpoint) return
      const current = await repos.webhooks.endpoint(endpoint.id, true)
      if (!current) return
      if (ok) {
        if (current.consecutiveFailures !== 0) await repos.webhooks.updateEndpoint(current.id, { consecutiveFailures: 0, now: at })
        return
      }
      const failures = current.consecutiveFailures + 1
      const reason = gone
        ? `The endpoint answered 410 Gone at ${new Date(at).toISOString()}.`
        : failures >= config.disableAfterFailures ? `${failures} delivery attempts in a row failed (the last: ${outcome.error ?? `status ${outcome.statusCode}`}).` : null
      await repos.webhooks.updateEndpoint(current.id, {
        consecutiveFailures: failures,
        ...(reason && current.enabled ? { enabled: false, disabledReason: reason } : {}),
        now: at,
      })
      if (reason && current.enabled) log.warn({ endpointId: current.id }, `webhook endpoint disabled: ${reason}`)
    })
  }

  async function deliverDue (): Promise<number> {
    let total = 0
    const endpoints = new Map<number, EndpointRow | undefined>()
    for (;;) {
      const now = clock()
      if (!(await store.repos.webhooks.hasWork(now)).due) return total
      const claimed = await store.tx((repos) => repos.webhooks.claimDue(now, config.concurrency, now + config.timeoutMs * 2 + 1000))
      if (claimed.length === 0) return total
      await Promise.all(claimed.map((delivery) => attempt(delivery, endpoints).catch((error: unknown) => {
        log.error({ err: error, deliveryId: delivery.id }, 'webhook delivery attempt failed to record')
      })))
      total += claimed.length
    }
  }

  // at most hourly: events older than WEBHOOK_LOG_RETENTION_DAYS with nothing pending go, with
  // their delivery log (both tables would otherwise grow with every change)
  let prunedAt = -Infinity
  async function prune (): Promise<void> {
    const now = clock()
    if (now - prunedAt < 3_600_000) return
    prunedAt = now
    await store.tx((repos) => repos.webhooks.prune(now - config.logRetentionMs))
  }

  async function pass (): Promise<DispatchStats> {
    await prune()
    await scheduled()
    const fannedOut = await fanOut()
    const attempted = await deliverDue()
    return { fannedOut, attempted }
  }

  function runOnce (): Promise<DispatchStats> {
    if (running) {
      again = true
      return running
    }
    running = pass().finally(() => {
      running = null
      if (again && !stopped) {
        again = false
        schedule(0)
      }
    })
    return running
  }

  function schedule (ms: number) {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      runOnce().catch((error: unknown) => log.error({ err: error }, 'webhook dispatcher pass failed'))
        .finally(() => { if (!timer) schedule(config.dispatchIntervalMs) })
    }, ms)
    timer.unref()
  }

  return {
    runOnce,
    start () {
      if (!stopped) return
      stopped = false
      schedule(0)
    },
    async stop () {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await running?.catch(() => {})
    },
    nudge () {
      if (stopped) return
      if (running) again = true
      else schedule(0)
    },
  }
}
