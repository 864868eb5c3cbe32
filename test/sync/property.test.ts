// The sync property: a client that applies every page of GET /v1/sync (article = upsert by id,
// tombstone = delete by id) holds exactly the live articles matching its filters, with their
// current content, whatever the newsroom did in between. Random sequences of writes through the
// management API (create, publish, schedule then let the clock pass, edit, move, retag, relate,
// unpublish, delete, move a section, rename a tag) interleaved with single pages and complete
// syncs of three clients (no filter, section=news, tag=climate, two items a page so that pages
// span writes); after every complete sync the client's copy is compared with GET /v1/articles
// (and each article's GET /v1/articles/{slug}).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeNewsroom, seedTaxonomy, story, type Newsroom } from '../management/helpers.js'

const MINUTE = 60_000
const TAGS = ['climate', 'paris']

type Op =
  | { kind: 'create', section: number, tags: string[], publish: boolean }
  | { kind: 'publish' | 'unpublish' | 'delete' | 'edit', pick: number }
  | { kind: 'schedule', pick: number, minutes: number }
  | { kind: 'advance', minutes: number }
  | { kind: 'move', pick: number, section: number }
  | { kind: 'retag', pick: number, tags: string[] }
  | { kind: 'relate', pick: number, other: number }
  | { kind: 'moveSection' }
  | { kind: 'renameTag' }
  | { kind: 'page' | 'full', client: number }

const pick = fc.nat({ max: 1000 })
const tags = fc.subarray(TAGS)
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), section: fc.nat({ max: 3 }), tags, publish: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('publish' as const), pick }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('schedule' as const), pick, minutes: fc.integer({ min: 1, max: 120 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 90 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), pick }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), pick, section: fc.nat({ max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('retag' as const), pick, tags }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('relate' as const), pick, other: pick }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('unpublish' as const), pick }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), pick }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('moveSection' as const) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('renameTag' as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('page' as const), client: fc.nat({ max: 2 }) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('full' as const), client: fc.nat({ max: 2 }) }), weight: 3 }
)

interface Client {
  filters: Record<string, string>
  copy: Map<number, unknown>
  // null: not started; `page`: in the middle of an initial sync or a delta
  token: string | null
  inPages: boolean
}

type Page = { items: Array<{ type: 'article', article: { id: number } } | { type: 'tombstone', id: number }>, nextPageToken: string | null, nextSyncToken: string | null }

async function fetchPage (n: Newsroom, client: Client): Promise<void> {
  const query = client.token === null ? { ...client.filters, limit: 2 } : { token: client.token }
  const res = await n.request.get('/v1/sync').query(query)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const page = res.body as Page
  expect((page.nextPageToken === null) !== (page.nextSyncToken === null)).toBe(true)
  const ids = page.items.map((item) => item.type === 'article' ? item.article.id : item.id)
  expect(new Set(ids).size).toBe(ids.length)
  for (const item of page.items) {
    if (item.type === 'article') client.copy.set(item.article.id, item.article)
    else client.copy.delete(item.id)
  }
  client.inPages = page.nextPageToken !== null
  client.token = page.nextPageToken ?? page.nextSyncToken
}

// Finishes the pages in progress, then syncs from the position reached to now.
async function fullSync (n: Newsroom, client: Client): Promise<void> {
  while (client.inPages) await fetchPage(n, client)
  do await fetchPage(n, client); while (client.inPages)
}

// The truth, as a reader sees it, through the response cache: sync must agree with it. (It once
// did not: with SYNC_PROPERTY_SEED=-290812616 a cached article kept relatedIds [] after its related
// draft was published, until article writes dropped the articles that list them as related.)
async function liveSet (n: Newsroom, filters: Record<string, string>): Promise<Map<number, unknown>> {
  const list = await n.request.get('/v1/articles').query({ ...filters, limit: 100 }).expect(200)
  const expected = new Map<number, unknown>()
  for (const summary of list.body.data as Array<{ id: number, slug: string }>) {
    expected.set(summary.id, (await n.request.get(`/v1/articles/${summary.slug}`).expect(200)).body)
  }
  return expected
}

const sorted = (m: Map<number, unknown>) => [...m.entries()].sort((a, b) => a[0] - b[0])

// One newsroom for every history (a history starts from where the previous one left the content;
// its clients start afresh), so that a run does not open a database per history.
async function newsroom () {
  const n = await makeNewsroom()
  await seedTaxonomy(n)
  await n.request.post('/v1/sections').set(n.auth).send({ slug: 'world', name: 'World', parent: 'news' }).expect(201)
  return { n, worldPath: 'news/world', ids: [] as number[], edits: 0 }
}

