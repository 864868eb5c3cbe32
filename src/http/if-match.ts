// Optimistic concurrency for sections, tags, authors and collections: a strong ETag hashed from the
// stored record, and the If-Match check each write makes inside its own transaction.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { preconditionFailed, Problem } from '../http/problem.js'

// What a write returns: the management view and the ETag of the state it left behind.
export interface Saved<T> { record: T, etag: string }

// A hash of the stored state rather than updated_at alone, so two writes within one millisecond
// still give two ETags (unless the second stored exactly what the first did: the same state).
export function recordEtag (kind: string, state: unknown): string {
  return `"${kind}-${createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 22)}"`
}

// Absent: no check. `*`: any current record. Otherwise one listed ETag must equal the current one
// (strong comparison, so `W/"..."` never matches). No current record (`current` undefined) matches
// nothing, `*` included (RFC 9110 13.1.1).
export function ifMatchAllows (ifMatch: string | undefined, current: string | undefined): boolean {
  if (ifMatch === undefined) return true
  return current !== undefined && (ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => tag.trim() === current))
}

export function checkIfMatch (ifMatch: string | undefined, current: string | undefined, what: string) {
  if (ifMatchAllows(ifMatch, current)) return
  if (current === undefined) {
    throw preconditionFailed(`${what} does not exist yet, so \`If-Match\` cannot match; send the request without it to create it.`)
  }
  throw preconditionFailed(
    `${what} is not in the state that \`If-Match\` names: its current ETag is ${current} (also in this response's \`ETag\` header). Reapply the change to the current state and send that value as \`If-Match\`.`,
    current)
}

export const ifMatchHeaders = (kind: string) => z.object({
  'if-match': z.string().max(1000).optional()
    .describe(`The ETag the change is based on: the \`"${kind}-…"\` value in the \`ETag\` header of a create or update response, or of a 412. (The ETag of a public GET validates the delivered body and never matches here.) A stale value gets 412 and changes nothing. Absent: no check. \`*\`: any existing ${kind}.`),
})

export const staleIfMatch = {
  description: '`If-Match` does not name the current state of the record (or names `*` for one that does not exist yet): nothing was changed. When the record exists, its current `ETag` is sent back.',
  content: { 'application/problem+json': { schema: Problem } },
}
