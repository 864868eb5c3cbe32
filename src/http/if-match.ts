// Optimistic concurrency for sections, tags, authors and collections: a strong ETag hashed from the
// stored record, and the If-Match check each write makes inside its own transaction.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { HttpProblem, Problem } from '../http/problem.js'

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
export function checkIfMatch (ifMatch: string | undefined, current: string | undefined, what: string) {
  if (ifMatch === undefined) return
  if (current !== undefined && (ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => tag.trim() === current))) return
  if (current === undefined) {
    throw new HttpProblem(412, 'precondition-failed', `${what} does not exist yet, so \`If-Match\` cannot match; send the request without it to create it.`)
  }
  throw new HttpProblem(412, 'precondition-failed',
    `${what} has changed since that ETag: it is now ${current}. Fetch it again and reapply the change.`,
    { headers: { etag: current } })
}

export const ifMatchHeaders = (kind: string) => z.object({
  'if-match': z.string().max(1000).optional()
    .describe(`The ETag the change is based on (the \`"${kind}-…"\` value a management response sent); a stale one gets 412 and changes nothing. \`*\` or absent: no check.`),
})

export const staleIfMatch = {
  description: '`If-Match` names an older state of the record: nothing was changed. The current `ETag` is sent back.',
  content: { 'application/problem+json': { schema: Problem } },
}
