// Opaque, tamper-evident pagination cursors: base64url(JSON payload) + "." + a truncated HMAC over
// the payload and the query it belongs to, so a garbage, forged or reused-elsewhere cursor is a 400.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { invalidField } from './problem.js'

// Integrity, not secrecy: the payload only holds positions a client could see anyway.
const KEY = 'dateline-cursor-v1'

function sign (payload: string, scope: string): Buffer {
  return createHmac('sha256', KEY).update(scope).update('\0').update(payload).digest().subarray(0, 12)
}

export function encodeCursor (value: unknown, scope: string): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${payload}.${sign(payload, scope).toString('base64url')}`
}

// Returns the payload, or throws a 400 problem naming the `cursor` parameter.
export function decodeCursor (raw: string, scope: string): unknown {
  const [payload, mac, extra] = raw.split('.')
  const expected = payload ? sign(payload, scope) : undefined
  const given = mac ? Buffer.from(mac, 'base64url') : undefined
  if (extra !== undefined || !payload || !expected || !given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalidField('query', 'cursor', 'is not a cursor issued for this query (take nextCursor from the previous page)')
  }
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    throw invalidField('query', 'cursor', 'is malformed')
  }
}

// Replaces (or adds) the cursor in the request URL: the target of the `Link: <...>; rel="next"` header.
export function nextPageUrl (requestUrl: string, cursor: string): string {
  const [path, search = ''] = requestUrl.split('?')
  const params = new URLSearchParams(search)
  params.set('cursor', cursor)
  return `${path}?${params.toString()}`
}
