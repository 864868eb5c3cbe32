// Crash safety of the real server process: SIGKILL under load leaves an intact database that the
// server reopens with every acknowledged write and an FTS index in step; SIGTERM lets in-flight
// requests finish, counts every accepted view and exits 0.
import { request as httpRequest } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { countedViews, driveWrites, ftsDisagreements, integrityCheck, missingWrites, prepareDatabase, startServer, stopServer, type AcknowledgedWrite, type ServerProcess } from './process.js'

const CYCLES = Number(process.env.CRASH_CYCLES ?? 3)
const running: ServerProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await stopServer(server, 'SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDatabase () {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-e2e-'))
  dirs.push(dir)
  return join(dir, 'dateline.db')
}

async function start (databasePath: string) {
  const server = await startServer(databasePath)
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
    const databasePath = tempDatabase()
    const token = await prepareDatabase(databasePath)
    const acknowledged: AcknowledgedWrite[] = []
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const server = await start(databasePath)
      const ready = await fetch(`${server.baseUrl}/readyz`)
      expect(ready.status).toBe(200)
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
      expect(integrityCheck(databasePath)).toBe('ok')
      expect(missingWrites(databasePath, acknowledged)).toEqual([])
      expect(ftsDisagreements(databasePath, acknowledged)).toEqual([])
    }
    const articles = acknowledged.filter((w) => w.kind === 'article').length
    const published = acknowledged.filter((w) => w.kind === 'publish').length
    console.log(`crash cycles survived: ${CYCLES}, acknowledged writes verified: ${articles + published} (${articles} articles created, ${published} published; ${acknowledged.length - articles - published} view beacons accepted, buffered in memory and not expected to survive SIGKILL)`)
    expect(articles).toBeGreaterThan(0)
    // the restarted server serves what was acknowledged
    const last = await start(databasePath)
    expect((await fetch(`${last.baseUrl}/readyz`)).status).toBe(200)
    const story = acknowledged.find((w) => w.kind === 'publish')!
    expect((await fetch(`${last.baseUrl}/v1/articles/${story.key}`)).status).toBe(200)
    const word = acknowledged.find((w) => w.kind === 'article' && w.key === story.key)!.word!
    const search = await (await fetch(`${last.baseUrl}/v1/search?q=${word}`)).json() as { data: Array<{ slug: string }> }
    expect(search.data.map((hit) => hit.slug)).toEqual([story.key])
    expect((await stopServer(last, 'SIGTERM')).code).toBe(0)
  }, 120_000)

  it('on SIGTERM under view beacons exits 0 and counts every view it accepted', async () => {
    const databasePath = tempDatabase()
    const token = await prepareDatabase(databasePath)
    const server = await start(databasePath)
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
    expect(await server.exited).toEqual({ code: 0, signal: null })
    const views = (await beacons).filter((w) => w.kind === 'view').length
    console.log(`SIGTERM: ${views} view beacons answered 202, ${countedViews(databasePath)} counted`)
    expect(views).toBeGreaterThanOrEqual(300)
    expect(countedViews(databasePath)).toBe(views)
    expect(integrityCheck(databasePath)).toBe('ok')
  }, 60_000)

  it('on SIGTERM finishes the in-flight request, then exits with code 0', async () => {
    const server = await start(tempDatabase())
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
    expect(status).toBe(404)
    expect(JSON.parse(body)).toMatchObject({ status: 404, instance: '/v1/in-flight-upload' })
    expect(await server.exited).toEqual({ code: 0, signal: null })
  }, 60_000)
})
