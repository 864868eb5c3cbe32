// The live blog stream over real HTTP connections (app.listen on a free port, a small EventSource-like
// parser in helpers.ts): new, changed and deleted entries; reconnecting with Last-Event-ID replays
// exactly what was missed, from the stored events; heartbeats; the per-process limit (503 with
// Retry-After); one query per write whatever the number of readers; clean close; and a stream held
// on a second app over the same database receiving a write made through the first.
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { eventually, reopenStore } from '../helpers.js'
import { listening, makeBlog, openStream, post } from './helpers.js'

describe('GET /v1/articles/{slug}/entries/stream', () => {
  it('sends new and changed entries and deletions, each with an increasing id', async () => {
    const b = await makeBlog()
    const base = await listening(b.app)
    const stream = await openStream(base, `/v1/articles/${b.slug}/entries/stream`, { 'accept-encoding': 'br, gzip' })
    expect(stream.status).toBe(200)
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(stream.headers['cache-control']).toBe('no-store')
    expect(stream.headers['content-encoding']).toBeUndefined()
    expect(stream.text.startsWith('retry: 3000\n\n')).toBe(true)

    const e = await post(b, { headline: 'Polls close', keyEvent: true, authors: ['afp'] })
    const [created] = await stream.waitFor(1)
    const page = await b.request.get(`/v1/articles/${b.slug}/entries`).expect(200)
    expect(created).toEqual({ id: '1', event: 'entry', data: JSON.stringify(page.body.data[0]) })

    b.clock.advance(1000)
    await b.request.patch(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).send({ pinned: true }).expect(200)
    // (each event carries the entry as it is when the hub reads it: a change read after the
    // deletion committed is sent as `deleted`, so the test waits for it before deleting)
    await stream.waitFor(2)
    await b.request.delete(`/v1/articles/${b.id}/entries/${e.id}`).set(b.auth).expect(204)
    const events = await stream.waitFor(3)
    expect(events[1]).toMatchObject({ id: '2', event: 'entry' })
    expect(JSON.parse(events[1]!.data)).toMatchObject({ id: e.id, pinned: true, updatedAt: '2026-11-24T12:01:01.000Z' })
    expect(events[2]).toEqual({ id: '3', event: 'deleted', data: JSON.stringify({ id: e.id }) })
    stream.close()
  })

  it('replays exactly the missed events after a reconnect with Last-Event-ID (or lastEventId), then goes on live', async () => {
    const b = await makeBlog()
    const base = await listening(b.app)
    const first = await openStream(base, `/v1/articles/${b.slug}/entries/stream`)
    await post(b)
    await post(b)
    const seen = await first.waitFor(2)
    first.close()
    // missed while disconnected: a new entry, a change to entry 1, deletion of entry 2
    await post(b, { headline: 'Missed' })
    await b.request.patch(`/v1/articles/${b.id}/entries/1`).set(b.auth).send({ headline: 'Changed' }).expect(200)
    await b.request.delete(`/v1/articles/${b.id}/entries/2`).set(b.auth).expect(204)

    const again = await openStream(base, `/v1/articles/${b.slug}/entries/stream`, { 'last-event-id': seen[1]!.id! })
    const replayed = await again.waitFor(3)
    expect(replayed.map((e) => [e.id, e.event])).toEqual([['3', 'entry'], ['4', 'entry'], ['5', 'deleted']])
    expect(JSON.parse(replayed[0]!.data).headline).toBe('Missed')
    expect(JSON.parse(replayed[1]!.data).headline).toBe('Changed')
    await post(b, { headline: 'Live again' })
    const all = await again.waitFor(4)
    expect(all.map((e) => e.id)).toEqual(['3', '4', '5', '6'])

    const byQuery = await openStream(base, `/v1/articles/${b.slug}/entries/stream?lastEventId=4`)
    expect((await byQuery.waitFor(2)).map((e) => e.id)).toEqual(['5', '6'])
    const bad = await b.request.get(`/v1/articles/${b.slug}/entries/stream`).set('last-event-id', 'abc').expect(400)
    expect(bad.body.errors[0].path).toBe('last-event-id')
    again.close()
    byQuery.close()
  })

  it('re-reads every open blog from its last delivered event when the feed says "drop everything"', async () => {
    const b = await makeBlog()
    const stream = await openStream(await listening(b.app), `/v1/articles/${b.slug}/entries/stream`)
    await post(b)
    await stream.waitFor(1)
    // an event whose notification was lost (written without recording a change), then a reset
    await b.store.tx(async (repos) => {
      const id = await repos.liveblogs.insertEntry({ articleId: b.id, headline: 'Unannounced', body: [{ type: 'paragraph', text: 'x' }], keyEvent: false, pinned: false, at: b.clock() })
      await repos.liveblogs.recordEvent(b.id, id, 'created', b.clock())
    })
    expect(stream.events).toHaveLength(1)
    b.store.feed.start(b.store.feed.watermark ?? 0, 'reconnected')
    const events = await stream.waitFor(2)
    expect(JSON.parse(events[1]!.data).headline).toBe('Unannounced')
    stream.close()
  })

  it('answers HEAD with the stream\'s head and ends at once, holding no stream', async () => {
    const b = await makeBlog()
    const res = await b.request.head(`/v1/articles/${b.slug}/entries/stream`).timeout(5_000).expect(200)
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(b.app.liveHub.open).toBe(0)
  })

  it('sends heartbeat comments', async () => {
    const b = await makeBlog({ env: { LIVE_HEARTBEAT_SECONDS: '0.1' } })
    const stream = await openStream(await listening(b.app), `/v1/articles/${b.slug}/entries/stream`)
    await eventually(async () => stream.comments.includes('keep-alive'), 5_000, 'a heartbeat')
    stream.close()
  })

  it('holds at most LIVE_STREAM_LIMIT streams: beyond, a 503 problem with Retry-After', async () => {
    const b = await makeBlog({ env: { LIVE_STREAM_LIMIT: '2' } })
    const base = await listening(b.app)
    const one = await openStream(base, `/v1/articles/${b.slug}/entries/stream`)
    const two = await openStream(base, `/v1/articles/${b.slug}/entries/stream`)
    const res = await b.request.get(`/v1/articles/${b.slug}/entries/stream`).expect(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    one.close()
    await eventually(async () => b.app.liveHub.open === 1, 5_000, 'a stream closed')
    const three = await openStream(base, `/v1/articles/${b.slug}/entries/stream`)
    expect(three.status).toBe(200)
    two.close()
    three.close()
  })

  it('fans each write out with the same queries whatever the number of readers', async () => {
    const b = await makeBlog()
    const base = await listening(b.app)
    const streams = await Promise.all(Array.from({ length: 20 }, () => openStream(base, `/v1/articles/${b.slug}/entries/stream`)))
    const before = b.app.liveHub.queries
    await post(b)
    for (const stream of streams) await stream.waitFor(1)
    expect(b.app.liveHub.queries - before).toBe(1)
    expect(new Set(streams.map((s) => s.events[0]!.data)).size).toBe(1)
    for (const stream of streams) stream.close()
  })

  it('ends open streams when the app closes', async () => {
    const b = await makeBlog()
    const stream = await openStream(await listening(b.app), `/v1/articles/${b.slug}/entries/stream`)
    await b.app.close()
    await eventually(async () => stream.ended, 5_000, 'the stream ended')
  })

  // with the response cache off too: the app follows the change feed (on PostgreSQL, LISTEN) for
  // every subscriber, not only for the cache (a stream on such a node once heard nothing from others)
  it.each([true, false])('delivers an entry written through one app to a stream held on another app over the same database (response cache %s)', async (responseCache) => {
    const a = await makeBlog()
    const store = await reopenStore(a)
    const other = await buildApp({ store, config: { ...a.config, responseCache }, clock: a.clock })
    try {
      await other.ready()
      const stream = await openStream(await listening(other), `/v1/articles/${a.slug}/entries/stream`)
      const e = await post(a, { headline: 'From node A' })
      const [event] = await stream.waitFor(1)
      expect(JSON.parse(event!.data)).toMatchObject({ id: e.id, headline: 'From node A' })
      await a.request.delete(`/v1/articles/${a.id}/entries/${e.id}`).set(a.auth).expect(204)
      expect((await stream.waitFor(2))[1]).toMatchObject({ event: 'deleted' })
      stream.close()
    } finally {
      await other.close()
    }
  })
})
