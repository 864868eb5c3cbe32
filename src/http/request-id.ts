// X-Request-Id: a client's id is kept when it is short and plain, otherwise replaced by a UUID;
// either way it is echoed on every response and put into every problem body (problem.ts).
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'

const SAFE_ID = /^[A-Za-z0-9._:@-]{1,128}$/

// Used as Fastify's genReqId (with requestIdHeader: false, so the raw header is never trusted).
export function genRequestId (req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID()
}

async function requestIdPlugin (app: FastifyInstance) {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
}

export default fp(requestIdPlugin, { name: 'request-id' })
