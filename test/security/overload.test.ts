// Load shedding: past the configured event-loop or memory ceilings the server answers 503 problems
// with Retry-After; /healthz keeps answering. A burst far beyond capacity stays under a memory ceiling.
import { describe, expect, it, vi } from 'vitest'
import { makeApp } from '../helpers.js'

// Documented in README ("Overload"): how much the whole test process (server and client) grows
// during the burst. The growth, not the total: before the burst the same process holds about 135 MB
// RSS on Node 20 and 250 MB on Node 24 (with a similar JS heap), so a total ceiling measures the
// Node version more than the server.
const RSS_GROWTH_CEILING_BYTES = 150 * 1024 * 1024
const BURST = 2000

function blockEventLoop (ms: number) {
  const until = Date.now() + ms
  while (Date.now() < until) { /* busy: simulates a CPU-bound request */ }
}

describe('overload', () => {
  it('sheds every route but /healthz with a 503 problem and Retry-After while memory is over its ceiling', async () => {
    const { app, request } = await makeApp({
      env: { OVERLOAD_MAX_HEAP_USED_BYTES: '1', OVERLOAD_SAMPLE_INTERVAL_MS: '10', OVERLOAD_RETRY_AFTER_SECONDS: '7' },
    })
    await vi.waitFor(() => expect(app.isUnderPressure()).toBe(true), { timeout: 5000, interval: 10 })

    const ready = await request.get('/readyz').expect(503)
    expect(ready.headers['retry-after']).toBe('7')
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(ready.body).toMatchObject({ type: '/problems/service-unavailable', title: 'Service Unavailable', status: 503 })
    expect(ready.body.detail).toContain('7 seconds')

    const unknown = await request.get('/v1/articles').expect(503)
    expect(unknown.headers['retry-after']).toBe('7')

    await request.get('/healthz').expect(200, { status: 'ok' })
  })

  it('sheds load with 503 after the event loop was blocked past OVERLOAD_MAX_EVENT_LOOP_DELAY_MS', async () => {
    const { app, request } = await makeApp({
      env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '20', OVERLOAD_SAMPLE_INTERVAL_MS: '1000' },
    })
    await request.get('/readyz').expect(200)
    // CPU-bound work in bursts, yielding between them, until the sampler reports the lag
    for (let i = 0; i < 50 && !app.isUnderPressure(); i++) {
      blockEventLoop(200)
      await new Promise(setImmediate)
    }
    expect(app.isUnderPressure()).toBe(true)
    const res = await request.get('/readyz').expect(503)
    expect(res.headers['retry-after']).toBe('10')
    expect(res.body.detail).toContain('too busy')
  })

  it('does not shed anything with the default thresholds', async () => {
    const { app, request } = await makeApp()
    await request.get('/readyz').expect(200)
    expect(app.isUnderPressure()).toBe(false)
  })

  it(`answers a burst of ${BURST} concurrent requests with only 200, 404 or 503 and grows by less than ${RSS_GROWTH_CEILING_BYTES / 1024 / 1024} MB RSS`, async () => {
    const { app } = await makeApp({
      env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '50', OVERLOAD_SAMPLE_INTERVAL_MS: '100' },
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as { port: number }
    const startRss = process.memoryUsage().rss
    let peakRss = startRss
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss) }, 20)
    // the client's own buffers count in this process's RSS too, so keep responses small
    const paths = ['/healthz', '/readyz', '/v1/no-such-route', '/v1/articles']
    try {
      const statuses = await Promise.all(Array.from({ length: BURST }, async (_, i) => {
        const res = await fetch(`http://127.0.0.1:${port}${paths[i % paths.length]}`)
        await res.arrayBuffer()
        return res.status
      }))
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      const counts = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {})
      const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)
      console.log(`burst of ${BURST} on Node ${process.versions.node}: statuses ${JSON.stringify(counts)}, RSS ${mb(startRss)} MB before, peak ${mb(peakRss)} MB (+${mb(peakRss - startRss)} MB)`)
      expect(statuses.filter((s) => ![200, 404, 503].includes(s))).toEqual([])
      expect(peakRss - startRss).toBeLessThan(RSS_GROWTH_CEILING_BYTES)
    } finally {
      clearInterval(sampler)
    }
  })
})
