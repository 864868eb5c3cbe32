// The ceiling: a bare Fastify server answering GET /article with a fixed article JSON held in
// memory (the file named by CEILING_BODY), no hooks or plugins. What "as fast as Fastify" means here.
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'

const body = readFileSync(process.env.CEILING_BODY!, 'utf8')
const app = Fastify({ logger: false })
app.get('/article', (_request, reply) => { reply.type('application/json; charset=utf-8').send(body) })
app.get('/readyz', (_request, reply) => { reply.send({ status: 'ok' }) })
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
process.on('SIGTERM', () => { app.close().then(() => process.exit(0), () => process.exit(1)) })
