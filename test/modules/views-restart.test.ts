import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDb, openDb } from '../../src/db/connection.js'
import { runMigrations } from '../../src/db/migrate.js'
import { insertArticle, insertSection } from '../fixtures.js'

let dir: string | undefined
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })

describe('page views and a graceful restart of the real process', () => {
  it('writes every acknowledged view before exiting 0 on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dateline-views-'))
    const path = join(dir, 'views.db')
    const seedDb = openDb({ path })
    runMigrations(seedDb)
    insertSection(seedDb, { slug: 'news' })
    insertArticle(seedDb, { slug: 'story', section: 'news', publishedAt: '2020-01-01T00:00:00.000Z' })
    closeDb(seedDb)

    const server = spawn('node_modules/.bin/tsx', ['src/server.ts'], {
      env: { ...process.env, DATABASE_PATH: path, DEMO_CONTENT: 'false', PORT: '0', LOG_LEVEL: 'info', VIEWS_RATE_LIMIT: '10000', VIEWS_FLUSH_INTERVAL_MS: '60000', NODE_ENV: 'production' },
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

    const db = openDb({ path })
    expect(db.get<{ n: number }>(sql`select sum(views) as n from page_views`)?.n).toBe(N)
    closeDb(db)
  })
})
