// Server-Timing: time spent in the handler, in database calls a route wraps with timed(), in
// serialisation ("render"), and in total. timed() is cheap enough for every query.
import type { FastifyRequest } from 'fastify'
import { performance } from 'node:perf_hooks'

declare module 'fastify' {
  interface FastifyRequest {
    timing: { db: number, handlerStart: number, renderStart: number } | null
  }
}

function timingOf (request: FastifyRequest) {
  request.timing ??= { db: 0, handlerStart: 0, renderStart: 0 }
  return request.timing
}

// Runs fn and adds its duration to the request's `db` (or other) metric. Use around repository calls:
//   const article = timed(request, 'db', () => findArticleBySlug(app.db, slug, visibility))
export function timed<T> (request: FastifyRequest, _metric: 'db', fn: () => T): T {
  const start = performance.now()
  try {
    return fn()
  } finally {
    timingOf(request).db += performance.now() - start
  }
}

export function markHandlerStart (request: FastifyRequest): void {
  timingOf(request).handlerStart = performance.now()
}

export function markRenderStart (request: FastifyRequest): void {
  timingOf(request).renderStart = performance.now()
}

const ms = (value: number) => value.toFixed(2)

// The header value at onSend time; totalMs is reply.elapsedTime.
export function serverTimingHeader (request: FastifyRequest, totalMs: number): string {
  const t = request.timing
  const now = performance.now()
  const parts: string[] = []
  if (t) {
    if (t.handlerStart > 0) parts.push(`handler;dur=${ms((t.renderStart || now) - t.handlerStart)}`)
    if (t.db > 0) parts.push(`db;dur=${ms(t.db)}`)
    if (t.renderStart > 0) parts.push(`render;dur=${ms(now - t.renderStart)}`)
  }
  parts.push(`total;dur=${ms(totalMs)}`)
  return parts.join(', ')
}
