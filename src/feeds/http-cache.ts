// Sends a generated feed or sitemap with a strong ETag (hash of the body), public Cache-Control and
// a 304 for a matching If-None-Match. Isolated so it can give way to the shared caching plugin.
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

function matches (ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim()
    return tag === '*' || tag === etag || tag === `W/${etag}`
  })
}

export function sendCacheable (request: FastifyRequest, reply: FastifyReply, body: string, contentType: string, surrogateKeys: string[]) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
  const { cacheMaxAge, cacheStaleWhileRevalidate } = request.server.config
  reply
    .header('etag', etag)
    .header('cache-control', `public, max-age=${cacheMaxAge}, stale-while-revalidate=${cacheStaleWhileRevalidate}`)
    .header('surrogate-key', surrogateKeys.join(' '))
  if (request.server.config.webhooks.purge.kind === 'cloudflare') reply.header('cache-tag', surrogateKeys.join(','))
  // absolute links follow the Host header when PUBLIC_BASE_URL is unset
  if (request.server.config.publicBaseUrl === undefined) reply.header('vary', 'Host')
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send()
  return reply.type(`${contentType}; charset=utf-8`).send(body)
}
