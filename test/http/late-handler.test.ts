// A request its handler does not answer within REQUEST_TIMEOUT_MS gets a 503 problem; what the
// handler does afterwards is discarded. Fastify logged that as errors with a status of 500 ("Reply
// was already sent", "Promise errored, but reply.sent = true was set"): seen after a search on a
// database that answered too late, and after PostgreSQL dropped the connection a request waited on.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'

interface LogLine { level: number, msg: string, err?: { message?: string } }

function capture (): { stream: Writable, lines: LogLine[] } {
  const lines: LogLine[] = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine)
      done()
    },
  })
  return { stream, lines }
}

describe('a handler that finishes after its 503', () => {
  it.each([
    ['returns a value', (release: () => void) => release()],
    ['fails', (_release: () => void, fail: (error: Error) => void) => fail(new Error('write CONNECTION_DESTROYED 127.0.0.1:5432'))],
  ])('%s: logged as discarded, never as a 500', async (_what, settle) => {
    const { stream, lines } = capture()
    let release!: () => void
    let fail!: (error: Error) => void
    let settled!: () => void
    const done = new Promise<void>((resolve) => { settled = resolve })
    const { request } = await makeApp({
      env: { REQUEST_TIMEOUT_MS: '300' },
      logger: { level: 'info', stream },
      routes: (app) => {
        app.get('/test/late', async () => {
          try {
            await new Promise<void>((resolve, reject) => { release = resolve; fail = reject })
            return { late: true }
          } finally {
            setImmediate(settled)
          }
        })
      },
    })
    const res = await request.get('/test/late').expect(503)
    expect(res.headers['content-type']).toContain('application/problem+json')
    settle(release, fail)
    await done
    // Fastify's own handling of the late result runs after the handler's promise settles
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines.filter((line) => line.level >= 50)).toEqual([])
    expect(lines.map((line) => line.msg)).toContainEqual(expect.stringMatching(/after its 503/))
  })
})
