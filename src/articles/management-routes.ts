// Management endpoints for articles (need a content:write key): create, edit, publish, unpublish,
// delete and revision history. Every response carries the ETag of the article's current revision.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { markPrivate, requireScope, scopeNote, secured } from '../http/auth.js'
import { notFound, Problem } from '../http/problem.js'
import { articleEtag } from './management-repository.js'
import {
  ArticleCreate, ArticleIdParam, ArticleManagement, ArticlePatch, PublishOptions, Revision, RevisionList,
} from './management-schemas.js'
import { createArticle, deleteArticle, patchArticle, publishArticle, unpublishArticle, type Actor } from './service.js'

const IdParams = z.object({ id: ArticleIdParam })
// PATCH and DELETE share the `/v1/articles/{article}` template with the delivery GET (by slug)
const ArticleParams = z.object({ article: ArticleIdParam.describe('The article id (a positive integer).') })
const IfMatch = z.object({
  'if-match': z.string().max(1000).optional()
    .describe('The ETag the change is based on (`"<id>-<revision>"`); a stale one gets 412 and changes nothing. `*` or absent: no check.'),
})
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } })
const writeErrors = {
  ...secured('content:write').response,
  412: problem('`If-Match` names an older revision: nothing was changed.'),
}
const security = secured('content:write').security
const WRITE = scopeNote('content:write')

function actor (request: FastifyRequest, ifMatch?: string): Actor {
  return { keyName: request.apiKey?.name ?? null, now: request.server.clock(), ifMatch }
}

// Every write answers through here. Its transaction recorded the change (service.ts), so cached
// delivery responses showing the article, and every list, were dropped at its commit.
function withEtag (reply: FastifyReply, article: ArticleManagement) {
  markPrivate(reply).header('etag', articleEtag(article.id, article.revision))
  return article
}

const managementArticleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', requireScope('content:write'))

  app.post('/', {
    schema: {
      operationId: 'createArticle',
      tags: ['Articles'],
      summary: 'Create an article (as a draft)',
      description: `Creates a draft. Section, tags, authors and related ids must exist (400 naming the field otherwise); nothing is written unless all of it is. ${WRITE}`,
      security,
      body: ArticleCreate,
      response: { 201: ArticleManagement.describe('The new draft; `ETag` names its revision.'), ...secured('content:write').response, 409: problem('The slug is taken.') },
    },
  }, async function createArticleHandler (request, reply) {
    const article = await createArticle(app.store, request.body, actor(request))
    reply.code(201).header('location', `/v1/articles/${article.id}/revisions/${article.revision}`)
    return withEtag(reply, article)
  })

  app.patch('/:article', {
    schema: {
      operationId: 'updateArticle',
      tags: ['Articles'],
      summary: 'Edit an article',
      description: `Partial update: fields left out keep their value; a list replaces the whole list. Publication state and time are unchanged (use publish/unpublish); \`updatedAt\` moves. ${WRITE}`,
      security,
      params: ArticleParams,
      headers: IfMatch,
      body: ArticlePatch,
      response: { 200: ArticleManagement, ...writeErrors, 409: problem('The slug is taken.') },
    },
  }, async (request, reply) => withEtag(reply, await patchArticle(app.store, request.params.article, request.body, actor(request, request.headers['if-match']))))

  app.post('/:id/publish', {
    schema: {
      operationId: 'publishArticle',
      tags: ['Articles'],
      summary: 'Publish an article now or schedule it',
      description: 'Without `at`: live now (an article that was live before keeps its first `publishedAt`; an already live one is left as it is). ' +
        `With \`at\` in the future: \`scheduled\`, live from that second on. ${WRITE}`,
      security,
      params: IdParams,
      headers: IfMatch,
      body: PublishOptions.nullish().describe('Optional: `{ at }` to schedule; no body or `{}` publishes now.'),
      response: { 200: ArticleManagement, ...writeErrors, 409: problem('The article is live: unpublish it before scheduling it.') },
    },
  }, async (request, reply) =>
    withEtag(reply, await publishArticle(app.store, request.params.id, request.body?.at, actor(request, request.headers['if-match']))))

  app.post('/:id/unpublish', {
    schema: {
      operationId: 'unpublishArticle',
      tags: ['Articles'],
      summary: 'Unpublish an article',
      description: `Back to draft (a scheduled article is unscheduled); gone from every delivery endpoint at once. ${WRITE}`,
      security,
      params: IdParams,
      headers: IfMatch,
      response: { 200: ArticleManagement, ...writeErrors },
    },
  }, async (request, reply) => withEtag(reply, await unpublishArticle(app.store, request.params.id, actor(request, request.headers['if-match']))))

  app.delete('/:article', {
    schema: {
      operationId: 'deleteArticle',
      tags: ['Articles'],
      summary: 'Delete an article',
      description: `Deletes the article, its revisions and its places in collections. ${WRITE}`,
      security,
      params: ArticleParams,
      headers: IfMatch,
      response: { 204: z.null().describe('Deleted.'), ...writeErrors },
    },
  }, async (request, reply) => {
    await deleteArticle(app.store, request.params.article, actor(request, request.headers['if-match']))
    return reply.code(204).send(null)
  })

  app.get('/:id/revisions', {
    schema: {
      operationId: 'listArticleRevisions',
      tags: ['Articles'],
      summary: "List an article's revisions",
      description: `Every saved revision (create, edit, publish, unpublish), newest first, with the key that saved it. ${WRITE}`,
      security,
      params: IdParams,
      response: { 200: RevisionList, ...secured('content:write').response },
    },
  }, async (request, reply) => {
    const { articleManagement } = app.store.repos
    const row = await articleManagement.row(request.params.id)
    if (!row) throw notFound('article', request.params.id)
    markPrivate(reply).header('etag', articleEtag(row.id, row.revision))
    return { data: await articleManagement.revisions(row.id) }
  })

  app.get('/:id/revisions/:revision', {
    schema: {
      operationId: 'getArticleRevision',
      tags: ['Articles'],
      summary: 'Read one revision of an article',
      description: `The complete article as saved in that revision (the newest revision is the current state, drafts included). ${WRITE}`,
      security,
      params: IdParams.extend({ revision: ArticleIdParam.describe('The revision number.') }),
      response: { 200: Revision, ...secured('content:write').response },
    },
  }, async (request, reply) => {
    const { articleManagement } = app.store.repos
    const row = await articleManagement.row(request.params.id)
    if (!row) throw notFound('article', request.params.id)
    const revision = await articleManagement.revision(row.id, request.params.revision)
    if (!revision) throw notFound(`revision of article ${row.id}`, request.params.revision)
    markPrivate(reply).header('etag', articleEtag(row.id, row.revision))
    return revision
  })
}

export default managementArticleRoutes
