// A real HTTP receiver on 127.0.0.1 (port 0) for webhook and purge tests: records every request
// and answers from a queue of scripted responses (200 when the queue is empty).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

export interface Received { method: string, url: string, headers: IncomingHttpHeaders, body: string }
export interface Scripted { status: number, headers?: Record<string, string>, body?: string, hang?: boolean }

export interface Receiver {
  url: string
  port: number
  received: Received[]
  respond: (...responses: Scripted[]) => void
  close: () => Promise<void>
}

const open: Server[] = []
afterEach(async () => {
  while (open.length > 0) {
    const server = open.pop()!
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

export async function startReceiver (): Promise<Receiver> {
  const received: Received[] = []
  const queue: Scripted[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const next = queue.shift() ?? { status: 200, body: 'ok' }
      if (next.hang) return
      res.writeHead(next.status, next.headers ?? {}).end(next.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push(server)
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    respond: (...responses) => { queue.push(...responses) },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
