// GET /v1/sync: a local copy of the published articles for apps and static-site builds (see
// service.ts for the tokens and what a delta holds). Answers are `Cache-Control: no-store`: a
// delta depends on the token and on every write since, so neither the response cache (it keeps
// `public` answers only) nor a CDN or browser may keep one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { problemResponse } from '../http/openapi.js'
import { jsonResponse } from '../http/responses.js'
import { SyncPage, SyncQuery } from './schemas.js'
import { syncPage } from './service.js'

const DAY = 86_400_000
// rows are pruned a day after the retention window ends: a row is logged with its write's clock
// reading, which may be a little older than a position taken while that write was committing
const PRUNE_MARGIN = DAY
const PRUNE_EVERY = 3_600_000

const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  let prunedAt = -Infinity

  app.get('/', {
    schema: {
      operationId: 'sync',
      tags: ['Sync'],
      summary: 'Sync published articles: initial pages, then what changed',
      description: 'Without `token`, starts an initial sync of the published articles (optionally of one `section`, ' +
        'with every section under it, and of one `tag`): follow `nextPageToken` as `token` until a page carries ' +
        '`nextSyncToken`, store that, and call with it later to get only what changed since, paged the same way. ' +
        'Items are full articles (as `GET /v1/articles/{slug}`) to store or replace by `id`, and tombstones to delete ' +
        'by `id` (unpublished, deleted, or moved or retagged out of the filter). Tokens are opaque and signed and carry ' +
        'the filters: an altered token, or a token with another `section` or `tag`, is a 400 problem naming the ' +
        'parameter; a token older than the retention window (SYNC_RETENTION_DAYS, default 30) is a 410 problem: start again without a token. ' +
        'Answers are `Cache-Control: no-store`.',
      querystring: SyncQuery,
      response: {
        200: jsonResponse('One page; exactly one of `nextPageToken` and `nextSyncToken` is non-null.', SyncPage),
        410: problemResponse('The token is older than the retention window: start again without a token.'),
      },
    },
  }, async function sync (request, reply) {
    const now = app.clock()
    const retentionDays = app.config.syncRetentionDays
    if (now - prunedAt > PRUNE_EVERY) {
      prunedAt = now
      await app.store.tx((repos) => repos.sync.prune(now - retentionDays * DAY - PRUNE_MARGIN))
    }
    reply.header('cache-control', 'no-store')
    return await syncPage({ repos: app.store.repos, cursors: app.cursors, now, retentionDays }, request.query)
  })
}

export default syncRoutes
