// In-process cache of serialised public GET responses, served from an onRequest hook (a hit skips
// routing hooks, validation, the handler and serialisation). Bounded by bytes, least recently used
// first out. Invalidated exactly by surrogate keys: every write transaction records the keys it
// touched (repos.changes.record, surrogate-keys.ts lists them per kind of write) and the change
// feed (db/changes.ts) hands them to this cache on every process serving the database, the writing
// one right after its commit. While a PostgreSQL node does not follow the feed (LISTEN connection
// lost) it neither answers from the cache nor fills it. An entry never outlives the
// next scheduled publication or collection-item expiry; responses keyed most-viewed or fronts live
// MOST_VIEWED_CACHE_SECONDS.
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { OutgoingHttpHeaders } from 'node:http'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import { answer, cacheable, variantHead, type Encoding, type Representation, type Variant } from './answer.js'
import { brotliParams } from './compression.js'
import { hookList } from './route-hooks.js'

export interface Entry extends Representation {
  key: string
  // the route pattern, for metrics labels on the fast path
  route: string
  bytes: number
  keys: string[]
  expiresAt: number
  // kept before the next content event was known (just after a write): bounded by it on first use
  awaitingSchedule: boolean
  // position in recency order (higher is more recent)
  order: number
}

const STORED_HEADERS = ['content-type', 'etag', 'cache-control', 'surrogate-key', 'cache-tag', 'last-modified', 'link', 'vary']
const COMPRESSIBLE = /json|xml|text|javascript/
const MAX_KEY_LENGTH = 2048
const ENTRY_OVERHEAD = 512
const SHORT_LIVED_KEYS = new Set(['most-viewed', 'fronts'])

// A buffer that owns exactly its bytes. zlib's sync output is a slice of the stream's 16 KB output
// chunk and Buffer.from(string) under 4 KB a slice of an 8 KB shared pool: kept in the cache, each
// such slice pins its whole parent, so a 2 KB entry held 16 KB (external memory ~4x the budget).
export function ownBytes (buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) return buffer
  const copy = Buffer.allocUnsafeSlow(buffer.length)
  buffer.copy(copy)
  return copy
}

export interface ResponseCacheOptions {
  maxBytes: number
  compressionThreshold: number
  mostViewedTtlMs: number
  clock: () => number
  // the soonest instant after `now` at which live content changes by itself (scheduled publication)
  nextContentEvent: (now: number) => Promise<number>
  // delivers what other processes committed since the last call to the feed (SQLite)
  catchUp: () => void
  // false while changes from other nodes may be missed (PostgreSQL LISTEN connection lost)
  following: () => boolean
  // how long a read of the next content event may take before it is given up (and read again when
  // next needed); NEXT_EVENT_DEADLINE_MS unless set
  nextEventDeadlineMs?: number
}

// A read of the next content event that has not answered by then is given up. Without a deadline
// one that never settled (a pooled PostgreSQL connection stranded by a server restart: CI saw a
// node answer 200 MISS to 1,458 reads of one story after PostgreSQL came back) kept every entry
// waiting for the schedule, so nothing was served from the cache until the next write.
export const NEXT_EVENT_DEADLINE_MS = 5_000

export class ResponseCache {
  generation = 0
  bytes = 0
  private readonly entries = new Map<string, Entry>()
  private readonly index = new Map<string, Set<string>>()
  private nextEvent: number | undefined
  // the generation whose next content event is being read (-1: none), and that read
  private refreshing = -1
  private pending: Promise<void> | undefined
  private order = 0

  // the next content event is read at once, so that the first responses find it known
  constructor (private readonly options: ResponseCacheOptions) {
    this.refreshNextEvent()
  }

  get size () { return this.entries.size }

