// The change listener (src/db/postgres/listener.ts) on a real PostgreSQL server: LISTEN on a
// connection of its own, the newest change read on that same connection, and an attempt that gets no
// answer given up after the deadline and retried. A clean-clone CI run once had a node that never
// followed again after PostgreSQL restarted, while its pool answered: the attempt waited on a read
// that never settled, and nothing retried it.
import { describe, expect, it } from 'vitest'
import { ChangeFeed } from '../../src/db/changes.js'
import { runPostgresMigrations } from '../../src/db/postgres/migrate.js'
import { ChangeListener } from '../../src/db/postgres/listener.js'
import { PostgresStore, postgresRunner } from '../../src/db/postgres/store.js'
import { eventually } from '../helpers.js'
import { asAdmin, createTestDatabase, testPostgresUrl } from '../postgres.js'

const serverUrl = await testPostgresUrl()

const until = (done: () => boolean, ms: number, what: string) => eventually(async () => done(), ms, what)

describe.skipIf(!serverUrl)('the PostgreSQL change listener', () => {
  it('gives up an attempt that gets no answer within its deadline and follows on the next', async () => {
    const url = await createTestDatabase(serverUrl!)
    const store = PostgresStore.open({ url, max: 2 })
    await runPostgresMigrations(store.pg, url)
    const feed = new ChangeFeed()
    const events: string[] = []
    const unwatch = feed.watch((event) => { events.push(event.event) })
    // the first read of the newest change never settles (a connection left silent), later ones do
    let reads = 0
    const latest = async (client: Parameters<typeof postgresRunner>[0]) => {
      reads++
      if (reads === 1) return await new Promise<number>(() => {})
      const row = await postgresRunner(client).get<{ seq: number }>('select coalesce(max(seq), 0)::int as seq from changes')
      return row!.seq
    }
    const listener = new ChangeListener(url, feed, latest, 300)
    try {
      const started = Date.now()
      await expect(listener.start()).rejects.toThrow(/no answer within 300 ms/)
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(listener.listening).toBe(false)
      // retried by itself after 0.1 s: listening, on the newest change
      await until(() => listener.listening, 10_000, 'LISTEN back')
      expect(reads).toBe(2)
      expect(feed.watermark).toBe(0)
      // and notifications arrive: a change committed by another connection reaches the feed
      const seen: string[] = []
      const unsubscribe = feed.subscribe((keys) => { seen.push(...keys ?? ['(everything)']) })
      await store.tx(async (repos) => { await repos.changes.record(['article:1']) })
      await until(() => feed.watermark === 1, 10_000, 'the change notified')
      unsubscribe()
      expect(seen).toEqual(['article:1'])
    } finally {
      unwatch()
      await listener.stop()
      await store.close()
    }
  })

  it('follows again at once while every pooled connection is busy: it reads on its own connection', async () => {
    const url = await createTestDatabase(serverUrl!)
    const store = PostgresStore.open({ url, max: 2 })
    await runPostgresMigrations(store.pg, url)
    const database = new URL(url).pathname.slice(1)
    // both pooled connections run a 30 s statement; anything else sent to the pool waits behind them
    const slow = [1, 2].map(() => store.pg.$client`select pg_sleep(30)`.then(() => 'done', () => 'cancelled'))
    try {
      await store.follow()
      await until(() => store.following, 5_000, 'LISTEN')
      await asAdmin(url, (sql) => sql`select 1 from pg_stat_activity where datname = ${database} and query like 'select pg_sleep%' having count(*) = 2`)
        .then((rows) => { expect(rows).toHaveLength(1) })
      await asAdmin(serverUrl!, (sql) => sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database} and application_name = 'dateline-listen'`)
      await until(() => !store.following, 5_000, 'LISTEN lost')
      // back after the 0.1 s retry, not after the pool's 30 s statements
      const lost = Date.now()
      await until(() => store.following, 5_000, 'LISTEN back')
      expect(Date.now() - lost).toBeLessThan(5_000)
    } finally {
      await asAdmin(serverUrl!, (sql) => sql`select pg_cancel_backend(pid) from pg_stat_activity where datname = ${database} and query like 'select pg_sleep%'`)
      expect(await Promise.all(slow)).toEqual(['cancelled', 'cancelled'])
      await store.close()
    }
  })
})
