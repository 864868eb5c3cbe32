// Server-Timing: time spent in the handler, in database statements, in serialisation ("render"),
// and in total. Every better-sqlite3 statement adds its duration to one process-wide counter; a
// request's `db` is what that counter gained between its handler's start and its render start.
// Handlers run their queries synchronously (better-sqlite3 has no awaits), so no other request's
// statements can run inside that window.
import type Database from 'better-sqlite3'
import type { FastifyRequest } from 'fastify'
import { performance } from 'node:perf_hooks'

declare module 'fastify' {
  interface FastifyRequest {
    timing: { db: number, dbAtStart: number, handlerStart: number, renderStart: number } | null
  }
}

let dbMs = 0
const timedPrototypes = new WeakSet<object>()
let driverGet: ((this: Database.Statement) => unknown) | undefined

// Wraps the statement methods of this driver once, for every connection.
export function timeDatabaseStatements (sqlite: Database.Database): void {
  const proto = Object.getPrototypeOf(sqlite.prepare('select 1')) as Record<string, unknown>
  if (timedPrototypes.has(proto)) return
  timedPrototypes.add(proto)
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown
    if (method === 'get') driverGet = original
    proto[method] = function (this: unknown, ...args: unknown[]) {
      const start = performance.now()
      try {
        return original.apply(this, args)
      } finally {
        dbMs += performance.now() - start
      }
    }
  }
}

// The driver's own get() for a statement run so often that timing it costs more than it does
// (the response cache's PRAGMA data_version, asked on every event-loop turn that serves a hit).
export function untimedGet<T> (statement: Database.Statement): () => T {
  const get = driverGet ?? statement.get
  return () => get.call(statement) as T
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