  get (key: string): Entry | undefined {
    this.options.catchUp()
    if (!this.options.following()) return undefined
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.awaitingSchedule) {
      // still unknown: a miss (the entry stays for when it is known)
      if (this.nextEvent === undefined) return undefined
      entry.expiresAt = Math.min(entry.expiresAt, this.nextEvent)
      entry.awaitingSchedule = false
    }
    if (this.options.clock() >= entry.expiresAt) {
      this.delete(entry)
      return undefined
    }
    // refresh recency (Map keeps insertion order: the first entry is the least recently used);
    // entries in the newer half are left in place, so a hot entry is not moved on every hit
    if (entry.order < this.order - this.entries.size / 2) {
      this.entries.delete(key)
      this.entries.set(key, entry)
      entry.order = this.order++
    }
    return entry
  }

  // The entry in the wanted coding, compressed once (brotli at quality 4) and kept.
  readonly variantOf = (entry: Entry, wanted: Encoding): Variant => {
    const encoding = entry.compressible ? wanted : 'identity'
    return entry.variants[encoding] ?? this.addVariant(entry, encoding, encoding === 'identity'
      ? entry.identity
      : encoding === 'br'
        ? brotliCompressSync(entry.identity, { params: { ...brotliParams, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.identity.length } })
        : gzipSync(entry.identity))
  }

  // Also used to keep the body @fastify/compress (or the article render) made for the response
  // that filled the entry.
  addVariant (entry: Entry, encoding: Encoding, body: Buffer): Variant {
    const variant = entry.variants[encoding] = { body: ownBytes(body), head: variantHead(entry.headers, encoding, body.length) }
    if (encoding !== 'identity' && this.entries.get(entry.key) === entry) {
      entry.bytes += body.length
      this.bytes += body.length
      this.evict()
    }
    return variant
  }

  store (request: FastifyRequest, reply: FastifyReply, payload: string | Buffer, keys: Iterable<string>): Entry | undefined {
    if (request.cacheGeneration !== this.generation) return undefined
    const etag = reply.getHeader('etag')
    if (typeof etag !== 'string') return undefined
    const headers: OutgoingHttpHeaders = {}
    for (const name of STORED_HEADERS) {
      const value = reply.getHeader(name)
      if (value !== undefined) headers[name] = value
    }
    const identity = ownBytes(typeof payload === 'string' ? Buffer.from(payload) : payload)
    return this.add(request.url, request.routeOptions.url ?? 'unmatched', etag, headers, identity, keys)
  }

  // Keeps an answer made outside Fastify (the article render, articles/fast-render.ts). Call it in
  // the same turn as the get() that missed: no write can have landed in between.
  adopt (key: string, route: string, headers: OutgoingHttpHeaders, identity: Buffer, keys: Iterable<string>): Entry | undefined {
    const etag = headers.etag
    return typeof etag === 'string' ? this.add(key, route, etag, headers, ownBytes(identity), keys) : undefined
  }

  private add (key: string, route: string, etag: string, headers: OutgoingHttpHeaders, identity: Buffer, keys: Iterable<string>): Entry | undefined {
    if (key.length > MAX_KEY_LENGTH || !this.options.following()) return undefined
    const now = this.options.clock()
    const keyList = [...keys]
    const nextEvent = this.nextContentEvent(now)
    // not known yet (just after a write, before the database answered): kept, bounded on first use
    let expiresAt = nextEvent ?? Infinity
    // view counts change without writes: responses showing them live a short time
    if (keyList.some((k) => SHORT_LIVED_KEYS.has(k))) expiresAt = Math.min(expiresAt, now + this.options.mostViewedTtlMs)
    const existing = this.entries.get(key)
    if (existing) this.delete(existing)
    const entry: Entry = {
      key,
      route,
      etag,
      headers,
      identity,
      variants: {},
      compressible: identity.length >= this.options.compressionThreshold && COMPRESSIBLE.test(String(headers['content-type'] ?? '')),
      bytes: identity.length + key.length + ENTRY_OVERHEAD,
      keys: keyList,
      expiresAt,
      awaitingSchedule: nextEvent === undefined,
      order: this.order++,
    }
    if (entry.bytes > this.options.maxBytes / 4) return undefined
    this.entries.set(key, entry)
    this.bytes += entry.bytes
    for (const k of entry.keys) {
      let set = this.index.get(k)
      if (!set) this.index.set(k, set = new Set())
      set.add(key)
    }
    this.evict()
    return entry
  }

  // Drops every entry carrying any of the keys; returns how many were dropped.
  invalidate (keys: readonly string[]): number {
    this.generation++
    this.refreshNextEvent()
    let dropped = 0
    for (const k of keys) {
      const set = this.index.get(k)
      if (!set) continue
      for (const cacheKey of [...set]) {
        const entry = this.entries.get(cacheKey)
        if (entry) { this.delete(entry); dropped++ }
      }
    }
    return dropped
  }

  clear (): void {
    this.generation++
    this.refreshNextEvent()
    this.entries.clear()
    this.index.clear()
    this.bytes = 0
  }

  private nextContentEvent (now: number): number | undefined {
    if (this.nextEvent === undefined && this.refreshing !== -1) return undefined
    if (this.nextEvent !== undefined && now < this.nextEvent) return this.nextEvent
    // first use, passed, or the last read failed: read it
    this.refreshNextEvent()
    return undefined
  }

  // Asks the database for the next content event after every write (a write may schedule one) and
  // once it has passed. The answer counts only if no write landed while it was being read; an entry
  // kept before it is known is served only once it is (on SQLite it is known within microtasks).
  private refreshNextEvent (): void {
    this.nextEvent = undefined
    if (this.refreshing === this.generation) return
    const generation = this.refreshing = this.generation
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error('no answer in time')) }, this.options.nextEventDeadlineMs ?? NEXT_EVENT_DEADLINE_MS)
      timer.unref()
    })
    this.pending = Promise.race([this.options.nextContentEvent(this.options.clock()), deadline]).then((at) => {
      if (this.generation === generation) this.nextEvent = at
    }, () => {}).finally(() => {
      clearTimeout(timer)
      if (this.refreshing === generation) this.refreshing = -1
    })
  }

  // Resolves when the read of the next content event under way (if any) has answered: the app is
  // ready only then, so that its first responses are kept and served (app.ready waits for it).
  async scheduleRead (): Promise<void> {
    await this.pending
  }

  private evict () {
    while (this.bytes > this.options.maxBytes) {
      const oldest = this.entries.values().next().value
      if (!oldest) break
      this.delete(oldest)
    }
  }

  private delete (entry: Entry) {
    this.entries.delete(entry.key)
    this.bytes -= entry.bytes
    for (const k of entry.keys) {
      const set = this.index.get(k)
      if (!set) continue
      set.delete(entry.key)
      if (set.size === 0) this.index.delete(k)
    }
  }
}

