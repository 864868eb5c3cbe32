// Management endpoints for live blog entries (need a content:write key): create, change, delete.
// Every response carries the entry's ETag ("entry-<id>-<revision>"), the value `If-Match` takes.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ArticleIdParam } from '../articles/management-schemas.js'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { notFound, Problem } from '../http/problem.js'
import { EntryCreate, EntryIdParam, EntryManagement, EntryPatch, EntryRevisionList } from './schemas.js'
import { createEntry, deleteEntry, entryEtag, patchEntry, type EntryActor } from './service.js'

// `article` as in the delivery routes sharing these path templates (there the slug, here the id)
const Params = z.object({ article: ArticleIdParam.describe('The live blog\'s article id (a positive integer).') })
const EntryParams = Params.extend({ entry: EntryIdParam })
const IfMatch = z.object({
  'if-match': z.string().max(1000).optional()
    .describe('The entry\'s ETag the change is based on (`"entry-<id>-<revision>"`); a stale one gets 412 and changes nothing. `*` or absent: no check.'),
})
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const security = secured('content:write').security
const errors = {
  ...secured('content:write').response,
  409: problem('The article is not a live blog (`PATCH` it with `live: true` first).'),
}
const writeErrors = { ...errors, 412: problem('`If-Match` names an older revision of the entry: nothing was changed.') }
const WRITE = scopeNote('content:write')
const NOTE = 'The live blog\'s `updatedAt` (and so its ETag) moves, and the stream sends the change to every reader.'

function actor (request: FastifyRequest): EntryActor {
  const ifMatch = request.headers['if-match']
  return { keyName: request.apiKey?.name ?? null, now: request.server.clock(), ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined }
}

function withEtag (reply: FastifyReply, entry: EntryManagement) {
  markPrivate(reply).header('etag', entryEtag(entry.id, entry.revision))
  return entry
}

const managementLiveblogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('content:write'))

  app.post('/:article/entries', {
    schema: {
      operationId: 'createLiveEntry',
      tags: ['Live blogs'],
      summary: 'Post an entry to a live blog',
      description: `Adds an entry, timestamped now. Authors must exist (400 naming the field otherwise); a key event needs a headline. ${NOTE} ${WRITE}`,
      security,
      params: Params,
      body: EntryCreate,
      response: { 201: EntryManagement.describe('The new entry; `ETag` names its revision.'), ...errors },
    },
  }, async function createLiveEntry (request, reply) {
    const entry = await createEntry(app.store, request.params.article, request.body, actor(request))
    reply.code(201).header('location', `/v1/articles/${request.params.article}/entries/${entry.id}`)
    return withEtag(reply, entry)
  })

  app.patch('/:article/entries/:entry', {
    schema: {
      operationId: 'updateLiveEntry',
      tags: ['Live blogs'],
      summary: 'Change an entry',
      description: `Partial update: fields left out keep their value; \`updatedAt\` moves. ${NOTE} ${WRITE}`,
      security,
      params: EntryParams,
      headers: IfMatch,
      body: EntryPatch,
      response: { 200: EntryManagement, ...writeErrors },
    },
  }, async (request, reply) => withEtag(reply, await patchEntry(app.store, request.params.article, request.params.entry, request.body, actor(request))))

  app.delete('/:article/entries/:entry', {
    schema: {
      operationId: 'deleteLiveEntry',
      tags: ['Live blogs'],
      summary: 'Delete an entry',
      description: `Deletes the entry; streams send \`event: deleted\`. ${NOTE} ${WRITE}`,
      security,
      params: EntryParams,
      headers: IfMatch,
      response: { 204: z.null().describe('Deleted.'), ...writeErrors },
    },
  }, async (request, reply) => {
    await deleteEntry(app.store, request.params.article, request.params.entry, actor(request))
    return reply.code(204).send(null)
  })

  app.get('/:article/entries/:entry/revisions', {
    schema: {
      operationId: 'listLiveEntryRevisions',
      tags: ['Live blogs'],
      summary: "List an entry's revisions",
      description: `Every state of the entry saved through this API (its creation and each change), newest first, with the key that saved it. ${WRITE}`,
      security,
      params: EntryParams,
      response: { 200: EntryRevisionList, ...secured('content:write').response },
    },
  }, async (request, reply) => {
    const { liveblogs } = app.store.repos
    const row = await liveblogs.entryRow(request.params.article, request.params.entry)
    if (!row) throw notFound(`entry of article ${request.params.article}`, request.params.entry)
    markPrivate(reply).header('etag', entryEtag(row.id, row.revision))
    return { data: await liveblogs.revisions(row.id) }
  })
}

export default managementLiveblogRoutes
