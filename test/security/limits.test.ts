// Server timeouts and header limits against a real listening server: slow clients are cut off,
// oversized headers get a 431 problem.
import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'

async function listening (env: Record<string, string>) {
  const ctx = await makeApp({ env })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const address = ctx.app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { ...ctx, port: address.port }
}

// openSocket connects; closed resolves when the server closes it, with what it wrote and how long it lived.
function openSocket (port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

function closed (socket: Socket): Promise<{ received: string, ms: number }> {
  const started = Date.now()
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString('latin1') })
  socket.on('error', () => {})
  return new Promise((resolve) => socket.once('close', () => resolve({ received, ms: Date.now() - started })))
}

describe('server timeouts', () => {
  it('disconnects a client that sends half its headers and stalls, within CONNECTION_TIMEOUT_MS', async () => {
    const { port } = await listening({ CONNECTION_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '0' })
    const socket = await openSocket(port)
    const done = closed(socket)
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ')
    const { ms } = await done
    expect(ms).toBeGreaterThanOrEqual(400)
    expect(ms).toBeLessThan(5000)
  })

  it('disconnects a slowloris client that trickles header bytes, within REQUEST_TIMEOUT_MS, with a 408 problem', async () => {
    const { port } = await listening({ CONNECTION_TIMEOUT_MS: '10000', REQUEST_TIMEOUT_MS: '800' })
    const socket = await openSocket(port)
    const done = closed(socket)
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n')
    // one header byte every 50 ms keeps the socket from ever being idle
    const trickle = setInterval(() => { if (socket.writable) socket.write('X') }, 50)
    const { received, ms } = await done.finally(() => clearInterval(trickle))
    expect(ms).toBeLessThan(5000)
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    expect(received).toContain('application/problem+json')
  })

  it('still serves a normal request on the same server', async () => {
    const { port } = await listening({ CONNECTION_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '800' })
    const res = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(res.status).toBe(200)
  })
})

describe('header size limit', () => {
  it('answers headers larger than MAX_HEADER_SIZE with a 431 problem', async () => {
    const { port } = await listening({ MAX_HEADER_SIZE: '4096' })
    const socket = await openSocket(port)
    const done = closed(socket)
    socket.write(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`)
    const { received } = await done
    expect(received).toMatch(/^HTTP\/1\.1 431 /)
    const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))
    expect(body).toMatchObject({ type: '/problems/headers-too-large', status: 431, title: 'Request Header Fields Too Large' })
  })

  it('accepts headers just under MAX_HEADER_SIZE', async () => {
    const { port } = await listening({ MAX_HEADER_SIZE: '4096' })
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { 'x-big': 'a'.repeat(3000) } })
    expect(res.status).toBe(200)
  })

  it('answers a request body over BODY_LIMIT with a 413 problem, not a crash', async () => {
    const { port } = await listening({ BODY_LIMIT: '2048' })
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(5000) }),
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })
})
