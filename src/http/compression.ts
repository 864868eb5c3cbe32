// Response compression (@fastify/compress): brotli (quality 4) or gzip above a size threshold.
import compress from '@fastify/compress'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { constants } from 'node:zlib'

// Quality 4 is fast; a 256 KB window (lgwin 18) covers our bodies and keeps the encoder's memory
// small (the default 4 MB window per response inflates RSS under load).
export const brotliParams = { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 18 }
// responses compressed per request use quality 3 (about 30% cheaper, a few % larger);
// the response cache compresses each entry once at brotliParams' quality 4
export const requestBrotliOptions = { params: { ...brotliParams, [constants.BROTLI_PARAM_QUALITY]: 3 } }

async function compressionPlugin (app: FastifyInstance) {
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: app.config.compressionThreshold,
    brotliOptions: requestBrotliOptions,
    // compress in the request's own turn up to 64 KB (the stream path costs a thread-pool round trip)
    syncThreshold: 64 * 1024,
  })
}

export default fp(compressionPlugin, { name: 'compression' })
