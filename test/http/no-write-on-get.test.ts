// No delivery GET writes to the database: every GET route the app registers (app.registeredRoutes,
// so a new route is covered without editing this test), requested without credentials over the
// demo content, leaves SQLite's total_changes() and the database files' sizes as they were, with
// the response cache on and off, on a first (cold) read and on a repeat. View beacons (POST) write
// by design and are not GETs.
import { existsSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { referenceStorySlug, seedDemoContentIfEmpty } from '../../src/demo/seed.js'
import { makeApp, makeClock } from '../helpers.js'
import { listening, openStream } from '../liveblogs/helpers.js'
import type { SqliteStore } from '../../src/db/sqlite/store.js'

const NOW = '2026-11-24T12:00:00.000Z'

// A real value for every path parameter of a GET route over the demo content; a route with a
// parameter not listed here fails the test until one is added.
const PARAMS: Record<string, string> = {
  article: referenceStorySlug,
  slug: referenceStorySlug,
  file: 'rss.xml',
  month: '2026-11',
  // management reads (revisions): asked without credentials they answer 401, and must not write either
  id: '1',
  revision: '1',
  entry: '1',
}
// wildcard values by route prefix
const WILDCARDS: Record<string, string> = {
  '/v1/sections/*': 'news/world-news',
  '/v1/fronts/*': 'news',
  '/v1/feeds/sections/*': 'news/rss.xml',
}

// the URL to request for a route pattern, or an error naming what is missing
function urlFor (pattern: string): string {
  return pattern.split('/').map((part) => {
    if (part === '*') {
      const value = WILDCARDS[pattern]
      if (!value) throw new Error(`no wildcard value for ${pattern}: add one to WILDCARDS`)
      return value
    }
    return part.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      const value = PARAMS[name]
      if (value === undefined) throw new Error(`no value for :${name} in ${pattern}: add one to PARAMS`)
      return value
    })
  }).join('/')
}

// query strings a route needs to answer with content
const QUERIES: Record<string, string> = { '/v1/search': '?q=ceasefire' }

// routes whose :slug is not an article's
const SLUG_OVERRIDES: Array<[RegExp, string]> = [
  [/^\/v1\/(feeds\/)?tags\/:slug/, 'ceasefire'],
  [/^\/v1\/authors\/:slug/, 'afp'],
  [/^\/v1\/collections\/:slug/, 'selected'],
  [/^\/v1\/feeds\/liveblogs\/:slug/, 'storm-isla-live'],
]
// routes whose :article is a live blog's
const LIVE_BLOG_ROUTES = /^\/v1\/articles\/:article\/entries/

describe.each([true, false])('GET routes with RESPONSE_CACHE=%s', (responseCache) => {
  it('write nothing to the database, cold or repeated, in every coding', async () => {
    const t = await makeApp({
      clock: makeClock(NOW),
      env: { RESPONSE_CACHE: String(responseCache) },
      prepare: (store) => seedDemoContentIfEmpty(store, Date.parse(NOW) - 3_600_000),
    })
    const routes = t.app.registeredRoutes.filter((r) => r.startsWith('GET ')).map((r) => r.slice(4))
    const delivery = [...new Set(routes)]
    expect(delivery.length).toBeGreaterThan(15)
    // changes made on either of the store's connections (reads and transactions)
    const connections = [t.db.$client, (t.store as SqliteStore).write.$client]
    const changes = () => connections.reduce((n, c) => n + (c.prepare('select total_changes() as n').get() as { n: number }).n, 0)
    const bytes = () => [t.config.databasePath, `${t.config.databasePath}-wal`].map((f) => existsSync(f) ? statSync(f).size : 0)
    // the demo seed's own writes are checkpointed into the file first
    t.db.$client.pragma('wal_checkpoint(TRUNCATE)')
    const before = { changes: changes(), bytes: bytes() }
    const answered: Record<string, number> = {}
    for (const pattern of delivery) {
      const override = SLUG_OVERRIDES.find(([re]) => re.test(pattern))
      const url = (override ? urlFor(pattern.replace(':slug', override[1])) : urlFor(LIVE_BLOG_ROUTES.test(pattern) ? pattern.replace(':article', 'storm-isla-live') : pattern)) + (QUERIES[pattern] ?? '')
      for (const coding of ['identity', 'gzip', 'br', 'identity']) {
        if (pattern.endsWith('/stream')) {
          // Server-Sent Events: open, connected, closed
          const stream = await openStream(await listening(t.app), url, { 'accept-encoding': coding, 'last-event-id': '0' })
          stream.close()
          answered[pattern] = stream.status
          continue
        }
        const res = await t.request.get(url).set('accept-encoding', coding)
        expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBeLessThan(500)
        answered[pattern] = res.status
      }
      expect(changes(), `GET ${url} wrote to the database`).toBe(before.changes)
    }
    expect(bytes()).toEqual(before.bytes)
    // the test proves something only if the delivery reads succeeded
    const failed = Object.entries(answered).filter(([, status]) => status >= 400 && status !== 401)
    expect(failed, 'every delivery GET answered with content').toEqual([])
    expect(answered['/v1/articles/:article']).toBe(200)
    // article revisions (2), entry revisions (1) and webhooks (3: list, one, deliveries)
    expect(Object.values(answered).filter((status) => status === 401).length, 'management reads').toBeLessThan(7)
  })
})
