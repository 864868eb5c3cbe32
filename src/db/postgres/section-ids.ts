// Section path -> id, remembered per process for the list filters (`?section=`): on PostgreSQL the
// lookup is a round trip of its own before every section list (~130 µs of this process's CPU, and
// the server's), for a mapping that changes only when a section is written. Every section write
// records `section:<path>` keys or `sections:tree` (or everything) in the change feed, which every
// process hears: any of those forgets every path. While the feed may be missing changes (LISTEN
// lost) nothing is remembered or answered from memory. Transactions read the table directly.
import type { ChangeFeed } from '../changes.js'

const MAX_PATHS = 10_000

export class SectionIds {
  readonly #ids = new Map<string, number>()
  // changes heard so far: a lookup that overlapped one may have read the state before it
  #changes = 0

  constructor (feed: ChangeFeed, private readonly following: () => boolean) {
    feed.subscribe((keys) => {
      this.#changes++
      if (keys === null || keys.some((key) => key === 'sections:tree' || key.startsWith('section:'))) this.#ids.clear()
    })
  }

  async id (path: string, lookup: () => Promise<number | undefined>): Promise<number | undefined> {
    const trusted = this.following()
    if (trusted) {
      const known = this.#ids.get(path)
      if (known !== undefined) return known
    }
    const changes = this.#changes
    const id = await lookup()
    if (id !== undefined && trusted && this.following() && changes === this.#changes) {
      if (this.#ids.size >= MAX_PATHS) this.#ids.clear()
      this.#ids.set(path, id)
    }
    return id
  }
}
