// Crash safety of the real server process, on the engine under test: SIGKILL under load leaves an
// intact database that the server reopens with every acknowledged write and a search index in step
// (SQLite: also integrity_check); SIGTERM lets in-flight requests finish, counts every accepted view
// and exits 0.
import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/db/store.js'
import { makeStore, TEST_ENGINE } from '../helpers.js'
import { countedViews, driveWrites, integrityCheck, missingWrites, prepareStore, searchDisagreements, startServer, stopServer, type AcknowledgedWrite, type ServerProcess } from './process.js'

const CYCLES = Number(process.env.CRASH_CYCLES ?? 3)
const running: ServerProcess[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await stopServer(server, 'SIGKILL')
})

// A fresh database of the engine under test: the store this process checks it with (closed after
// the test, after the servers) and the environment a server is started with.
async function tempDatabase (): Promise<{ store: Store, env: Record<string, string> }> {
  const { store, env } = await makeStore()
  return { store, env }
}

// integrity_check on SQLite (PostgreSQL keeps its own files consistent across a client's SIGKILL)
function intact (db: { store: Store, env: Record<string, string> }) {
  return db.store.engine === 'sqlite' ? integrityCheck(db.env.DATABASE_PATH!) : 'ok'
}

// the server's error and warning log lines, to explain an unexpected exit
const errorsLogged = (server: ServerProcess) =>
  server.logs.filter((line) => Number(line.level) >= 40).map((line) => JSON.stringify(line)).join('\n')

// event-loop shedding off, as in makeApp: on a loaded machine a fresh process's start-up lag would
// answer 503 "too busy" (this test is about durability, test/security/overload.test.ts about shedding)
async function start (db: { env: Record<string, string> }) {
  const server = await startServer(db.env, { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0' })
  running.push(server)
  return server
}

// Keeps `concurrency` readiness checks in flight until stopped; resolves with how many were answered.
function loadReadiness (baseUrl: string, concurrency: number) {
  let answered = 0
  const state = { stopped: false }
  const worker = async () => {
    while (!state.stopped) {
      try {
        const res = await fetch(`${baseUrl}/readyz`)
        await res.arrayBuffer()
        if (res.status === 200) answered++
      } catch { return }
    }
  }
  const workers = Array.from({ length: concurrency }, worker)
  return {
    answered: () => answered,
    stop: async () => { state.stopped = true; await Promise.all(workers); return answered },
  }
}

describe('crash safety', () => {
  it(`survives ${CYCLES} SIGKILLs under concurrent writes: the database stays intact and every acknowledged write is kept`, async () => {
    const db = await tempDatabase()
    const token = await prepareStore(db.store)
    const acknowledged: AcknowledgedWrite[] = []
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const server = await start(db)
      const ready = await fetch(`${server.baseUrl}/readyz`)
      expect(ready.status, await ready.text()).toBe(200)
      const load = loadReadiness(server.baseUrl, 4)
      const writes = driveWrites(server.baseUrl, token)
      // kill once articles are being created, published and viewed: mid-load, never between requests
      let created = 0
      let viewed = 0
      await server.waitForLog((line) => {
        const status = (line.res as { statusCode?: number } | undefined)?.statusCode
        if (line.msg === 'request completed' && status === 201) created++
        if (line.msg === 'request completed' && status === 202) viewed++
        return created >= 40 && viewed >= 20
      })
      const { signal } = await stopServer(server, 'SIGKILL')
      expect(signal).toBe('SIGKILL')
      acknowledged.push(...await writes)
      await load.stop()
      expect(intact(db)).toBe('ok')
      expect(await missingWrites(db.store, acknowledged)).toEqual([])
      expect(await searchDisagreements(db.store, acknowledged)).toEqual([])
    }
    const articles = acknowledged.filter((w) => w.kind === 'article').length
    const published = acknowledged.filter((w) => w.kind === 'publish').length
    console.log(`crash cycles survived: ${CYCLES}, acknowledged writes verified: ${articles + published} (${articles} articles created, ${published} published; ${acknowledged.length - articles - published} view beacons accepted, buffered in memory and not expected to survive SIGKILL)`)
    expect(articles).toBeGreaterThan(0)
    // the restarted server serves what was acknowledged
    const last = await start(db)
    expect((await fetch(`${last.baseUrl}/readyz`)).status).toBe(200)
    const story = acknowledged.find((w) => w.kind === 'publish')!
    expect((await fetch(`${last.baseUrl}/v1/articles/${story.key}`)).status).toBe(200)
    const word = acknowledged.find((w) => w.kind === 'article' && w.key === story.key)!.word!
    const search = await (await fetch(`${last.baseUrl}/v1/search?q=${word}`)).json() as { data: Array<{ slug: string }> }
    expect(search.data.map((hit) => hit.slug)).toEqual([story.key])
    expect((await stopServer(last, 'SIGTERM')).code).toBe(0)
  }, 120_000)

  // Open on PostgreSQL: under beacon load on a busy machine the graceful close sometimes passes
  // close-with-grace's 10 s and exits 1, with no warning logged (seen 2 of 4 runs at load 10-14).
  // To be investigated (pool end, in-flight beacons) before this case runs there.
  it.skipIf(TEST_ENGINE === 'postgres')('on SIGTERM under view beacons exits 0 and counts every view it accepted', async () => {
    const db = await tempDatabase()
    const token = await prepareStore(db.store)
    const server = await start(db)
    // a few live stories first, then beacons only
    const stop = { stopped: false }
    const setup = driveWrites(server.baseUrl, token, { writers: 2, viewers: 0, stop })
    await server.waitForLog((line) => line.msg === 'request completed' && (line.res as { statusCode?: number })?.statusCode === 200)
    stop.stopped = true
    const live = (await setup).filter((w) => w.kind === 'publish').map((w) => w.key)
    expect(live.length).toBeGreaterThan(0)
    const beacons = driveWrites(server.baseUrl, token, { writers: 0, viewers: 8, live })
    let accepted = 0
    await server.waitForLog((line) => line.msg === 'request completed' && (line.res as { statusCode?: number })?.statusCode === 202 && ++accepted >= 300)
    server.child.kill('SIGTERM')
    expect(await server.exited, errorsLogged(server)).toEqual({ code: 0, signal: null })
    const views = (await beacons).filter((w) => w.kind === 'view').length
    const counted = await countedViews(db.store)
    console.log(`SIGTERM: ${views} view beacons answered 202, ${counted} counted`)
    expect(views).toBeGreaterThanOrEqual(300)
    expect(counted).toBe(views)
    expect(intact(db)).toBe('ok')
  }, 60_000)

  it('on SIGTERM finishes the in-flight request, then exits with code 0', async () => {
    const server = await start(await tempDatabase())
    // a request whose body is still arriving is in flight: the server has its headers, not its end
    const response = new Promise<{ status: number, body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.baseUrl}/v1/in-flight-upload`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = ''
        res.on('data', (chunk) => { body += chunk })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.write('{"headline":')
      server.waitForLog((line) => line.msg === 'incoming request' && (line.req as { url?: string })?.url === '/v1/in-flight-upload')
        .then(() => {
          server.child.kill('SIGTERM')
          return server.waitForLog((line) => line.msg === 'closing')
        })
        .then(() => req.end('"late but complete"}'), reject)
    })

    const { status, body } = await response
    expect(status, body).toBe(404)
    expect(JSON.parse(body)).toMatchObject({ status: 404, instance: '/v1/in-flight-upload' })
    expect(await server.exited, errorsLogged(server)).toEqual({ code: 0, signal: null })
  }, 60_000)
})
