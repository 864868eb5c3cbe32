// Documents the cross-cutting HTTP behaviour in the OpenAPI document: the caching and tracing
// headers on every GET 200, the 304 answer to a matching validator, X-Request-Id and the CORS
// headers (http/cors.ts) on every response.

interface HeaderObject { description: string, schema: { type: 'string' } }
interface Response { description?: string, headers?: Record<string, unknown> }
interface Doc {
  components?: { headers?: Record<string, unknown> }
  paths?: Record<string, Record<string, { operationId?: string, responses?: Record<string, Response> } | undefined> | undefined>
}

const headers: Record<string, HeaderObject> = {
  ETag: { description: 'Strong validator of the body; send it back as `If-None-Match` to get `304` while it is current.', schema: { type: 'string' } },
  CacheControl: { description: '`public, max-age=…, stale-while-revalidate=…` on public responses; `private, no-store` for preview; `no-store` with credentials.', schema: { type: 'string' } },
  SurrogateKey: { description: 'Space-separated keys of every record in the body (`article:<id>`, `section:<path>`, `tag:<slug>`, `author:<slug>`, `collection:<slug>`) and list keys (`articles:list`, ...), for CDN purges.', schema: { type: 'string' } },
  Vary: { description: '`accept-encoding` (and `Origin` when CORS is limited to listed origins).', schema: { type: 'string' } },
  XRequestId: { description: 'The request id: the client\'s `X-Request-Id` when it is 1–128 characters of `A-Z a-z 0-9 . _ : @ -`, else a new UUID. Also in every problem body.', schema: { type: 'string' } },
  RecordETag: { description: 'The state of the record this write left behind (strong). Send it back as `If-Match` to make a later change only if nobody changed the record in between.', schema: { type: 'string' } },
  // named as the header: the OWASP ruleset (define-cors-origin) looks for it in every `headers` map, components.headers included
  'Access-Control-Allow-Origin': { description: 'CORS (`CORS_ORIGINS`): `*` by default, so any web page may read the response; with a list of origins, the request\'s `Origin` when it is listed, and absent otherwise.', schema: { type: 'string' } },
  'Access-Control-Expose-Headers': { description: 'CORS: the response headers a browser script may read (`ETag`, `Link`, `Location`, `Retry-After`, `RateLimit`, `RateLimit-Policy`, `Server-Timing`, `Surrogate-Key`, `X-Request-Id`).', schema: { type: 'string' } },
  ServerTiming: { description: 'Time spent: `handler`, `db`, `render`, `total` in milliseconds, on rendered answers; absent on an answer from the in-process response cache (`X-Cache: HIT`).', schema: { type: 'string' } },
}

// operations that send the written record's ETag, and on which responses (a 412 sends the current one)
const RECORD_ETAG_RESPONSES: Record<string, string[]> = {
  createArticle: ['201'],
  updateArticle: ['200', '412'],
  publishArticle: ['200', '412'],
  unpublishArticle: ['200', '412'],
  deleteArticle: ['412'],
  putCollection: ['200', '201', '412'],
  createSection: ['201'],
  updateSection: ['200', '412'],
  deleteSection: ['412'],
  createAuthor: ['201'],
  updateAuthor: ['200', '412'],
  deleteAuthor: ['412'],
  createTag: ['201'],
  updateTag: ['200', '412'],
  deleteTag: ['412'],
}

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` })

const CORS_HEADERS = { 'Access-Control-Allow-Origin': ref('Access-Control-Allow-Origin'), 'Access-Control-Expose-Headers': ref('Access-Control-Expose-Headers') }

export function documentHttpHeaders (doc: Doc): Doc {
  doc.components = { ...doc.components, headers: { ...doc.components?.headers, ...headers } }
  for (const item of Object.values(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      const responses = operation?.responses
      if (!responses) continue
      for (const response of Object.values(responses)) {
        response.headers = { 'X-Request-Id': ref('XRequestId'), ...CORS_HEADERS, ...response.headers }
      }
      if (method !== 'get') {
        // management writes answer with the record's ETag (the If-Match value for the next write)
        for (const code of RECORD_ETAG_RESPONSES[operation.operationId ?? ''] ?? []) {
          const response = responses[code]
          if (response) response.headers = { ...response.headers, ETag: ref('RecordETag') }
        }
        continue
      }
      const ok = responses['200']
      if (!ok) continue
      ok.headers = { ...ok.headers, ETag: ref('ETag'), 'Cache-Control': ref('CacheControl'), 'Surrogate-Key': ref('SurrogateKey'), Vary: ref('Vary'), 'Server-Timing': ref('ServerTiming') }
      responses['304'] ??= { description: 'Not Modified: `If-None-Match` matches the current `ETag` (or `If-Modified-Since` is not older than `Last-Modified`). No body.', headers: { 'X-Request-Id': ref('XRequestId'), ...CORS_HEADERS, ETag: ref('ETag') } }
    }
  }
  return doc
}
