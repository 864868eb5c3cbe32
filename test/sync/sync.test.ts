// GET /v1/sync: initial pages, deltas, tombstones, what each kind of write brings, tokens and
// their problems, retention, caching. (The random-history property is in property.test.ts.)
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importWordpress } from '../../src/wordpress/importer.js'
import { makeNewsroom, seedTaxonomy, story, type Newsroom } from '../management/helpers.js'

const MINUTE = 60_000
const DAY = 86_400_000

type Item = { type: 'article', article: Record<string, any> } | { type: 'tombstone', id: number, slug: string, removedAt: string }
interface Page { items: Item[], nextPageToken: string | null, nextSyncToken: string | null }

async function newsroom (env: Record<string, string> = {}) {
  const n = await makeNewsroom({ env })
  await seedTaxonomy(n)
  return n
}

async function publish (n: Newsroom, overrides: Record<string, unknown> = {}): Promise<number> {
  const { id } = (await n.request.post('/v1/articles').set(n.auth).send(story(overrides)).expect(201)).body
  await n.request.post(`/v1/articles/${id}/publish`).set(n.auth).expect(200)
  return id
}

async function page (n: Newsroom, query: Record<string, unknown>): Promise<Page> {
  const res = await n.request.get('/v1/sync').query(query).expect(200)
  const body = res.body as Page
  expect((body.nextPageToken === null) !== (body.nextSyncToken === null)).toBe(true)
  return body
}

// Every page from `query` until the one with nextSyncToken.
async function all (n: Newsroom, query: Record<string, unknown>): Promise<{ pages: Page[], items: Item[], token: string }> {
  const pages = [await page(n, query)]
  while (pages.at(-1)!.nextPageToken) pages.push(await page(n, { token: pages.at(-1)!.nextPageToken }))
  return { pages, items: pages.flatMap((p) => p.items), token: pages.at(-1)!.nextSyncToken! }
}

const summary = (items: Item[]) => items.map((item) => item.type === 'article'
  ? `article ${item.article.id} ${item.article.headline}`
  : `tombstone ${item.id} ${item.slug}`)

describe('GET /v1/sync: initial sync', () => {
  it('pages through the live articles by id, then hands a sync token; drafts and scheduled ones stay out', async () => {
    const n = await newsroom()
    for (let i = 1; i <= 5; i++) await publish(n, { headline: `Story ${i}` })
    await n.request.post('/v1/articles').set(n.auth).send(story({ headline: 'Draft' })).expect(201)
    const scheduled = (await n.request.post('/v1/articles').set(n.auth).send(story({ headline: 'Later' })).expect(201)).body.id
    await n.request.post(`/v1/articles/${scheduled}/publish`).set(n.auth).send({ at: new Date(n.clock() + 10 * MINUTE).toISOString() }).expect(200)

    const { pages, items, token } = await all(n, { limit: 2 })
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1])
    expect(pages.slice(0, 2).every((p) => p.nextPageToken !== null && p.nextSyncToken === null)).toBe(true)
    expect(summary(items)).toEqual(['article 1 Story 1', 'article 2 Story 2', 'article 3 Story 3', 'article 4 Story 4', 'article 5 Story 5'])
    // the full article, exactly as GET /v1/articles/{slug} shows it
    const detail = await n.request.get(`/v1/articles/${(items[0] as any).article.slug}`).expect(200)
    expect((items[0] as any).article).toEqual(detail.body)

    // nothing changed: an empty delta and a new token
    const quiet = await all(n, { token })
    expect(quiet.items).toEqual([])
    // the scheduled time passes with no write: the next delta brings it
    n.clock.advance(11 * MINUTE)
    const later = await all(n, { token: quiet.token })
    expect(summary(later.items)).toEqual([`article ${scheduled} Later`])
  })

  it('stays consistent while writes happen between its pages; the first delta brings them', async () => {
    const n = await newsroom()
    for (let i = 1; i <= 5; i++) await publish(n, { headline: `Story ${i}` })
    const first = await page(n, { limit: 2 })
    expect(summary(first.items)).toEqual(['article 1 Story 1', 'article 2 Story 2'])
    await n.request.patch('/v1/articles/1').set(n.auth).send({ headline: 'Story 1, updated' }).expect(200)
    await n.request.delete('/v1/articles/4').set(n.auth).expect(204)
    await n.request.patch('/v1/articles/3').set(n.auth).send({ headline: 'Story 3, updated' }).expect(200)
    const added = await publish(n, { headline: 'Story 6' })
    const rest = await all(n, { token: first.nextPageToken })
    // article 6 came after the sync began: not in its pages
    expect(summary(rest.items)).toEqual(['article 3 Story 3, updated', 'article 5 Story 5'])
    const delta = await all(n, { token: rest.token })
    expect(summary(delta.items)).toEqual([
      'article 1 Story 1, updated', 'article 3 Story 3, updated', 'tombstone 4 story-4', `article ${added} Story 6`,
    ])
  })

  it('filters by section (with every section under it) and by tag, as /v1/articles does', async () => {
    const n = await newsroom()
    await publish(n, { headline: 'World', section: 'news/world-news', tags: ['paris'] })
    await publish(n, { headline: 'News', section: 'news', tags: ['climate'] })
    await publish(n, { headline: 'Sport', section: 'sport', tags: ['climate'] })
    expect(summary((await all(n, { section: 'news' })).items)).toEqual(['article 1 World', 'article 2 News'])
    expect(summary((await all(n, { tag: 'climate' })).items)).toEqual(['article 2 News', 'article 3 Sport'])
    expect(summary((await all(n, { section: 'news', tag: 'climate' })).items)).toEqual(['article 2 News'])
  })
})

