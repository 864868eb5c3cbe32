// postgres.js 3.4.10 under steady load, with the fix in patches/postgres+3.4.10.patch (applied by
// npm's postinstall). Unpatched, the pool's queue of busy connections gained a slot for every query
// pipelined while other connections were busy, and every query then scanned all of them
// (Array.prototype.indexOf): 87,000 slots after 30 s of a node under 50 connections, and a bare
// pool of 4 fell from 24,000 to 7,000 queries a second within 35 s.
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { testPostgresUrl } from '../postgres.js'

const serverUrl = await testPostgresUrl()

describe.skipIf(!serverUrl)('the PostgreSQL driver', () => {
  it('keeps its queues short while every pooled connection stays busy', async () => {
    const sql = postgres(serverUrl!, { max: 4, onnotice: () => {} })
    // the longest stretch of an array that indexOf scanned while the queries ran
    const indexOf = Array.prototype.indexOf
    let longest = 0
    // eslint-disable-next-line no-extend-native -- counted for this test only, restored below
    Array.prototype.indexOf = function (this: unknown[], ...args: [unknown, number?]) {
      longest = Math.max(longest, this.length - (args[1] ?? 0))
      return indexOf.apply(this, args)
    }
    let answered = 0
    try {
      // 50 callers, 12,000 queries: the pool pipelines on connections that are still busy
      await Promise.all(Array.from({ length: 50 }, async () => {
        for (let i = 0; i < 240; i++) {
          const [row] = await sql<Array<{ n: number }>>`select ${i}::int as n`
          if (row!.n === i) answered++
        }
      }))
    } finally {
      // eslint-disable-next-line no-extend-native -- the original, back
      Array.prototype.indexOf = indexOf
      await sql.end({ timeout: 5 })
    }
    expect(answered).toBe(12_000)
    expect(longest).toBeGreaterThan(0)
    expect(longest).toBeLessThan(100)
  })
})
