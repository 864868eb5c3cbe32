// Cursors are signed with a secret from configuration (CURSOR_SECRET) or, when it is unset, one made
// once and stored in the database: a cursor signed with any other key is a 400, and cursors keep
// working across a rebuild of the app (a restart, another node) on the same database.
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { articleListScope } from '../../src/articles/list-query.js'
import type { Store } from '../../src/db/store.js'
import { cursorCodec } from '../../src/http/cursor.js'
import { CURSOR_SECRET_SETTING } from '../../src/settings/repository.js'
import { insertArticle, insertSection, type Seed } from '../fixtures.js'
import { makeApp, reopenStore, type TestContext } from '../helpers.js'

const SECRET = 'a-configured-cursor-secret-of-32-chars-or-more'

function seed (db: Seed) {
  insertSection(db, { slug: 'news' })
  for (let n = 0; n < 5; n++) insertArticle(db, { slug: `story-${n}`, section: 'news', publishedAt: `2026-11-0${n + 1}T09:00:00.000Z` })
}

const storedSecret = async (store: Store) =>
  (await store.repos.sql.get<{ value: string }>('select value from settings where key = :key', { key: CURSOR_SECRET_SETTING }))?.value

async function firstCursor ({ request }: Pick<TestContext, 'request'>): Promise<string> {
  const res = await request.get('/v1/articles?limit=2').expect(200)
  expect(res.body.data.map((a: { slug: string }) => a.slug)).toEqual(['story-4', 'story-3'])
  return res.body.page.nextCursor as string
}

function secondPage ({ request }: Pick<TestContext, 'request'>, cursor: string) {
  return request.get(`/v1/articles?limit=2&cursor=${encodeURIComponent(cursor)}`)
}

describe('cursor secret', () => {
  it('rejects a cursor signed with another key (the old built-in one) as a 400 problem naming cursor', async () => {
    const ctx = await makeApp({ seed })
    const position = { p: Date.parse('2026-11-04T09:00:00.000Z'), i: 4 }
    const forged = cursorCodec('dateline-cursor-v1').encode(position, articleListScope('articles', {}, false))
    const res = await secondPage(ctx, forged).expect(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body.errors).toEqual([{ path: 'cursor', in: 'query', message: expect.stringContaining('not a cursor issued for this query') }])
    // the same position signed with the server's secret is a working cursor
    const genuine = cursorCodec(ctx.app.signingSecret).encode(position, articleListScope('articles', {}, false))
    expect((await secondPage(ctx, genuine).expect(200)).body.data.map((a: { slug: string }) => a.slug)).toEqual(['story-2', 'story-1'])
  })

  it('makes a random secret once, stores it, and accepts its cursors after the app is rebuilt on the same database', async () => {
    const ctx = await makeApp({ seed })
    const cursor = await firstCursor(ctx)
    expect(await storedSecret(ctx.store)).toBe(ctx.app.signingSecret)
    expect(ctx.app.signingSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const rebuilt = await buildApp({ store: await reopenStore(ctx), config: ctx.config, clock: ctx.clock })
    try {
      await rebuilt.ready()
      expect(rebuilt.signingSecret).toBe(ctx.app.signingSecret)
      const res = await rebuilt.inject({ method: 'GET', url: `/v1/articles?limit=2&cursor=${encodeURIComponent(cursor)}` })
      expect(res.statusCode).toBe(200)
      expect(res.json().data.map((a: { slug: string }) => a.slug)).toEqual(['story-2', 'story-1'])
    } finally {
      await rebuilt.close()
    }

    // another database makes its own secret: the cursor is not valid there
    const elsewhere = await makeApp({ seed })
    expect(elsewhere.app.signingSecret).not.toBe(ctx.app.signingSecret)
    await secondPage(elsewhere, cursor).expect(400)
  })

  it('uses CURSOR_SECRET when it is set: nothing is stored, and every database accepts the same cursors', async () => {
    const one = await makeApp({ seed, env: { CURSOR_SECRET: SECRET } })
    const two = await makeApp({ seed, env: { CURSOR_SECRET: SECRET } })
    expect(one.app.signingSecret).toBe(SECRET)
    expect(await storedSecret(one.store)).toBeUndefined()
    const cursor = await firstCursor(one)
    expect((await secondPage(two, cursor).expect(200)).body.data.map((a: { slug: string }) => a.slug)).toEqual(['story-2', 'story-1'])
    // a database that already has a stored secret: CURSOR_SECRET still wins
    const stored = await makeApp({ seed })
    const storedCursor = await firstCursor(stored)
    const configured = await buildApp({ store: await reopenStore(stored), config: { ...stored.config, cursorSecret: SECRET }, clock: stored.clock })
    try {
      expect(configured.signingSecret).toBe(SECRET)
      expect((await configured.inject({ method: 'GET', url: `/v1/articles?limit=2&cursor=${encodeURIComponent(cursor)}` })).statusCode).toBe(200)
      expect((await configured.inject({ method: 'GET', url: `/v1/articles?limit=2&cursor=${encodeURIComponent(storedCursor)}` })).statusCode).toBe(400)
    } finally {
      await configured.close()
    }
  })

  it('keeps the value stored first when two processes make one at the same time', async () => {
    const ctx = await makeApp()
    const other = (await reopenStore(ctx)).repos.settings
    // the other process stores its value between this one's read and its insert
    const value = await ctx.store.repos.settings.readOrCreate('race', async () => {
      expect(await other.readOrCreate('race', () => 'theirs')).toBe('theirs')
      return 'ours'
    })
    expect(value).toBe('theirs')
    expect(await other.readOrCreate('race', () => 'later')).toBe('theirs')
  })
})
