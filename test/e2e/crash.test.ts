// Crash safety of the real server process: SIGKILL under load leaves an intact database that the
// server reopens; SIGTERM lets in-flight requests finish and exits 0.
import { request as httpRequest } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { driveWrites, integrityCheck, missingWrites, startServer, stopServer, type AcknowledgedWrite, type ServerProcess } from './process.js'

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
  it(`survives ${CYCLES} SIGKILLs under load: the database stays intact and every acknowledged write is kept`, async () => {
    const databasePath = tempDatabase()
    const acknowledged: AcknowledgedWrite[] = []
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const server = await start(databasePath)
      const ready = await fetch(`${server.baseUrl}/readyz`)
      expect(ready.status).toBe(200)
      const load = loadReadiness(server.baseUrl, 20)
      const writes = driveWrites(server.baseUrl, undefined)
      // kill once the server has demonstrably been answering under load
      await server.waitForLog((line) => line.msg === 'request completed' && (load.answered() >= 50))
        .catch(() => undefined)
      const { signal } = await stopServer(server, 'SIGKILL')
      expect(signal).toBe('SIGKILL')
      acknowledged.push(...await writes)
      expect(await load.stop()).toBeGreaterThan(0)
      expect(integrityCheck(databasePath)).toBe('ok')
      expect(missingWrites(databasePath, acknowledged)).toEqual([])
    }
    console.log(`crash cycles survived: ${CYCLES}, acknowledged writes verified: ${acknowledged.length}`)
    const last = await start(databasePath)
    expect((await fetch(`${last.baseUrl}/readyz`)).status).toBe(200)
    expect((await stopServer(last, 'SIGTERM')).code).toBe(0)
  }, 120_000)

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
