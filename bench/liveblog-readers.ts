// The stream readers of the live blog bench (bench/liveblog.ts), a process of their own (pinned
// to the load generator's core): opens N Server-Sent Events connections to one live blog and
// records, per reader, the wall-clock time (ms since the epoch, sub-millisecond) at which each
// `event: entry` arrived. Driven over IPC by the bench:
//   { open: { port, path, n, parallel } }  -> { opened, failed, statuses, retries (503s tried again), ms }
//   { expect: { entryId, timeoutMs } }     -> { entryId, arrivals: (number | null)[] } once every
//                                              open reader has it, or at the timeout
//   { close: true }                        -> closes every connection and exits
import { Agent, request, type ClientRequest } from 'node:http'

interface OpenMessage { port: number, path: string, n: number, parallel: number }

const now = () => performance.timeOrigin + performance.now()
const agent = new Agent({ keepAlive: false, maxSockets: Infinity })
const requests: ClientRequest[] = []
let readers = 0
let live = 0
// entry id -> arrival time per reader (NaN: not yet)
const arrivals = new Map<number, Float64Array>()
const counts = new Map<number, number>()
const waiting = new Map<number, () => void>()

function arrived (reader: number, entryId: number, at: number): void {
  let times = arrivals.get(entryId)
  if (!times) arrivals.set(entryId, times = new Float64Array(readers).fill(NaN))
  if (!Number.isNaN(times[reader]!)) return
  times[reader] = at
  const count = (counts.get(entryId) ?? 0) + 1
  counts.set(entryId, count)
  if (count >= live) waiting.get(entryId)?.()
}

// One reader: resolves with the HTTP status once the server says `: connected` (or with the error
// status); then records every entry event.
function openOne (reader: number, { port, path }: OpenMessage): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        resolve(res.statusCode ?? 0)
        return
      }
      res.setEncoding('utf8')
      let buffer = ''
      let connected = false
      res.on('data', (chunk: string) => {
        const at = now()
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (!connected && frame === ': connected') {
            connected = true
            live++
            resolve(200)
          } else if (frame.includes('\nevent: entry\n')) {
            const id = /\ndata: \{"id":(\d+)/.exec(frame)
            if (id) arrived(reader, Number(id[1]), at)
          }
        }
      })
      res.on('close', () => {
        if (connected) live--
        else resolve(0)
      })
    })
    req.on('error', () => resolve(0))
    requests.push(req)
    req.end()
  })
}

async function open (message: OpenMessage) {
  const started = performance.now()
  readers = message.n
  const statuses: Record<string, number> = {}
  let next = 0
  let retries = 0
  const worker = async () => {
    while (next < message.n) {
      const reader = next++
      let status = await openOne(reader, message)
      // a 503 is the server shedding the connection burst (event loop delay over
      // OVERLOAD_MAX_EVENT_LOOP_DELAY_MS, or LIVE_STREAM_LIMIT): a client tries again a second later
      for (let attempt = 0; status === 503 && attempt < 30; attempt++) {
        retries++
        await new Promise((resolve) => setTimeout(resolve, 1000))
        status = await openOne(reader, message)
      }
      statuses[status] = (statuses[status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: message.parallel }, worker))
  return { opened: live, failed: message.n - live, statuses, retries, ms: Math.round(performance.now() - started) }
}

async function expect ({ entryId, timeoutMs }: { entryId: number, timeoutMs: number }) {
  if ((counts.get(entryId) ?? 0) < live) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      waiting.set(entryId, () => { clearTimeout(timer); resolve() })
    })
    waiting.delete(entryId)
  }
  const times = arrivals.get(entryId) ?? new Float64Array(readers).fill(NaN)
  return { entryId, arrivals: Array.from(times, (t) => Number.isNaN(t) ? null : t) }
}

process.on('message', (message: { open?: OpenMessage, expect?: { entryId: number, timeoutMs: number }, close?: true }) => {
  if (message.open) open(message.open).then((result) => process.send!(result), (error: unknown) => { throw error })
  else if (message.expect) expect(message.expect).then((result) => process.send!(result), (error: unknown) => { throw error })
  else if (message.close) {
    for (const req of requests) req.destroy()
    process.disconnect()
    process.exit(0)
  }
})
process.send!({ ready: true })
