// Server timeouts and header limits, so that a slow or hostile client cannot hold a connection
// forever; connection-level errors (431, 408, 400) are answered as RFC 9457 problems too.
import type { FastifyHttpOptions } from 'fastify'
import { STATUS_CODES, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Config } from '../config.js'

const CLIENT_ERRORS: Record<string, { status: number, kind: string, detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, kind: 'headers-too-large', detail: 'The request headers are larger than the server accepts.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, kind: 'request-timeout', detail: 'The request was not received in time.' },
}
const BAD_REQUEST = { status: 400, kind: 'bad-request', detail: 'The request is not valid HTTP.' }

// Called by Node for errors before a request object exists; there is no reply, only the socket.
export function answerClientError (error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, kind, detail } = CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST
  const title = STATUS_CODES[status] ?? 'Error'
  const body = JSON.stringify({ type: `/problems/${kind}`, title, status, detail, instance: '/' })
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n` +
      `Cache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  }
  socket.destroy()
}

export function serverLimits (config: Config): Partial<FastifyHttpOptions<Server>> {
  return {
    bodyLimit: config.bodyLimit,
    // socket idle time: a client that stops sending (half a request line, half the headers) is cut off
    connectionTimeout: config.connectionTimeout,
    // the whole request (headers and body) must arrive within this time, however slowly it trickles
    requestTimeout: config.requestTimeout,
    keepAliveTimeout: config.keepAliveTimeout,
    http: {
      maxHeaderSize: config.maxHeaderSize,
      ...(config.requestTimeout > 0
        ? {
            headersTimeout: config.requestTimeout,
            // Node checks request and header deadlines only on this interval (30 s by default)
            connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.requestTimeout / 4))),
          }
        : {}),
    },
    clientErrorHandler: answerClientError,
  }
}