describe('GET /v1/sync: deltas', () => {
  it('brings an article changed several times once, as it is now', async () => {
    const n = await newsroom()
    const id = await publish(n)
    const { token } = await all(n, {})
    for (const headline of ['One', 'Two', 'Three']) await n.request.patch(`/v1/articles/${id}`).set(n.auth).send({ headline }).expect(200)
    const delta = await all(n, { token })
    expect(summary(delta.items)).toEqual([`article ${id} Three`])
  })

  it('tombstones what was unpublished or deleted, with its slug and when', async () => {
    const n = await newsroom()
    const a = await publish(n, { slug: 'first' })
    const b = await publish(n, { slug: 'second' })
    const { token } = await all(n, {})
    n.clock.advance(MINUTE)
    await n.request.post(`/v1/articles/${a}/unpublish`).set(n.auth).expect(200)
    n.clock.advance(MINUTE)
    await n.request.delete(`/v1/articles/${b}`).set(n.auth).expect(204)
    const delta = await all(n, { token })
    expect(delta.items).toEqual([
      { type: 'tombstone', id: a, slug: 'first', removedAt: '2026-11-24T12:01:00.000Z' },
      { type: 'tombstone', id: b, slug: 'second', removedAt: '2026-11-24T12:02:00.000Z' },
    ])
    // and a republished one comes back
    await n.request.post(`/v1/articles/${a}/publish`).set(n.auth).expect(200)
    expect(summary((await all(n, { token: delta.token })).items)).toEqual([`article ${a} Talks resume in Paris`])
  })

  it('tombstones what moved out of the section filter or was retagged out of the tag filter, and brings what moved in', async () => {
    const n = await newsroom()
    const a = await publish(n, { headline: 'A', section: 'news', tags: ['climate'] })
    const b = await publish(n, { headline: 'B', section: 'sport', tags: ['paris'] })
    const section = await all(n, { section: 'news' })
    const tag = await all(n, { tag: 'climate' })
    await n.request.patch(`/v1/articles/${a}`).set(n.auth).send({ section: 'sport', tags: ['paris'] }).expect(200)
    await n.request.patch(`/v1/articles/${b}`).set(n.auth).send({ section: 'news/world-news', tags: ['climate'] }).expect(200)
    expect(summary((await all(n, { token: section.token })).items)).toEqual([`tombstone ${a} a`, `article ${b} B`])
    expect(summary((await all(n, { token: tag.token })).items)).toEqual([`tombstone ${a} a`, `article ${b} B`])
  })

  it('follows a section move: its articles leave the old parent\'s filter and every copy gets the new url', async () => {
    const n = await newsroom()
    const id = await publish(n, { section: 'news/world-news' })
    const news = await all(n, { section: 'news' })
    const everything = await all(n, {})
    const world = await all(n, { section: 'news/world-news' })
    await n.request.patch('/v1/sections/news/world-news').set(n.auth).send({ parent: 'sport' }).expect(200)
    expect((await all(n, { token: news.token })).items).toEqual([expect.objectContaining({ type: 'tombstone', id })])
    const moved = (await all(n, { token: everything.token })).items
    expect(moved).toEqual([{ type: 'article', article: expect.objectContaining({ id, url: '/sport/world-news/talks-resume-in-paris' }) }])
    // a filter on the moved section itself follows the section (it is bound to the section, not its old path)
    expect((await all(n, { token: world.token })).items).toEqual(moved)
  })

  it('brings the articles that show a renamed tag, section or author', async () => {
    const n = await newsroom()
    const id = await publish(n)
    await publish(n, { tags: [], authors: [], section: 'sport' })
    let { token } = await all(n, {})
    await n.request.patch('/v1/tags/paris').set(n.auth).send({ name: 'Paris, France' }).expect(200)
    let delta = await all(n, { token })
    expect(delta.items).toEqual([{ type: 'article', article: expect.objectContaining({ id }) }])
    expect((delta.items[0] as any).article.tags[1].name).toBe('Paris, France')
    await n.request.patch('/v1/authors/afp').set(n.auth).send({ name: 'Agence France-Presse' }).expect(200)
    delta = await all(n, { token: token = delta.token })
    expect((delta.items[0] as any).article.authors[0].name).toBe('Agence France-Presse')
    await n.request.patch('/v1/sections/news').set(n.auth).send({ name: 'The News' }).expect(200)
    delta = await all(n, { token: token = delta.token })
    expect(delta.items.length).toBe(1)
    expect((delta.items[0] as any).article.breadcrumbs[0].name).toBe('The News')
  })

  it('brings the articles whose related list changes: a related article scheduled, then deleted', async () => {
    const n = await newsroom()
    const related = (await n.request.post('/v1/articles').set(n.auth).send(story({ headline: 'Related' })).expect(201)).body.id
    await n.request.post(`/v1/articles/${related}/publish`).set(n.auth).send({ at: new Date(n.clock() + 5 * MINUTE).toISOString() }).expect(200)
    const main = await publish(n, { headline: 'Main', relatedIds: [related] })
    const first = await all(n, {})
    expect(first.items).toEqual([{ type: 'article', article: expect.objectContaining({ id: main, relatedIds: [] }) }])
    n.clock.advance(6 * MINUTE)
    const live = await all(n, { token: first.token })
    expect(live.items).toEqual([
      { type: 'article', article: expect.objectContaining({ id: related }) },
      { type: 'article', article: expect.objectContaining({ id: main, relatedIds: [related] }) },
    ])
    await n.request.delete(`/v1/articles/${related}`).set(n.auth).expect(204)
    expect((await all(n, { token: live.token })).items).toEqual([
      expect.objectContaining({ type: 'tombstone', id: related }),
      { type: 'article', article: expect.objectContaining({ id: main, relatedIds: [] }) },
    ])
  })

  it('pages a delta the same way', async () => {
    const n = await newsroom()
    for (let i = 1; i <= 5; i++) await publish(n, { headline: `Story ${i}` })
    const { token } = await all(n, { limit: 2 })
    for (let i = 1; i <= 5; i++) await n.request.patch(`/v1/articles/${i}`).set(n.auth).send({ headline: `Edit ${i}` }).expect(200)
    const delta = await all(n, { token })
    expect(delta.pages.map((p) => p.items.length)).toEqual([2, 2, 1])
    expect(summary(delta.items)).toEqual(['article 1 Edit 1', 'article 2 Edit 2', 'article 3 Edit 3', 'article 4 Edit 4', 'article 5 Edit 5'])
    // a write while the delta is being paged comes in the next one
    const firstPage = await page(n, { token: delta.token })
    expect(firstPage.items).toEqual([])
  })

  it('brings what a WordPress import wrote', async () => {
    const n = await newsroom()
    const { token } = await all(n, {})
    const fixture = fileURLToPath(new URL('../../../shared/fixtures/wordpress/themeunittestdata.wordpress.xml', import.meta.url))
    await importWordpress(n.store, fixture, { now: () => n.clock() })
    const delta = await all(n, { token, limit: 500 })
    const live = await n.request.get('/v1/articles').query({ limit: 100 }).expect(200)
    expect(delta.items.filter((item) => item.type === 'article').map((item: any) => item.article.id).sort((a, b) => a - b))
      .toEqual(live.body.data.map((a: { id: number }) => a.id).sort((a: number, b: number) => a - b))
  })

  it('keeps up with concurrent writes: a client syncing while ten publishes run ends with all of them', async () => {
    const n = await newsroom()
    const ids: number[] = []
    for (let i = 0; i < 10; i++) ids.push((await n.request.post('/v1/articles').set(n.auth).send(story({ headline: `S${i}` })).expect(201)).body.id)
    const copy = new Map<number, unknown>()
    const apply = (items: Item[]) => { for (const item of items) item.type === 'article' ? copy.set(item.article.id, item.article) : copy.delete(item.id) }
    let { items, token } = await all(n, { limit: 3 })
    apply(items)
    const writes = Promise.all(ids.map((id) => n.request.post(`/v1/articles/${id}/publish`).set(n.auth).expect(200)))
    for (let i = 0; i < 5; i++) { ({ items, token } = await all(n, { token })); apply(items) }
    await writes;
    ({ items, token } = await all(n, { token }))
    apply(items)
    expect([...copy.keys()].sort((a, b) => a - b)).toEqual(ids)
  })
})

