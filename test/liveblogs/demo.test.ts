// The demo content's live blog, through HTTP: 60+ entries over a day, five key events, one pinned.
import { expect, it } from 'vitest'
import { seedDemoContentIfEmpty } from '../../src/demo/seed.js'
import { makeApp, makeClock } from '../helpers.js'

const NOW = Date.parse('2026-11-24T12:00:00.000Z')

it('has a running live blog with 60+ entries over a day, five key events and one pinned entry', async () => {
  const started = performance.now()
  const { request } = await makeApp({ clock: makeClock(NOW), prepare: (store) => seedDemoContentIfEmpty(store, NOW) })
  const loaded = performance.now() - started
  const article = await request.get('/v1/articles/storm-isla-live').expect(200)
  const { live } = article.body
  expect(live.isLive).toBe(true)
  expect(live.entryCount).toBeGreaterThanOrEqual(60)
  expect(live.keyEvents).toHaveLength(5)
  expect(article.body.updatedAt).toBe(live.lastEntryAt)
  const oldest = await request.get('/v1/articles/storm-isla-live/entries?order=oldest&limit=1').expect(200)
  expect(Date.parse(live.lastEntryAt) - Date.parse(oldest.body.data[0].createdAt)).toBeGreaterThan(20 * 3_600_000)
  const first = await request.get('/v1/articles/storm-isla-live/entries?limit=5').expect(200)
  expect(first.body.data[0]).toMatchObject({ pinned: true, headline: 'Summary: what we know so far' })
  expect(first.body.data.filter((e: { pinned: boolean }) => e.pinned)).toHaveLength(1)
  expect(first.body.data[1].authors.length).toBeGreaterThan(0)
  // loading stays quick (the whole demo, live blog included, in one transaction)
  expect(loaded).toBeLessThan(15_000)
})
