// `DATABASE_URL=... node src/server.ts`: the real server process on PostgreSQL migrates an empty
// database, loads the demo content and answers the demo's requests with the same bodies as the same
// server on SQLite (times, which follow each database's load moment, aside). SIGTERM ends it with 0.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { referenceStorySlug } from '../../src/demo/seed.js'
import { createTestDatabase, testPostgresUrl } from '../postgres.js'
import { postgresPortMissing } from './pending.js'
import { startServer, stopServer, type ServerProcess } from './process.js'

const serverUrl = await testPostgresUrl()

// representative requests of every delivery feature (not most-viewed: its hours follow the clock)
const REQUESTS = [
  '/readyz',
  `/v1/articles/${referenceStorySlug}`,
  '/v1/articles?limit=5',
  '/v1/articles?section=news&limit=3',
  '/v1/sections',
  '/v1/sections/news/world-news',
  '/v1/tags?limit=5',
  '/v1/authors?limit=5',
  '/v1/collections/selected',
  '/v1/fronts',
  '/v1/fronts/news',
  '/v1/search?q=ceasefire',
  '/v1/feeds/rss.xml',
  '/v1/feeds/sections/news/feed.json',
  '/v1/sitemaps/news.xml',
  '/v1/sitemaps/index.xml',
  '/v1/articles/no-such-story',
]

// A cursor's payload with its time left out ("p", the last item's publication time: the demo's
// times are whole minutes before the load, so two loads on either side of a minute differ)
const cursorWithoutTime = (payload: string) => {
  try {
    return JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as object, p: '<time>' })
  } catch {
    return payload
  }
}

// ISO and RFC 822 times, and the W3C times of sitemaps, depend on when each database was loaded;
// a search score is each engine's own rank (same order, different scale: README "PostgreSQL")
const withoutTimes = (text: string) => text
  .replace(/"nextCursor":"([\w-]+)\.[\w-]+"/g, (_match, payload: string) => `"nextCursor":${cursorWithoutTime(payload)}`)
  .replace(/"score":-?[\d.e+-]+/g, '"score":<score>')
  .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})/g, '<time>')
  .replace(/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/g, '<time>')
  .replace(/"requestId":"[^"]*"|urn:dateline:request:[\w-]+/g, '<request>')

const servers: ServerProcess[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const server of servers) await stopServer(server, 'SIGTERM')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(!serverUrl)('the server on PostgreSQL', { timeout: 240_000 }, () => {
  it('serves the demo content with the same answers as on SQLite, and stops on SIGTERM with 0', async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
    const url = await createTestDatabase(serverUrl!)
    const dir = mkdtempSync(join(tmpdir(), 'dateline-pg-e2e-'))
    dirs.push(dir)
    const env = { DEMO_CONTENT: 'true', CURSOR_SECRET: 'e2e-secret-shared-by-both-engines-0123456789', PUBLIC_BASE_URL: 'https://news.example.com' }
    const onPostgres = await startServer(join(dir, 'unused.db'), { ...env, DATABASE_URL: url })
    servers.push(onPostgres)
    const onSqlite = await startServer(join(dir, 'dateline.db'), env)
    servers.push(onSqlite)

    for (const path of REQUESTS) {
      const [pg, lite] = await Promise.all([fetch(`${onPostgres.baseUrl}${path}`), fetch(`${onSqlite.baseUrl}${path}`)])
      const [pgText, liteText] = await Promise.all([pg.text(), lite.text()])
      expect(pg.status, path).toBe(lite.status)
      expect(pg.headers.get('content-type'), path).toBe(lite.headers.get('content-type'))
      expect(withoutTimes(pgText), path).toBe(withoutTimes(liteText))
    }
    const article = await (await fetch(`${onPostgres.baseUrl}/v1/articles/${referenceStorySlug}`)).json() as { slug: string, byline: string }
    expect(article).toMatchObject({ slug: referenceStorySlug, byline: 'AFP' })

    expect(await stopServer(onPostgres, 'SIGTERM')).toEqual({ code: 0, signal: null })
    await onPostgres.waitForLog((line) => line.msg === 'closing')
  })
})