// Recorded by writes whose reach is wide and rare (a section moved or renamed, a tag or author
// edited, an import): every cached response goes.
export { EVERYTHING } from '../db/changes.js'

declare module 'fastify' {
  interface FastifyInstance {
    responseCache: ResponseCache | null
  }
  interface FastifyRequest {
    // the cache generation when the lookup missed; -1 when the request may not be cached
    cacheGeneration: number
    // the entry this response filled, if any
    cacheEntry: Entry | null
  }
}

async function responseCachePlugin (app: FastifyInstance) {
  const { config } = app
  app.decorateRequest('cacheGeneration', -1)
  app.decorateRequest('cacheEntry', null)
  if (!config.responseCache) {
    app.decorate('responseCache', null)
    return
  }
  const { store } = app
  // asked once per event-loop turn, not per hit (the pragma was ~10% of a hit's CPU): requests read
  // in the same turn see the database as of that turn's first check
  let checkedThisTurn = false
  const nextTurn = () => { checkedThisTurn = false }
  const cache = new ResponseCache({
    catchUp: () => {
      if (checkedThisTurn) return
      checkedThisTurn = true
      setImmediate(nextTurn)
      store.catchUp()
    },
    following: () => store.following,
    maxBytes: config.responseCacheMaxBytes,
    compressionThreshold: config.compressionThreshold,
    mostViewedTtlMs: config.mostViewedCacheSeconds * 1000,
    clock: app.clock,
    nextContentEvent: (now) => store.repos.schedule.nextChange(now),
  })
  app.decorate('responseCache', cache)
  const unsubscribe = store.feed.subscribe((keys) => {
    if (keys === null) cache.clear()
    else cache.invalidate(keys)
  })
  app.addHook('onClose', async () => { unsubscribe() })
  // ready once the next scheduled change is known (the app follows other processes' changes, app.ts)
  app.addHook('onReady', async () => { await cache.scheduleRead() })
  app.metrics.cacheEntries(() => ({ entries: cache.size, bytes: cache.bytes }))

  // Runs after @fastify/compress (registered earlier, so its onSend comes first on every route):
  // the compressed body of the response that filled an entry becomes that entry's variant.
  app.addHook('onRoute', (route) => {
    const keepCompressed: onSendHookHandler = (request, reply, payload, done) => {
      const entry = request.cacheEntry
      const encoding = reply.getHeader('content-encoding')
      if (entry && (encoding === 'br' || encoding === 'gzip') && Buffer.isBuffer(payload) && !entry.variants[encoding]) {
        cache.addVariant(entry, encoding, payload)
      }
      done()
    }
    route.onSend = [...hookList(route.onSend), keepCompressed]
  })

  // Requests that reach Fastify (app.inject, or when the fast path is not installed) are answered here.
  app.addHook('onRequest', (request, reply, done) => {
    if (!cacheable(request)) return done()
    const entry = cache.get(request.url)
    if (!entry) {
      request.cacheGeneration = cache.generation
      app.metrics.countCacheMiss()
      return done()
    }
    app.metrics.countCacheHit()
    // the request id and CORS headers that Fastify's earlier onRequest hooks set
    const head: string[] = []
    // (not Vary: the entry has the response's own, which includes what @fastify/cors added)
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined && name !== 'vary') head.push(name, String(value))
    head.push('x-cache', 'HIT')
    answer(request.raw, reply.hijack().raw, entry, cache.variantOf, head)
    done()
  })
}

export default fp(responseCachePlugin, { name: 'response-cache', dependencies: ['metrics'] })
