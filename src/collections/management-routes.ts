// Management endpoint for curated collections: PUT replaces a collection (name, description, items)
// in one transaction; every article id must exist (400 naming the item otherwise).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { iso } from '../articles/summaries.js'
import type { Repositories } from '../db/repositories.js'
import type { Store } from '../db/store.js'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { invalidField } from '../http/problem.js'
import { checkIfMatch, ifMatchHeaders, recordEtag, staleIfMatch } from '../http/if-match.js'
import { Slug } from '../tags/schemas.js'
import type { CollectionRow } from './repository.js'

const CollectionPut = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().optional(),
  items: z.array(z.strictObject({
    articleId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ format: 'int64' }).describe('An existing article (drafts may be listed; delivery leaves them out until live).'),
    expiresAt: z.iso.datetime().nullable().optional().describe('From this time on, delivery leaves the item out.'),
  })).max(200).describe('The items in order; replaces the whole list.'),
}).meta({
  id: 'CollectionPut',
  description: 'The complete collection. Unknown fields are refused with 400.',
  example: { name: 'Selected', description: "Editors' picks", items: [{ articleId: 42 }, { articleId: 7, expiresAt: '2026-11-25T00:00:00.000Z' }] },
})
type CollectionPut = z.infer<typeof CollectionPut>

const ManagedCollection = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  items: z.array(z.object({ position: z.number().int().meta({ format: 'int32' }), articleId: z.number().int().meta({ format: 'int64' }), expiresAt: z.iso.datetime().nullable() })),
  updatedAt: z.iso.datetime(),
}).meta({ id: 'ManagedCollection', description: 'A collection as saved.' })
type ManagedCollection = z.infer<typeof ManagedCollection>

// The collection row and its stored items (an article's deletion drops its items, and so changes it)
async function collectionEtag (repos: Repositories, row: CollectionRow): Promise<string> {
  return recordEtag('collection', [row, await repos.collections.items(row.id)])
}

export function putCollection (store: Store, slug: string, input: CollectionPut, now: number, ifMatch?: string): Promise<{ created: boolean, collection: ManagedCollection, etag: string }> {
  return store.tx(async (repos) => {
    const existing = await repos.collections.findForUpdate(slug)
    checkIfMatch(ifMatch, existing && await collectionEtag(repos, existing), `The collection "${slug}"`)
    const description = input.description ?? null
    const found = await repos.collections.existingArticleIds(input.items.map((item) => item.articleId))
    const seen = new Set<number>()
    const items = input.items.map(({ articleId, expiresAt }, position) => {
      const field = `body.items.${position}.articleId`
      if (seen.has(articleId)) throw invalidField('body', field, `article ${articleId} is listed twice`)
      seen.add(articleId)
      if (!found.has(articleId)) throw invalidField('body', field, `no article with id ${articleId}`)
      return { articleId, expiresAt: expiresAt ? Date.parse(expiresAt) : null }
    })
    let id: number
    if (existing) {
      id = existing.id
      await repos.collections.update(id, { name: input.name, description, now })
    } else {
      id = await repos.collections.create({ slug, name: input.name, description, now })
    }
    await repos.collections.replaceItems(id, items)
    await repos.changes.record([`collection:${slug}`, 'fronts'])
    await repos.outbox.emit('collection.changed', { slug, surrogateKeys: [`collection:${slug}`, 'fronts'] }, now)
    const etag = await collectionEtag(repos, (await repos.collections.findForUpdate(slug))!)
    return {
      created: !existing,
      collection: {
        slug,
        name: input.name,
        description,
        items: items.map(({ articleId, expiresAt }, position) => ({ position, articleId, expiresAt: expiresAt === null ? null : iso(expiresAt) })),
        updatedAt: iso(now),
      },
      etag,
    }
  })
}

const managementCollectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('content:write'))
  const { security, response: authErrors } = secured('content:write')

  app.put('/:slug', {
    schema: {
      operationId: 'putCollection',
      tags: ['Collections'],
      summary: 'Create or replace a collection',
      description: 'Replaces the collection\'s name, description and items (created when new: 201). ' +
        'The response\'s `ETag` names the collection\'s current state; send it back as `If-Match` to replace the collection only if nobody changed it in between ' +
        `(412 otherwise, and also for any \`If-Match\` on a collection that does not exist yet). ${scopeNote('content:write')}`,
      security,
      params: z.object({ slug: Slug.describe('The collection slug, e.g. `selected`.') }),
      headers: ifMatchHeaders('collection'),
      body: CollectionPut,
      response: { 200: ManagedCollection, 201: ManagedCollection, ...authErrors, 412: staleIfMatch },
    },
  }, async (request, reply) => {
    const { created, collection, etag } = await putCollection(app.store, request.params.slug, request.body, app.clock(), request.headers['if-match'])
    markPrivate(reply).code(created ? 201 : 200).header('etag', etag)
    return collection
  })
}

export default managementCollectionRoutes
