// One outgoing POST of a delivery (a webhook or a CDN purge request): the URL policy checked again
// on the resolved address (ssrf.ts), a timeout for the whole exchange, and at most RESPONSE_KEPT
// bytes of the response body kept for the delivery log (the rest is discarded unread).
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { checkedLookup, isForbiddenAddress, UnsafeUrlError, urlProblem, type UrlPolicy } from './ssrf.js'

export const RESPONSE_KEPT = 1024

export interface Outcome {
  statusCode: number | null
  durationMs: number
  // the first RESPONSE_KEPT bytes of the response body (marked when cut)
  body?: string
  error?: string
  // milliseconds the receiver asked to wait (Retry-After), when it did
  retryAfterMs?: number
}

export interface OutgoingRequest {
  url: string
  method?: 'POST'
  headers: Record<string, string>
  body: string
}

// Retry-After: delay-seconds or an HTTP date
export function retryAfterMs (value: string | undefined, now: number): number | undefined {
  if (!value) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

export function send (out: OutgoingRequest, policy: UrlPolicy, timeoutMs: number, now: () => number = Date.now): Promise<Outcome> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  return new Promise((resolve) => {
    const fail = (error: string) => resolve({ statusCode: null, durationMs: elapsed(), error })
    const problem = urlProblem(out.url, policy)
    if (problem) return fail(`refused: the URL ${problem}`)
    const url = new URL(out.url)
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (!policy.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) return fail(`refused: ${host} is an internal address`)
    const requester = url.protocol === 'https:' ? httpsRequest : httpRequest
    let settled = false
    const finish = (outcome: Outcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const req = requester(url, {
      method: out.method ?? 'POST',
      headers: { ...out.headers, 'content-length': String(Buffer.byteLength(out.body)) },
      lookup: checkedLookup(policy),
      // one connection per attempt: no pooled socket to an address checked long ago
      agent: false,
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let kept = 0
      let cut = false
      const done = () => {
        const retry = retryAfterMs(res.headers['retry-after'], now())
        finish({
          statusCode: res.statusCode ?? null,
          durationMs: elapsed(),
          body: Buffer.concat(chunks).toString('utf8') + (cut ? ' [truncated]' : ''),
          ...(retry !== undefined ? { retryAfterMs: retry } : {}),
        })
        res.destroy()
      }
      res.on('data', (chunk: Buffer) => {
        const room = RESPONSE_KEPT - kept
        chunks.push(chunk.subarray(0, room))
        kept += Math.min(chunk.length, room)
        if (chunk.length > room) {
          cut = true
          done()
        }
      })
      res.on('end', done)
      res.on('error', done)
    })
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs} ms`))
    }, timeoutMs)
    req.on('error', (error) => {
      const reason = error instanceof UnsafeUrlError ? `refused: ${error.message}` : error.message
      finish({ statusCode: null, durationMs: elapsed(), error: reason })
    })
    req.end(out.body)
  })
}
