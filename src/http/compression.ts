// Response compression (@fastify/compress): brotli (quality 4) or gzip above a size threshold.
import compress from '@fastify/compress'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

async function compressionPlugin (app: FastifyInstance) {
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: app.config.compressionThreshold,
  })
}

export default fp(compressionPlugin, { name: 'compression' })