describe('GET /v1/sync: tokens', () => {
  it('refuses an altered or made-up token with a 400 problem naming token', async () => {
    const n = await newsroom()
    await publish(n)
    const { token } = await all(n, {})
    const [payload, mac] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), at: { seq: 0, now: 0 } })).toString('base64url')
    for (const bad of [`${forged}.${mac}`, 'garbage', `${token}x`, `${payload}`]) {
      const res = await n.request.get('/v1/sync').query({ token: bad }).expect(400)
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'token', in: 'query' })])
    }
    // a list cursor is not a sync token
    await n.request.post('/v1/articles').set(n.auth).send(story()).expect(201)
    const cursor = (await n.request.get('/v1/articles').query({ limit: 1 })).body.page.nextCursor
    if (cursor) await n.request.get('/v1/sync').query({ token: cursor }).expect(400)
  })

  it('binds the filters: another section or tag with a token is a 400 problem, the same ones are fine', async () => {
    const n = await newsroom()
    await publish(n)
    const { token } = await all(n, { section: 'news' })
    const other = await n.request.get('/v1/sync').query({ token, section: 'sport' }).expect(400)
    expect(other.body.errors).toEqual([expect.objectContaining({ path: 'section' })])
    const added = await n.request.get('/v1/sync').query({ token, tag: 'climate' }).expect(400)
    expect(added.body.errors).toEqual([expect.objectContaining({ path: 'tag' })])
    await n.request.get('/v1/sync').query({ token, section: 'news' }).expect(200)
  })

  it('answers a token older than the retention window with 410, start again without a token', async () => {
    const n = await newsroom({ SYNC_RETENTION_DAYS: '2' })
    for (let i = 0; i < 3; i++) await publish(n)
    const initial = await page(n, { limit: 2 })
    const { token } = await all(n, {})
    n.clock.advance(2 * DAY - MINUTE)
    await n.request.get('/v1/sync').query({ token }).expect(200)
    n.clock.advance(2 * MINUTE)
    for (const old of [token, initial.nextPageToken]) {
      const res = await n.request.get('/v1/sync').query({ token: old }).expect(410)
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
      expect(res.body).toMatchObject({ status: 410, type: '/problems/sync-token-expired' })
      expect(res.body.detail).toMatch(/start again without a token/)
    }
    await n.request.get('/v1/sync').expect(200)
  })

  it('prunes the log after the retention window (and a day)', async () => {
    const n = await newsroom({ SYNC_RETENTION_DAYS: '1' })
    await publish(n)
    const rows = async () => (await n.store.repos.sql.all('select seq from sync_log')).length
    await n.request.get('/v1/sync').expect(200)
    // created, published
    expect(await rows()).toBe(2)
    n.clock.advance(2 * DAY + MINUTE)
    await n.request.get('/v1/sync').expect(200)
    // the newest row stays: numbering goes on from it, so tokens still see what comes next
    expect(await rows()).toBe(1)
    const { token } = await all(n, {})
    const next = await publish(n, { headline: 'After the prune' })
    expect(summary((await all(n, { token })).items)).toEqual([`article ${next} After the prune`])
  })

  it('answers a token ahead of the change log (a restored database) with 410', async () => {
    const n = await newsroom()
    await publish(n)
    const { token } = await all(n, {})
    await n.store.repos.sql.run('delete from sync_log')
    const res = await n.request.get('/v1/sync').query({ token }).expect(410)
    expect(res.body.detail).toMatch(/start again without a token/)
  })

  it('validates limit, section and tag', async () => {
    const n = await newsroom()
    for (const [query, path] of [[{ limit: 0 }, 'limit'], [{ limit: 501 }, 'limit'], [{ limit: 'x' }, 'limit'], [{ section: 'nowhere' }, 'section'], [{ tag: 'nothing' }, 'tag'], [{ tag: 'Not A Slug' }, 'tag']] as const) {
      const res = await n.request.get('/v1/sync').query(query).expect(400)
      expect(res.body.errors, JSON.stringify(query)).toEqual([expect.objectContaining({ path })])
    }
    await n.request.get('/v1/sync').query({ limit: 500 }).expect(200)
    await n.request.get('/v1/sync').query({ limit: 1 }).expect(200)
  })
})

describe('GET /v1/sync: caching', () => {
  it('is no-store with an ETag, and never answered from the response cache', async () => {
    const n = await newsroom()
    const id = await publish(n)
    const first = await n.request.get('/v1/sync').expect(200)
    expect(first.headers['cache-control']).toBe('no-store')
    expect(first.headers.etag).toBeDefined()
    await n.request.get('/v1/sync').set('if-none-match', first.headers.etag!).expect(304)
    const again = await n.request.get('/v1/sync').expect(200)
    expect(again.headers['x-cache']).not.toBe('HIT')
    await n.request.patch(`/v1/articles/${id}`).set(n.auth).send({ headline: 'Changed' }).expect(200)
    const after = await n.request.get('/v1/sync').expect(200)
    expect(after.headers['x-cache']).not.toBe('HIT')
    expect(after.body.items[0].article.headline).toBe('Changed')
  })
})
