// Prepared statements cached per connection: on the hot read paths, building SQL with drizzle and
// preparing it costs several times more than running the query.
import type Database from 'better-sqlite3'
import type { Db } from './connection.js'

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>()

export function statement (db: Db, source: string): Database.Statement {
  let cache = caches.get(db.$client)
  if (!cache) caches.set(db.$client, cache = new Map())
  let prepared = cache.get(source)
  if (!prepared) cache.set(source, prepared = db.$client.prepare(source))
  return prepared
}
