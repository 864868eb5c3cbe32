// Server-Timing: time spent in the handler, in database statements, in serialisation ("render"),
// and in total. Every statement the store times adds its duration to one process-wide counter; a
// request's `db` is what that counter gained between its handler's start and its render start.
// On SQLite statements run synchronously, so another request's statements enter that window only
// when both are between awaits at once; on PostgreSQL (db/postgres/timing.ts) queries of concurrent
// requests overlap, so under load a request's `db` can include time its neighbours spent.
import type { FastifyRequest } from 'fastify'
import { performance } from 'node:perf_hooks'

declare module 'fastify' {
  interface FastifyRequest {
    timing: { db: number, dbAtStart: number, handlerStart: number, renderStart: number } | null
  }
}

let dbMs = 0

// The store reports every statement's duration here (Store.timeStatements).
export function addDatabaseTime (ms: number): void {
  dbMs += ms
}

function timingOf (request: FastifyRequest) {
  request.timing ??= { db: 0, dbAtStart: 0, handlerStart: 0, renderStart: 0 }
  return request.timing
}

export function markHandlerStart (request: FastifyRequest): void {
  const t = timingOf(request)
  t.handlerStart = performance.now()
  t.dbAtStart = dbMs
}

export function markRenderStart (request: FastifyRequest): void {
  const t = timingOf(request)
  t.renderStart = performance.now()
  if (t.handlerStart > 0) t.db += dbMs - t.dbAtStart
}

const ms = (value: number) => value.toFixed(2)

// The header value at onSend time; totalMs is reply.elapsedTime.
export function serverTimingHeader (request: FastifyRequest, totalMs: number): string {
  const t = request.timing
  const now = performance.now()
  const parts: string[] = []
  if (t) {
    if (t.handlerStart > 0) parts.push(`handler;dur=${ms((t.renderStart || now) - t.handlerStart)}`)
    // string payloads (feeds, sitemaps) skip preSerialization: their db time runs to onSend
    if (t.handlerStart > 0) parts.push(`db;dur=${ms(t.renderStart > 0 ? t.db : dbMs - t.dbAtStart)}`)
    if (t.renderStart > 0) parts.push(`render;dur=${ms(now - t.renderStart)}`)
  }
  parts.push(`total;dur=${ms(totalMs)}`)
  return parts.join(', ')
}
