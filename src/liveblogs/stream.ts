// The live blog stream's fan-out: ONE hub per process. It follows the change feed (db/changes.ts):
// when a `liveblog:<id>` key arrives (this node's commit, another node's NOTIFY, or on SQLite a
// commit of another process found by store.catchUp) it reads, in ONE query, the blog's events after
// the last one it delivered (entry_events) and the entries they name, formats each event once, and
// writes the same bytes to every reader of that blog: never a query per reader. `null` from the feed
// (a gap or a reconnect) re-reads every blog with open streams from its last delivered event.
// A reader that reconnects with Last-Event-ID is replayed the events after that id from the table,
// then joins the live fan-out (events arriving meanwhile are held and written after the replay,
// without repeats). Heartbeats are comment lines on one timer for all readers.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ServerResponse } from 'node:http'
import type { Store } from '../db/store.js'
import type { StoredEvent } from './repository.js'

// events read per query (a blog far behind is read in several)
const BATCH = 200
// a reader that has not taken this much of what was written to it is dropped (it reconnects)
const MAX_BUFFERED = 1024 * 1024

interface Frame { id: number, text: string }

interface Reader {
  res: ServerResponse
  // events arriving while the reader is being replayed to; null once live
  held: Frame[] | null
}

interface Blog {
  id: number
  readers: Set<Reader>
  // the last event delivered; undefined until read
  lastId: number | undefined
  running: Promise<void> | null
  again: boolean
}

export interface HubOptions {
  heartbeatMs: number
  // SQLite: how often store.catchUp() looks for other processes' commits while streams are open
  pollMs: number
  log: FastifyBaseLogger
}

export class LiveHub {
  readonly #blogs = new Map<number, Blog>()
  #open = 0
  #heartbeat: NodeJS.Timeout | undefined
  #poll: NodeJS.Timeout | undefined
  readonly #unsubscribe: () => void
  #closed = false
  // queries made by the fan-out (tests check it does not grow with readers)
  queries = 0

