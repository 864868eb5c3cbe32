// Statement timing for Server-Timing: wraps better-sqlite3's Statement methods once (the prototype
// is shared by every connection) so that each run reports its duration.
import type Database from 'better-sqlite3'
import { performance } from 'node:perf_hooks'

const timedPrototypes = new WeakSet<object>()
const observers: Array<(ms: number) => void> = []
let driverGet: ((this: Database.Statement) => unknown) | undefined

export function timeSqliteStatements (sqlite: Database.Database, observe: (ms: number) => void): void {
  if (!observers.includes(observe)) observers.push(observe)
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
        const elapsed = performance.now() - start
        for (const o of observers) o(elapsed)
      }
    }
  }
}

// The driver's own get() for a statement run so often that timing it costs more than it does
// (PRAGMA data_version, asked on every event-loop turn that serves a cache hit).
export function untimed (statement: Database.Statement): () => unknown {
  const get = driverGet ?? Object.getPrototypeOf(statement).get as (this: Database.Statement) => unknown
  return () => get.call(statement)
}
