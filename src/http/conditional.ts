// Validators: strong ETags over the serialised body, Last-Modified, and the If-None-Match /
// If-Modified-Since comparisons that turn a GET into a 304.
import type { FastifyReply } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import { hash } from 'node:crypto'

export function strongEtag (payload: string | Buffer): string {
  return `"${hash('sha1', payload, 'base64url')}"`
}

const opaque = (tag: string) => tag.startsWith('W/') ? tag.slice(2) : tag

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored.
export function etagMatches (ifNoneMatch: string, etag: string): boolean {
  const header = ifNoneMatch.trim()
  if (header === '*') return true
  const wanted = opaque(etag)
  for (const tag of header.split(',')) if (opaque(tag.trim()) === wanted) return true
  return false
}

// A route with a record modification time calls this; HTTP dates have whole seconds.
export function setLastModified (reply: FastifyReply, ms: number): FastifyReply {
  return reply.header('last-modified', new Date(Math.floor(ms / 1000) * 1000).toUTCString())
}

// True when the client's copy is current. If-None-Match wins over If-Modified-Since when both are sent.
export function notModified (headers: IncomingHttpHeaders, etag: string, lastModified: string | undefined): boolean {
  const inm = headers['if-none-match']
  if (inm !== undefined) return etagMatches(inm, etag)
  const ims = headers['if-modified-since']
  if (ims === undefined || lastModified === undefined) return false
  const since = Date.parse(ims)
  const modified = Date.parse(lastModified)
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since
}
