// IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers-08) wherever a rate limit applies.
// @fastify/rate-limit registered with `rateLimitHeaderOptions` emits RateLimit-Limit/-Remaining/
// -Reset; this hook rewrites them as `RateLimit-Policy: "default";q=<limit>;w=<window s>` and
// `RateLimit: "default";r=<remaining>;t=<seconds to reset>`. The window comes from the route's
// `config.rateLimit.timeWindow` (milliseconds) or the plugin-level `timeWindow` given here.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const rateLimitHeaderOptions = {
  enableDraftSpec: true,
  addHeadersOnExceeding: { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true },
  addHeaders: { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true, 'retry-after': true },
} as const

function windowSeconds (timeWindow: unknown): number | undefined {
  return typeof timeWindow === 'number' && timeWindow > 0 ? Math.ceil(timeWindow / 1000) : undefined
}

async function rateLimitHeadersPlugin (app: FastifyInstance, opts: { timeWindow?: number }) {
  app.addHook('onSend', (request, reply, _payload, done) => {
    const limit = reply.getHeader('ratelimit-limit')
    if (limit === undefined) return done()
    const remaining = reply.getHeader('ratelimit-remaining')
    const reset = reply.getHeader('ratelimit-reset')
    const routeWindow = (request.routeOptions.config as { rateLimit?: { timeWindow?: unknown } } | undefined)?.rateLimit?.timeWindow
    const w = windowSeconds(routeWindow) ?? windowSeconds(opts.timeWindow)
    reply.header('ratelimit-policy', `"default";q=${String(limit)}${w ? `;w=${w}` : ''}`)
    reply.header('ratelimit', `"default";r=${String(remaining ?? 0)};t=${String(reset ?? 0)}`)
    reply.removeHeader('ratelimit-limit')
    reply.removeHeader('ratelimit-remaining')
    reply.removeHeader('ratelimit-reset')
    done()
  })
}

export default fp(rateLimitHeadersPlugin, { name: 'rate-limit-headers' })
