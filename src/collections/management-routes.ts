// Management endpoint for curated collections: PUT replaces a collection (name, description, items)
// in one transaction; every article id must exist (400 naming the item otherwise).
import { asc, eq } from 'drizzle-orm'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { iso } from '../articles/summaries.js'
import type { Db } from '../db/connection.js'
import { articles, collectionItems, collections } from '../db/schema.js'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { invalidField } from '../http/problem.js'
import { checkIfMatch, ifMatchHeaders, recordEtag, staleIfMatch } from '../http/if-match.js'
import { Slug } from '../tags/schemas.js'

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

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

// The collection row and its stored items (an article's deletion drops its items, and so changes it)
function collectionEtag (tx: Tx, row: typeof collections.$inferSelect): string {
  const items = tx.select().from(collectionItems).where(eq(collectionItems.collectionId, row.id)).orderBy(asc(collectionItems.position)).all()
  return recordEtag('collection', [row, items])
}

export function putCollection (db: Db, slug: string, input: CollectionPut, now: number, ifMatch?: string): { created: boolean, collection: ManagedCollection, etag: string } {
  return db.transaction((tx) => {
    const existing = tx.select().from(collections).where(eq(collections.slug, slug)).get()
    checkIfMatch(ifMatch, existing && collectionEtag(tx, existing), `The collection "${slug}"`)
    const description = input.description ?? null
    const id = existing
      ? tx.update(collections).set({ name: input.name, description, updatedAt: now }).where(eq(collections.id, existing.id)).returning({ id: collections.id }).get().id
      : tx.insert(collections).values({ slug, name: input.name, description, createdAt: now, updatedAt: now }).returning({ id: collections.id }).get().id
    tx.delete(collectionItems).where(eq(collectionItems.collectionId, id)).run()
    const seen = new Set<number>()
    const items = input.items.map(({ articleId, expiresAt }, position) => {
      const field = `body.items.${position}.articleId`
      if (seen.has(articleId)) throw invalidField('body', field, `article ${articleId} is listed twice`)
      seen.add(articleId)
      if (!tx.select({ id: articles.id }).from(articles).where(eq(articles.id, articleId)).get()) {
        throw invalidField('body', field, `no article with id ${articleId}`)
      }
      const expires = expiresAt ? Date.parse(expiresAt) : null
      tx.insert(collectionItems).values({ collectionId: id, position, articleId, expiresAt: expires }).run()
      return { position, articleId, expiresAt: expires === null ? null : iso(expires) }
    })
    const etag = collectionEtag(tx, tx.select().from(collections).where(eq(collections.id, id)).get()!)
    return { created: !existing, collection: { slug, name: input.name, description, items, updatedAt: iso(now) }, etag }
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
    const { created, collection, etag } = putCollection(app.db, request.params.slug, request.body, app.clock(), request.headers['if-match'])
    app.contentChanged([`collection:${collection.slug}`, 'fronts'])
    markPrivate(reply).code(created ? 201 : 200).header('etag', etag)
    return collection
  })
}

export default managementCollectionRoutes
