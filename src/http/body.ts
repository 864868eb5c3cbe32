// Request bodies are JSON only: application/json, and application/merge-patch+json for PATCH (RFC 7396
// is what PATCH does here); text/plain and every other type get a 415 problem instead of a string body.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

async function bodyPlugin (app: FastifyInstance) {
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
}

export default fp(bodyPlugin, { name: 'body' })
