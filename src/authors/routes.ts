// Delivery routes for authors: the list (optionally of one kind) and one author by slug.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { PreviewQuery } from '../http/auth.js'
import { previewFor } from '../http/preview.js'
import { notFound } from '../http/problem.js'
import { jsonResponse } from '../http/responses.js'
import { Slug } from '../tags/schemas.js'
import { AUTHOR_LIST_CAP } from './repository.js'
import { Author, AuthorKind } from './schemas.js'

const AuthorList = z.object({
  data: z.array(Author).describe(`Authors ordered by name (at most ${AUTHOR_LIST_CAP}).`),
}).meta({ id: 'AuthorList' })

const authorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', {
    schema: {
      operationId: 'listAuthors',
      tags: ['Authors'],
      summary: 'List authors',
      description: `Every author ordered by name, optionally only those of one \`kind\` (wire agencies are \`agency\`). Not paged: at most ${AUTHOR_LIST_CAP} authors are returned.`,
      querystring: z.object({
        kind: AuthorKind.optional().describe('Only authors of this kind: `staff`, `contributor` or `agency`.'),
      }).extend(PreviewQuery.shape),
      response: { 200: jsonResponse('The authors, ordered by name.', AuthorList) },
    },
  }, async function listAuthors (request, reply) {
    previewFor(request, reply)
    return { data: await app.store.delivery.authors.list({ kind: request.query.kind }) }
  })

  app.get('/:slug', {
    schema: {
      operationId: 'getAuthor',
      tags: ['Authors'],
      summary: 'One author by slug',
      description: 'The author (or wire agency) with this slug; an unknown slug is a 404 problem.',
      params: z.object({ slug: Slug.describe('The author slug.').meta({ example: 'afp' }) }),
      querystring: PreviewQuery,
      response: { 200: jsonResponse('The author.', Author) },
    },
  }, async function getAuthor (request, reply) {
    previewFor(request, reply)
    const author = await app.store.delivery.authors.findBySlug(request.params.slug)
    if (!author) throw notFound('author', request.params.slug)
    return author
  })
}

export default authorRoutes