async function run (state: Awaited<ReturnType<typeof newsroom>>, ops: Op[]): Promise<void> {
  const { n, ids } = state
  const { request, auth, clock } = n
  const sections = () => ['news', 'news/world-news', state.worldPath, 'sport']
  const clients: Client[] = ([{}, { section: 'news' }, { tag: 'climate' }] as Array<Record<string, string>>)
    .map((filters) => ({ filters, copy: new Map(), token: null, inPages: false }))
  const target = (p: number) => (ids.length === 0 ? undefined : ids[p % ids.length]!)
  const ok = (status: number, allowed: number[], what: string) => expect(allowed, what).toContain(status)

  for (const step of ops) {
    clock.advance(1000)
    switch (step.kind) {
      case 'create': {
        // a few articles, so that later steps keep coming back to the same ones
        if (ids.length >= 6) break
        const res = await request.post('/v1/articles').set(auth).send(story({ headline: `Story ${ids.length}`, section: sections()[step.section], tags: step.tags })).expect(201)
        ids.push(res.body.id)
        if (step.publish) await request.post(`/v1/articles/${res.body.id}/publish`).set(auth).expect(200)
        break
      }
      case 'publish':
      case 'unpublish': {
        const id = target(step.pick)
        if (id !== undefined) ok((await request.post(`/v1/articles/${id}/${step.kind}`).set(auth)).status, [200], step.kind)
        break
      }
      case 'schedule': {
        const id = target(step.pick)
        const at = new Date(clock() + step.minutes * MINUTE).toISOString()
        // 409: it is live (unpublish it first)
        if (id !== undefined) ok((await request.post(`/v1/articles/${id}/publish`).set(auth).send({ at })).status, [200, 409], 'schedule')
        break
      }
      case 'advance':
        clock.advance(step.minutes * MINUTE)
        break
      case 'edit':
      case 'move':
      case 'retag':
      case 'relate': {
        const id = target(step.pick)
        if (id === undefined) break
        let patch: Record<string, unknown>
        if (step.kind === 'edit') patch = { headline: `Edited ${++state.edits}`, body: [{ type: 'paragraph', text: `Revision ${state.edits}` }] }
        else if (step.kind === 'move') patch = { section: sections()[step.section] }
        else if (step.kind === 'retag') patch = { tags: step.tags }
        else if (step.kind === 'relate') patch = { relatedIds: target(step.other) === id ? [] : [target(step.other)] }
        else break
        ok((await request.patch(`/v1/articles/${id}`).set(auth).send(patch)).status, [200], `${step.kind} ${JSON.stringify(patch)}`)
        break
      }
      case 'delete': {
        const id = target(step.pick)
        if (id === undefined) break
        await request.delete(`/v1/articles/${id}`).set(auth).expect(204)
        ids.splice(ids.indexOf(id), 1)
        break
      }
      case 'moveSection': {
        const parent = state.worldPath === 'news/world' ? 'sport' : 'news'
        await request.patch(`/v1/sections/${state.worldPath}`).set(auth).send({ parent }).expect(200)
        state.worldPath = `${parent}/world`
        break
      }
      case 'renameTag':
        await request.patch('/v1/tags/climate').set(auth).send({ name: `Climate ${++state.edits}` }).expect(200)
        break
      case 'page':
        await fetchPage(n, clients[step.client]!)
        break
      case 'full': {
        const client = clients[step.client]!
        await fullSync(n, client)
        expect(sorted(client.copy), `client ${JSON.stringify(client.filters)}`).toEqual(sorted(await liveSet(n, client.filters)))
        break
      }
    }
  }
  clock.advance(200 * MINUTE)
  for (const client of clients) {
    await fullSync(n, client)
    expect(sorted(client.copy), `client ${JSON.stringify(client.filters)} at the end`).toEqual(sorted(await liveSet(n, client.filters)))
  }
}

describe('GET /v1/sync: a client that applies every page holds exactly the live set', () => {
  it('for random newsroom histories, with and without section and tag filters', async () => {
    const state = await newsroom()
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 60 }), (ops) => run(state, ops)), {
      numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 25),
      // a failing history is replayed by seed (printed on failure) with SYNC_PROPERTY_SEED
      ...(process.env.SYNC_PROPERTY_SEED ? { seed: Number(process.env.SYNC_PROPERTY_SEED) } : {}),
    })
  }, 300_000)
})
