// The beacon's check, "is this slug a live story, and which", remembered per process. Beacons are
// the busiest path, and a database round trip each bounds them (on PostgreSQL ~170 µs of this
// process's CPU per beacon, beside the server's). A story that is live stays live until a write
// changes it (unpublish, reschedule, a new slug, delete), and every such write records its
// `article:<id>` key in the change feed (db/changes.ts), which every process hears: so a remembered
// id is dropped exactly when it may have become wrong, on whichever node the write happened, and
// the 404 for an unpublished story is as prompt as the response cache's. Only live stories are
// remembered, so a story published a moment ago (or by its schedule) is found on its first beacon.
// While the feed may be missing changes (PostgreSQL's LISTEN connection lost) nothing is
// remembered or answered from memory. What is not remembered is looked up together: the beacons
// that arrive in one turn of the event loop share one statement (a bench of beacons over 1,000,000
// stories finds few of them remembered; see "Page views" in README.md).
import type { Store } from '../db/store.js'

const ARTICLE_KEY = 'article:'
// slugs in one lookup statement at most (a slug is at most 200 characters)
const BATCH_LIMIT = 500

interface Waiter { resolve: (id: number | undefined) => void, reject: (error: unknown) => void }
interface Batch { waiters: Map<string, Waiter[]>, now: number }

export class LiveStories {
  readonly #ids = new Map<string, number>()
  readonly #slugs = new Map<number, string>()
  // changes heard so far: a lookup that overlapped one may have read the state before it
  #changes = 0
  readonly #unsubscribe: () => void
  // lookups asked since the last one was sent; sent by setImmediate, after this turn's requests
  #batch: Batch | undefined

  constructor (private readonly store: Store, private readonly maxEntries = 50_000) {
    this.#unsubscribe = store.feed.subscribe((keys) => { this.#changed(keys) })
  }

  async id (slug: string, now: number): Promise<number | undefined> {
    const { store } = this
    store.catchUp()
    const trusted = store.following
    if (trusted) {
      const known = this.#ids.get(slug)
      if (known !== undefined) return known
    }
    const changes = this.#changes
    const id = await this.#lookUp(slug, now)
    if (id !== undefined && trusted && store.following && changes === this.#changes) this.#remember(slug, id)
    return id
  }

  #lookUp (slug: string, now: number): Promise<number | undefined> {
    let batch = this.#batch
    if (batch === undefined || batch.waiters.size >= BATCH_LIMIT) {
      const next: Batch = batch = this.#batch = { waiters: new Map(), now }
      setImmediate(() => { this.#send(next).catch(() => {}) })
    }
    // the latest request's time for all: the same as if the earlier ones had arrived with it
    if (now > batch.now) batch.now = now
    const waiters = batch.waiters.get(slug) ?? []
    batch.waiters.set(slug, waiters)
    return new Promise((resolve, reject) => { waiters.push({ resolve, reject }) })
  }

  async #send (batch: Batch): Promise<void> {
    if (this.#batch === batch) this.#batch = undefined
    try {
      const ids = await this.store.repos.views.liveStoryIds([...batch.waiters.keys()], batch.now)
      for (const [slug, waiters] of batch.waiters) for (const w of waiters) w.resolve(ids.get(slug))
    } catch (error) {
      for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(error)
    }
  }

  close (): void {
    this.#unsubscribe()
    this.#clear()
  }

  #remember (slug: string, id: number): void {
    const previous = this.#slugs.get(id)
    if (previous !== undefined) this.#ids.delete(previous)
    if (this.#ids.size >= this.maxEntries) {
      // the oldest remembered first (Map keeps insertion order)
      const [oldSlug, oldId] = this.#ids.entries().next().value!
      this.#ids.delete(oldSlug)
      this.#slugs.delete(oldId)
    }
    this.#ids.set(slug, id)
    this.#slugs.set(id, slug)
  }

  #changed (keys: readonly string[] | null): void {
    this.#changes++
    if (keys === null) {
      this.#clear()
      return
    }
    for (const key of keys) {
      if (!key.startsWith(ARTICLE_KEY)) continue
      const id = Number(key.slice(ARTICLE_KEY.length))
      const slug = this.#slugs.get(id)
      if (slug === undefined) continue
      this.#slugs.delete(id)
      this.#ids.delete(slug)
    }
  }

  #clear (): void {
    this.#ids.clear()
    this.#slugs.clear()
  }
}
