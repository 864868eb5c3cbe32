// Opaque, tamper-evident pagination cursors: base64url(JSON payload) + "." + a truncated HMAC over
// the payload and the query it belongs to, so a garbage, forged or reused-elsewhere cursor is a 400.
// The HMAC key is the server's signing secret (CURSOR_SECRET, or one stored in the database: see
// settings/repository.ts), so a client cannot make a cursor of its own.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { invalidField } from './problem.js'

export interface Cursors {
  encode: (value: unknown, scope: string) => string
  // Returns the payload, or throws a 400 problem naming the `cursor` parameter.
  decode: (raw: string, scope: string) => unknown
}

// Integrity, not secrecy: the payload only holds positions a client could see anyway.
export function cursorCodec (secret: string): Cursors {
  const sign = (payload: string, scope: string): Buffer =>
    createHmac('sha256', secret).update(scope).update('\0').update(payload).digest().subarray(0, 12)
  return {
    encode (value, scope) {
      const payload = Buffer.from(JSON.stringify(value)).toString('base64url')
      return `${payload}.${sign(payload, scope).toString('base64url')}`
    },
    decode (raw, scope) {
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
    },
  }
}

// Replaces (or adds) the cursor in the request URL: the target of the `Link: <...>; rel="next"` header.
export function nextPageUrl (requestUrl: string, cursor: string): string {
  const [path, search = ''] = requestUrl.split('?')
  const params = new URLSearchParams(search)
  params.set('cursor', cursor)
  return `${path}?${params.toString()}`
}
