// Page views survive a graceful restart of the real server process, on the engine under test (the
// server gets the test store's DATABASE_PATH or DATABASE_URL).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { insertArticle, insertSection, seedStore } from '../fixtures.js'
import { makeStore } from '../helpers.js'

describe('page views and a graceful restart of the real process', () => {
  it('writes every acknowledged view before exiting 0 on SIGTERM', async () => {
    const { store, env } = await makeStore()
    await seedStore(store, (s) => {
      insertSection(s, { slug: 'news' })
      insertArticle(s, { slug: 'story', section: 'news', publishedAt: '2020-01-01T00:00:00.000Z' })
    })

    const server = spawn('node_modules/.bin/tsx', ['src/server.ts'], {
      env: { ...process.env, ...env, DEMO_CONTENT: 'false', PORT: '0', LOG_LEVEL: 'info', VIEWS_RATE_LIMIT: '10000', VIEWS_FLUSH_INTERVAL_MS: '60000', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    const address = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const match = /Server listening at (http:\/\/[^"\s]+)/.exec(output)
        if (match) resolve(match[1]!)
      })
      server.once('exit', (code) => reject(new Error(`server exited early with ${code}: ${output}`)))
    })

    const N = 37
    const statuses = await Promise.all(Array.from({ length: N }, () =>
      fetch(`${address}/v1/articles/story/views`, { method: 'POST', headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/128.0' } }).then((r) => r.status)))
    expect(statuses).toEqual(Array(N).fill(202))

    server.kill('SIGTERM')
    const [code] = await once(server, 'exit')
    expect(code).toBe(0)

    const row = await store.repos.sql.get<{ n: number }>('select cast(sum(views) as integer) as n from page_views')
    expect(row?.n).toBe(N)
  })
})
