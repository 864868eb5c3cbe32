// Wires webhooks into the app: the secret box (secrets.ts), the dispatcher (app.webhooks: tests
// call runOnce(); server.ts calls start()), its metrics, and a nudge after each local commit so a
// change goes out without waiting for the next interval.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Gauge } from 'prom-client'
import { dispatcher, type Dispatcher } from './dispatcher.js'
import { loadSecretKey, secretBox, type SecretBox } from './secrets.js'

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: Dispatcher
    // null: no key configured (PostgreSQL without WEBHOOK_SECRET_KEY): endpoints cannot be created.
    // Loaded on first use (SQLite may make the key file then).
    webhookSecrets: () => SecretBox | null
  }
}

async function webhooksPlugin (app: FastifyInstance) {
  let box: SecretBox | null | undefined
  const secrets = () => {
    if (box === undefined) {
      const key = loadSecretKey(app.config)
      box = key && secretBox(key)
      if (!box) app.log.warn('WEBHOOK_SECRET_KEY is not set: webhook endpoints cannot be created or signed for on PostgreSQL')
    }
    return box
  }
  const registry = app.metrics.registry
  const outcomes = new Counter({
    name: 'dateline_webhook_deliveries_total',
    help: 'Delivery attempts made by this process, by kind (webhook or purge) and outcome (succeeded, retrying: failed and scheduled again, failed: gave up).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  })
  for (const gauge of [new Gauge({
    name: 'dateline_webhook_queue_depth',
    help: 'Deliveries (webhooks and CDN purges) waiting to be made, read from the database at scrape time.',
    registers: [],
    async collect () { this.set((await app.store.repos.webhooks.queue()).pending) },
  }), new Gauge({
    name: 'dateline_webhook_oldest_pending_event_age_seconds',
    help: 'Age of the oldest event not yet delivered everywhere (0 when none is waiting).',
    registers: [],
    async collect () {
      const { oldestEventAt } = await app.store.repos.webhooks.queue()
      this.set(oldestEventAt === null ? 0 : Math.max(0, (app.clock() - oldestEventAt) / 1000))
    },
  })]) registry.registerMetric(gauge)
  const webhooks = dispatcher({
    store: app.store,
    config: app.config.webhooks,
    secrets,
    clock: app.clock,
    log: app.log,
    counters: { count: (kind, outcome) => outcomes.inc({ kind, outcome }) },
  })
  app.decorate('webhooks', webhooks)
  app.decorate('webhookSecrets', secrets)
  const unsubscribe = app.store.feed.subscribe(() => webhooks.nudge())
  app.addHook('onClose', async () => {
    unsubscribe()
    await webhooks.stop()
  })
}

export default fp(webhooksPlugin, { name: 'webhooks', dependencies: ['metrics'] })
