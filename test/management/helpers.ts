// Management test helpers: an app with one key per scope, and a small newsroom (sections, tags, authors).
import type { Db } from '../../src/db/connection.js'
import { createApiKey, type ScopeName } from '../../src/keys/repository.js'
import { makeApp } from '../helpers.js'

export async function makeNewsroom (overrides: Parameters<typeof makeApp>[0] = {}) {
  const ctx = await makeApp(overrides)
  const key = (name: string, scopes: ScopeName[]) => createApiKey(ctx.db, { name, scopes, now: ctx.clock() })
  const keys = {
    writer: key('writer', ['content:write']),
    previewer: key('previewer', ['content:preview']),
    admin: key('admin', ['admin']),
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

export const count = (db: Db, table: string) =>
  (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
