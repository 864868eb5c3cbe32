// npx tsx bench/webhooks.ts: the two webhook targets of issue 14, in process on a SQLite file.
// 1. the write path: N patches of a live article (one transaction each, as through the API) with 0
//    and then 10 webhook endpoints configured; the outbox adds one INSERT per change whatever the
//    number of endpoints (fan-out happens in the dispatcher, outside the write), target < +10%;
// 2. 1,000 queued events delivered to a local receiver (node:http) by runOnce(), target < 5 s.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { runMigrations } from '../src/db/migrate.js'
import { SqliteStore } from '../src/db/sqlite/store.js'
import { patchArticle, publishArticle, createArticle } from '../src/articles/service.js'
import { seedStore, insertSection } from '../test/fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-webhooks-'))
const path = join(dir, 'bench.db')
const store = SqliteStore.open(path)
runMigrations(store.write)
await seedStore(store, (s) => { insertSection(s, { slug: 'news', name: 'News' }) })
const received = { n: 0 }
const receiver = createServer((req, res) => { req.resume(); req.on('end', () => { received.n++; res.end('ok') }) })
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
const config = loadConfig({ DATABASE_PATH: path, DEMO_CONTENT: 'false', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_CONCURRENCY: '64', LOG_LEVEL: 'silent' })
const app = await buildApp({ store, config })
await app.ready()

const actor = () => ({ keyName: null, now: Date.now() })
const article = await createArticle(store, { headline: 'Bench', section: 'news', body: [{ type: 'paragraph', text: 'x' }], tags: [], authors: [], relatedIds: [] } as never, actor())
await publishArticle(store, article.id, undefined, actor())

const N = Number(process.env.BENCH_WRITES ?? 2000)
async function writes (label: string) {
  for (let i = 0; i < 200; i++) await patchArticle(store, article.id, { headline: `warm ${i}` } as never, actor())
  const started = performance.now()
  for (let i = 0; i < N; i++) await patchArticle(store, article.id, { headline: `${label} ${i}` } as never, actor())
  const ms = performance.now() - started
  console.log(`${label}: ${N} live-article patches in ${ms.toFixed(0)} ms (${(ms / N * 1000).toFixed(0)} us each)`)
  return ms
}
const base = await writes('0 endpoints')
// endpoints straight through the repository (the bench has no API key)
const box = app.webhookSecrets()!
for (let i = 0; i < 10; i++) await store.tx((repos) => repos.webhooks.createEndpoint({ url, events: ['article.updated'], description: null, secret: box.seal('whsec_' + Buffer.alloc(32, i).toString('base64')), now: Date.now() }))
const ten = await writes('10 endpoints')
console.log(`write path with 10 endpoints: ${((ten / base - 1) * 100).toFixed(1)}% (target < 10%)`)

// drain what the writes queued, then 1,000 fresh events to one endpoint
await store.tx(async (repos) => { await repos.sql.run('delete from webhook_deliveries'); await repos.sql.run('update webhook_events set fanned_out = 1'); await repos.sql.run('delete from webhook_endpoints where id > 1') })
await store.tx(async (repos) => { for (let i = 0; i < 1000; i++) await repos.outbox.emit('article.updated', { id: i, surrogateKeys: [`article:${i}`] }) })
received.n = 0
const started = performance.now()
const stats = await app.webhooks.runOnce()
const ms = performance.now() - started
console.log(`1,000 queued events: ${stats.attempted} attempts, ${received.n} received in ${ms.toFixed(0)} ms (target < 5000 ms)`)
await app.close()
await store.close()
receiver.close()
rmSync(dir, { recursive: true, force: true })
