// Follows other nodes' changes: one connection of its own runs LISTEN dateline_changes and hands
// every notification to the change feed (db/changes.ts). postgres.js's own sql.listen gives up when
// re-listening fails while the server is down, so the connection is supervised here: when it
// closes, `listening` is false at once (caches stop answering: changes are being missed) and it is
// re-established with growing delays (0.1 s up to 2 s); once LISTEN is back, the feed restarts
// from the newest change (read on the same connection, after LISTEN) and every cache drops
// everything. An attempt that gets no answer within `deadlineMs` (a connection the server or the
// network left silent after its start-up) counts as lost and is retried: the driver itself would
// wait on it forever.
import postgres from 'postgres'
import { CHANGES_CHANNEL, type ChangeFeed } from '../changes.js'

const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 2_000
// LISTEN and the newest change's seq, from connecting to the answer (connect_timeout is 5 s of it)
const DEADLINE_MS = 10_000

export class ChangeListener {
  listening = false
  #client: postgres.Sql | undefined
  #started: Promise<void> | undefined
  #stopped = false
  #retryMs = RETRY_MIN_MS
  // failed attempts since LISTEN last ran
  #retries = 0
  #timer: NodeJS.Timeout | undefined
  // bumped on every (re)connection, so a late answer from an earlier one is ignored
  #epoch = 0

  constructor (
    private readonly url: string,
    private readonly feed: ChangeFeed,
    // the newest change's seq, read on the given connection
    private readonly latest: (client: postgres.Sql) => Promise<number>,
    private readonly deadlineMs = DEADLINE_MS
  ) {}

  // Resolves when LISTEN first runs; rejects if it cannot (the caller decides whether to go on).
  start (): Promise<void> {
    this.#started ??= this.#connect(true)
    return this.#started
  }

  async #connect (first: boolean): Promise<void> {
    const epoch = ++this.#epoch
    // onnotify is a connection option postgres.js supports (its own listen uses it) but does not type
    const options: postgres.Options<Record<string, never>> & { onnotify: (channel: string, payload: string) => void } = {
      max: 1,
      idle_timeout: 0,
      max_lifetime: 0,
      connect_timeout: 5,
      fetch_types: false,
      onnotice: () => {},
      connection: { application_name: 'dateline-listen' },
      onnotify: (channel, payload) => {
        if (channel === CHANGES_CHANNEL && epoch === this.#epoch && this.listening) this.feed.notification(payload)
      },
      onclose: () => { if (epoch === this.#epoch) this.#lost(new Error('the connection closed')) },
    }
    const client = this.#client = postgres(this.url, options)
    let deadline: NodeJS.Timeout | undefined
    try {
      const seq = await Promise.race([
        (async () => {
          await client.unsafe(`listen ${CHANGES_CHANNEL}`)
          // everything committed up to `seq` is in what readers see from now on; later commits notify
          return await this.latest(client)
        })(),
        new Promise<never>((_resolve, reject) => {
          deadline = setTimeout(() => { reject(new Error(`no answer within ${this.deadlineMs} ms`)) }, this.deadlineMs)
          deadline.unref()
        }),
      ])
      if (epoch !== this.#epoch || this.#stopped) return
      this.feed.start(seq, first ? undefined : 'reconnected')
      this.listening = true
      if (!first) this.feed.report({ event: 'listening', retries: this.#retries })
      this.#retryMs = RETRY_MIN_MS
      this.#retries = 0
    } catch (error) {
      if (epoch === this.#epoch) this.#lost(error)
      if (first) throw error
    } finally {
      clearTimeout(deadline)
    }
  }

  #lost (error: unknown): void {
    const wasListening = this.listening
    this.listening = false
    if (wasListening) this.feed.report({ event: 'connection lost', error: error instanceof Error ? error.message : String(error) })
    // changes may be missed from now on: drop everything at once, not only at the reconnection
    if (wasListening && this.feed.watermark !== undefined) this.feed.start(this.feed.watermark, 'connection lost')
    this.#retries++
    const client = this.#client
    this.#client = undefined
    this.#epoch++
    client?.end({ timeout: 0 }).catch(() => {})
    if (this.#stopped || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (!this.#stopped) this.#connect(false).catch(() => {})
    }, this.#retryMs)
    this.#timer.unref()
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS)
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.listening = false
    if (this.#timer) clearTimeout(this.#timer)
    const client = this.#client
    this.#client = undefined
    this.#epoch++
    await client?.end({ timeout: 1 }).catch(() => {})
  }
}
