// Helpers for the article-document tests: a newsroom with the response cache off and documents on,
// published stories, and whether an answer came from a stored document.
import { expect } from 'vitest'
import { makeNewsroom, seedTaxonomy, story, type Newsroom } from '../management/helpers.js'

const ENV = { RESPONSE_CACHE: 'false', ARTICLE_DOCUMENTS: 'true' }

export async function newsroom (env: Record<string, string> = {}, routes?: (app: Newsroom['app']) => void) {
  const t = await makeNewsroom({ env: { ...ENV, ...env }, routes })
  await seedTaxonomy(t)
  return t
}

export async function publishedStory (t: Newsroom, overrides: Record<string, unknown> = {}, at?: string) {
  const created = await t.request.post('/v1/articles').set(t.auth).send(story(overrides)).expect(201)
  await t.request.post(`/v1/articles/${created.body.id}/publish`).set(t.auth).send(at ? { at } : {}).expect(200)
  return { id: created.body.id as number, slug: created.body.slug as string }
}

export const fromDocument = (res: { headers: Record<string, unknown> }) => String(res.headers['server-timing']).startsWith('doc;desc=stored')
export const documentCount = (t: Newsroom) => (t.db.$client.prepare('select count(*) as n from article_documents').get() as { n: number }).n

// reads the article and checks the answer came from its stored document
export async function stored (t: Newsroom, slug: string) {
  await t.request.get(`/v1/articles/${slug}`).expect(200)
  const res = await t.request.get(`/v1/articles/${slug}`).expect(200)
  expect(fromDocument(res), 'served from the stored document').toBe(true)
  return res
}
