// Management test helpers: an app with one key per scope, and a small newsroom (sections, tags, authors).
import type { Store } from '../../src/db/store.js'
import { createApiKey, type ScopeName } from '../../src/keys/repository.js'
import { makeApp } from '../helpers.js'

export async function makeNewsroom (overrides: Parameters<typeof makeApp>[0] = {}) {
  const ctx = await makeApp(overrides)
  const key = (name: string, scopes: ScopeName[]) => createApiKey(ctx.store, { name, scopes, now: ctx.clock() })
  const keys = {
    writer: await key('writer', ['content:write']),
    previewer: await key('previewer', ['content:preview']),
    admin: await key('admin', ['admin']),
  }
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` })
  const auth = bearer(keys.writer)
  return { ...ctx, keys, bearer, auth }
}

export type Newsroom = Awaited<ReturnType<typeof makeNewsroom>>

// News > World News, a topic tag and an agency author, through the API.
export async function seedTaxonomy ({ request, auth }: Newsroom) {
  await request.post('/v1/sections').set(auth).send({ slug: 'news', name: 'News' }).expect(201)
  await request.post('/v1/sections').set(auth).send({ slug: 'world-news', name: 'World News', parent: 'news' }).expect(201)
  await request.post('/v1/sections').set(auth).send({ slug: 'sport', name: 'Sport' }).expect(201)
  await request.post('/v1/tags').set(auth).send({ slug: 'climate', name: 'Climate', type: 'topic' }).expect(201)
  await request.post('/v1/tags').set(auth).send({ slug: 'paris', name: 'Paris', type: 'place' }).expect(201)
  await request.post('/v1/authors').set(auth).send({ slug: 'afp', name: 'AFP', kind: 'agency' }).expect(201)
}

export const story = (overrides: Record<string, unknown> = {}) => ({
  headline: 'Talks resume in Paris',
  standfirst: 'Negotiators meet again.',
  body: [
    { type: 'paragraph', text: 'The talks resumed on Monday morning.' },
    { type: 'heading', level: 2, text: 'What next' },
    { type: 'image', src: 'https://media.example.com/map.png', alt: 'Map', caption: 'The region' },
  ],
  byline: 'AFP',
  section: 'news/world-news',
  tags: ['climate', 'paris'],
  authors: ['afp'],
  ...overrides,
})

// Rows in a table, on either engine.
export const count = async ({ store }: { store: Store }, table: string) =>
  (await store.repos.sql.get<{ n: number }>(`select cast(count(*) as integer) as n from ${table}`))!.n

// Rows of a query, on either engine.
export const rows = async <T = Record<string, unknown>>({ store }: { store: Store }, text: string, params?: Record<string, unknown>) =>
  store.repos.sql.all<T>(text, params)
