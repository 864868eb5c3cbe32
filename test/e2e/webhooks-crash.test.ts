// At-least-once delivery across a crash, with the real server process: the server is SIGKILLed
// after the change committed, while its webhook attempt is in flight (the receiver holds the
// request); the restarted server delivers the same event (same webhook-id, a valid signature) once
// the dead attempt's lease runs out. SQLite only: the process harness serves a database file.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../helpers.js'
import { startReceiver } from '../webhooks/receiver.js'
import { runMigrations } from '../../src/db/migrate.js'
import { SqliteStore } from '../../src/db/sqlite/store.js'
import { prepareStore, startServer, stopServer, type ServerProcess } from './process.js'

const running: ServerProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await stopServer(server, 'SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_DISPATCH_INTERVAL_MS: '100' }

describe('webhook delivery across a crash', () => {
  it('delivers an event committed before a SIGKILL after the restart, with the same webhook-id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-e2e-'))
    dirs.push(dir)
    const databasePath = join(dir, 'dateline.db')
    const store = SqliteStore.open(databasePath)
    runMigrations(store.write)
    const token = await prepareStore(store)
    await store.close()
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const receiver = await startReceiver()
    receiver.respond({ status: 200, hang: true })

    const first = await startServer(databasePath, ENV)
    running.push(first)
    const hook = await fetch(`${first.baseUrl}/v1/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url: `${receiver.url}/hook`, events: ['article.published'] }) })
    expect(hook.status).toBe(201)
    const { secret } = await hook.json() as { secret: string }
    const created = await fetch(`${first.baseUrl}/v1/articles`, { method: 'POST', headers, body: JSON.stringify({ headline: 'Crash', section: 'news', body: [{ type: 'paragraph', text: 'x' }] }) })
    const { id } = await created.json() as { id: number }
    const published = await fetch(`${first.baseUrl}/v1/articles/${id}/publish`, { method: 'POST', headers, body: '{}' })
    expect(published.status).toBe(200)
    // the attempt reached the receiver, which holds it: kill the server now
    await eventually(async () => receiver.received.length === 1, 10_000, 'first attempt')
    const exit = await stopServer(first, 'SIGKILL')
    expect(exit.signal).toBe('SIGKILL')

    const second = await startServer(databasePath, ENV)
    running.push(second)
    await eventually(async () => receiver.received.length >= 2, 20_000, 'delivery after the restart')
    const [lost, delivered] = receiver.received
    expect(delivered!.headers['webhook-id']).toBe(lost!.headers['webhook-id'])
    const payload = new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)
    expect(payload).toMatchObject({ type: 'article.published', data: { id } })
  }, 60_000)
})