  constructor (private readonly store: Store, private readonly options: HubOptions) {
    this.#unsubscribe = store.feed.subscribe((keys) => {
      if (keys === null) {
        for (const blog of this.#blogs.values()) this.#pump(blog)
        return
      }
      for (const key of keys) {
        if (!key.startsWith('liveblog:')) continue
        const blog = this.#blogs.get(Number(key.slice(9)))
        if (blog) this.#pump(blog)
      }
    })
  }

  get open (): number { return this.#open }

  // Adds the response as a reader of the blog; with lastEventId, first replays what came after it.
  // The response's head has been written.
  async join (articleId: number, res: ServerResponse, lastEventId: number | undefined): Promise<void> {
    let blog = this.#blogs.get(articleId)
    if (!blog) {
      blog = { id: articleId, readers: new Set(), lastId: undefined, running: null, again: false }
      this.#blogs.set(articleId, blog)
    }
    const reader: Reader = { res, held: lastEventId === undefined ? null : [] }
    blog.readers.add(reader)
    this.#open++
    this.#timers()
    res.on('close', () => this.#leave(blog, reader))
    // the starting point is known before the reader counts as connected
    if (blog.lastId === undefined) await this.#pump(blog)
    if (lastEventId === undefined) return
    let last = lastEventId
    for (;;) {
      const events = await this.store.repos.liveblogs.eventsAfter(articleId, last, BATCH)
      if (events.length === 0) break
      const frames = await this.#frames(events)
      this.#write(reader, frames.map((f) => f.text).join(''))
      last = frames[frames.length - 1]!.id
      if (events.length < BATCH) break
    }
    const held = reader.held ?? []
    reader.held = null
    const rest = held.filter((f) => f.id > last).map((f) => f.text).join('')
    if (rest) this.#write(reader, rest)
  }

  // Ends every stream (app close: SIGTERM); new joins are refused by the route.
  close (): void {
    this.#closed = true
    this.#unsubscribe()
    clearInterval(this.#heartbeat)
    clearInterval(this.#poll)
    this.#heartbeat = this.#poll = undefined
    for (const blog of this.#blogs.values()) {
      for (const reader of blog.readers) reader.res.end()
    }
  }

  get closed (): boolean { return this.#closed }

  #leave (blog: Blog, reader: Reader): void {
    if (!blog.readers.delete(reader)) return
    this.#open--
    if (blog.readers.size === 0 && this.#blogs.get(blog.id) === blog && !blog.running) this.#blogs.delete(blog.id)
    if (this.#open === 0) {
      clearInterval(this.#heartbeat)
      clearInterval(this.#poll)
      this.#heartbeat = this.#poll = undefined
    }
  }

  #timers (): void {
    if (this.#heartbeat) return
    this.#heartbeat = setInterval(() => {
      for (const blog of this.#blogs.values()) {
        for (const reader of blog.readers) this.#write(reader, ': keep-alive\n\n')
      }
    }, this.options.heartbeatMs)
    this.#heartbeat.unref()
    if (this.store.engine === 'sqlite') {
      // one PRAGMA when nothing changed; delivers other processes' commits to the feed
      this.#poll = setInterval(() => { this.store.catchUp() }, this.options.pollMs)
      this.#poll.unref()
    }
  }

  #write (reader: Reader, text: string): void {
    const { res } = reader
    if (res.writableEnded || res.destroyed) return
    if (res.writableLength > MAX_BUFFERED) {
      res.destroy()
      return
    }
    res.write(text)
  }

  // One run at a time per blog; a key arriving meanwhile makes it read once more.
  #pump (blog: Blog): Promise<void> {
    if (blog.running) {
      blog.again = true
      return blog.running
    }
    blog.running = this.#run(blog).finally(() => {
      blog.running = null
      if (blog.readers.size === 0 && this.#blogs.get(blog.id) === blog) this.#blogs.delete(blog.id)
    })
    return blog.running
  }

  async #run (blog: Blog): Promise<void> {
    const { liveblogs } = this.store.repos
    do {
      blog.again = false
      try {
        if (blog.lastId === undefined) {
          this.queries++
          blog.lastId = await liveblogs.latestEventId(blog.id)
          continue
        }
        for (;;) {
          this.queries++
          const events = await liveblogs.eventsAfter(blog.id, blog.lastId, BATCH)
          if (events.length === 0) break
          const frames = await this.#frames(events)
          blog.lastId = frames[frames.length - 1]!.id
          const text = frames.map((f) => f.text).join('')
          for (const reader of blog.readers) {
            if (reader.held) reader.held.push(...frames)
            else this.#write(reader, text)
          }
          if (events.length < BATCH) break
        }
      } catch (error) {
        // the database away (shutdown, outage): the next key or reset reads again from lastId
        if (!this.#closed) this.options.log.error({ err: error, articleId: blog.id }, 'live blog stream: reading events failed')
        return
      }
    } while (blog.again && !this.#closed)
  }

  // `event: entry` with the entry as it is now, or `event: deleted` (also for an entry deleted since)
  async #frames (events: readonly StoredEvent[]): Promise<Frame[]> {
    const wanted = [...new Set(events.filter((e) => e.kind !== 'deleted').map((e) => e.entryId))]
    const entries = new Map((await this.store.repos.liveblogs.entriesByIds(wanted)).map((entry) => [entry.id, entry]))
    const json = new Map<number, string>()
    return events.map((event) => {
      const entry = event.kind === 'deleted' ? undefined : entries.get(event.entryId)
      if (!entry) return { id: event.id, text: `id: ${event.id}\nevent: deleted\ndata: {"id":${event.entryId}}\n\n` }
      let data = json.get(entry.id)
      if (data === undefined) json.set(entry.id, data = JSON.stringify(entry))
      return { id: event.id, text: `id: ${event.id}\nevent: entry\ndata: ${data}\n\n` }
    })
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    // the live blog streams' fan-out (one per process)
    liveHub: LiveHub
  }
}

// SQLite: how often the hub looks for other processes' commits while streams are open
const POLL_MS = 250

async function liveHubPlugin (app: FastifyInstance) {
  const hub = new LiveHub(app.store, { heartbeatMs: app.config.liveHeartbeatSeconds * 1000, pollMs: POLL_MS, log: app.log })
  app.decorate('liveHub', hub)
  // open streams would keep the server from closing (close-with-grace in server.ts): they end first
  app.addHook('preClose', async () => { hub.close() })
}

export default fp(liveHubPlugin, { name: 'live-hub' })
