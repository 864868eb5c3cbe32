// Statement timing for Server-Timing on PostgreSQL: postgres.js queries are lazy promises (a Query
// runs when first awaited, through its handle() method), so the Query prototype, shared by every
// client in the process, is wrapped once to report the time from a query's start to its result or
// error. That includes waiting for a free pooled connection: time the request spent on the database.
import type postgres from 'postgres'
import { performance } from 'node:perf_hooks'

interface QueryInternals {
  executed: boolean
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
  handle: () => Promise<void>
}

const timedPrototypes = new WeakSet<object>()
const observers: Array<(ms: number) => void> = []

export function timePostgresQueries (client: postgres.Sql, observe: (ms: number) => void): void {
  if (!observers.includes(observe)) observers.push(observe)
  // a query is only built here, never run: it runs when awaited
  const proto = Object.getPrototypeOf(client.unsafe('select 1')) as QueryInternals
  if (timedPrototypes.has(proto)) return
  timedPrototypes.add(proto)
  const handle = proto.handle
  proto.handle = function (this: QueryInternals) {
    if (!this.executed) {
      const start = performance.now()
      const { resolve, reject } = this
      const report = () => {
        const elapsed = performance.now() - start
        for (const o of observers) o(elapsed)
      }
      this.resolve = (value) => { report(); resolve(value) }
      this.reject = (error) => { report(); reject(error) }
    }
    return handle.call(this)
  }
}
