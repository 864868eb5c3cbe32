// The OpenAPI document as test data: every operation with its parameters and response schemas, a
// small seeded newsroom (including a draft and a scheduled story that must never leak), and the
// checks every response must pass. Routes added later are covered without touching the tests.
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ValidateFunction } from 'ajv'
import { expect } from 'vitest'
import { generateOpenapi } from '../../src/cli/openapi.js'
import { loadConfig } from '../../src/config.js'
import { createApiKey, type ScopeName } from '../../src/keys/repository.js'
import { insertArticles, insertAuthor, insertSection, insertTag, type Seed } from '../fixtures.js'

import type { Store } from '../../src/db/store.js'
export interface Parameter { name: string, in: 'path' | 'query' | 'header' | 'cookie', required?: boolean, schema?: Record<string, unknown> }
export interface Operation {
  method: string
  path: string
  operationId: string
  parameters: Parameter[]
  hasBody: boolean
  bodySchema: object | undefined
  secured: boolean
  responses: Record<string, { content?: Record<string, { schema?: object }> }>
}

// A real API key, created through the keys repository in the test database (admin by default), on either engine.
let keyCount = 0
export function managementToken (store: Store, scopes: ScopeName[] = ['admin']): Promise<string> {
  return createApiKey(store, { name: `security-${scopes.join('-').replace(/:/g, '.')}-${++keyCount}`, scopes, now: NOW })
}

// Load shedding is tested in overload.test.ts; here a busy shared CI machine must not turn into 503s,
// nor the test process's own memory (thousands of requests, every app of the file, vitest itself:
// an injection run on PostgreSQL once met "short of memory" at the 1 GB heap default).
// As in production: webhook secrets need WEBHOOK_SECRET_KEY on PostgreSQL (without it, creating an
// endpoint is a 503 by design: test/webhooks covers that)
export const SECURITY_ENV = {
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  OVERLOAD_MAX_HEAP_USED_BYTES: '0',
  OVERLOAD_MAX_RSS_BYTES: '0',
  WEBHOOK_SECRET_KEY: 'security-suite-webhook-key-0123456789abcdef',
}

export const NOW = Date.parse('2026-11-24T12:00:00.000Z')
export const SECRET = { draftSlug: 'embargoed-budget-leak', draftHeadline: 'EMBARGOED draft headline', scheduledSlug: 'scheduled-election-result', scheduledHeadline: 'SCHEDULED future headline' }
// seedNewsroom inserts the two unpublished stories third and fourth
export const SECRET_IDS = [3, 4]

// A few sections, tags, authors and articles, written with the shared fixtures.
export function seedNewsroom (db: Seed) {
  const t = NOW - 86_400_000
  insertSection(db, { slug: 'news', name: 'News' })
  insertSection(db, { slug: 'world-news', name: 'World News', parent: 'news' })
  insertTag(db, { slug: 'elections', name: 'Elections' })
  insertAuthor(db, { slug: 'afp', name: 'AFP', kind: 'agency' })
  const stories = [
    { slug: 'talks-resume', headline: 'Talks resume in Geneva', status: 'published' as const, publishedAt: t },
    { slug: 'flood-warning', headline: 'Flood warning for the coast', status: 'published' as const, publishedAt: t + 3_600_000 },
    { slug: SECRET.draftSlug, headline: SECRET.draftHeadline, status: 'draft' as const, publishedAt: null },
    { slug: SECRET.scheduledSlug, headline: SECRET.scheduledHeadline, status: 'published' as const, publishedAt: NOW + 86_400_000 },
  ]
  const ids = insertArticles(db, stories.map((story) => ({
    ...story,
    section: 'news/world-news',
    body: [{ type: 'paragraph', text: `${story.headline}. Officials said more later.` }],
    byline: 'AFP',
    tags: ['elections'],
    authors: ['afp'],
    createdAt: t,
    updatedAt: t,
  })))
  if (ids[2] !== SECRET_IDS[0] || ids[3] !== SECRET_IDS[1]) throw new Error('seedNewsroom: unexpected id')
}

// The document exactly as `npm run openapi` writes it (a test file needs it before any app exists).
export async function loadOperations (): Promise<{ doc: any, operations: Operation[] }> {
  const doc = JSON.parse(await generateOpenapi(loadConfig({ DEMO_CONTENT: 'false' })))
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        hasBody: Boolean(op.requestBody),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        secured: (op.security ?? doc.security ?? []).length > 0,
        responses: op.responses ?? {},
      })
    }
  }
  return { doc, operations }
}

// The operation the router serves a concrete URL with (an empty path parameter can make
// `/v1/tags/{slug}` into `/v1/tags/`, which is the list), preferring static segments.
export function servedBy (operations: Operation[], method: string, url: string): Operation | undefined {
  const path = url.split('?')[0]!.replace(/(.)\/+$/, '$1')
  const candidates = operations.filter((op) => op.method === method)
    .map((op) => ({ op, params: (op.path.match(/\{/g) ?? []).length, re: new RegExp(`^${op.path.replace(/[.]/g, '\\.').replace(/\{\*\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
    .sort((a, b) => a.params - b.params)
  return candidates.find((c) => c.re.test(path))?.op
}

// Fills `/v1/articles/{slug}` from a map of parameter name to raw (already encoded) value.
export function fillPath (template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'x')
}

export function makeValidators (doc: any) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats.default(ajv)
  const cache = new Map<object, ValidateFunction>()
  const compile = (schema: object): ValidateFunction => {
    const cached = cache.get(schema)
    if (cached) return cached
    // components ride along at the root so `#/components/schemas/...` refs resolve
    const validate = ajv.compile({ ...schema, components: doc.components })
    cache.set(schema, validate)
    return validate
  }
  return { problem: compile(doc.components.schemas.Problem), compile }
}

// Internals a response must never carry: SQLite error text, stack frames, source paths.
const LEAKS = /SQLITE_|near "[^"]*": syntax error|syntax error|no such (table|column|function)|unrecognized token|fts5: |at \w[\w.]* \(|node_modules|\/src\/|\.ts:\d+|better-sqlite3/i

export interface Response { statusCode: number, headers: Record<string, unknown>, body: string }
// What was sent, so that the request's own strings echoed back (in a problem's `detail` or
// `instance`, or a written record) are not mistaken for leaks.
export interface Sent { url: string, body?: unknown }

function strings (root: unknown): string[] {
  const out: string[] = []
  const stack = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === 'string') out.push(value)
    else if (Array.isArray(value)) stack.push(...value)
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.push(k); stack.push(v) }
  }
  return out
}

const decode = (text: string) => {
  try { return decodeURIComponent(text) } catch { return text }
}

export function echoesOf (sent: Sent): string[] {
  const [path = '', query = ''] = sent.url.split(/\?(.*)/s)
  const parts = [path, ...path.split('/'), ...query.split('&').flatMap((pair) => pair.split('='))]
  let body: unknown = sent.body
  if (typeof body === 'string') {
    try { body = JSON.parse(body) } catch { /* sent as text */ }
  }
  const raw = [...parts, ...parts.map(decode), ...strings(body)]
  const all = [...raw, ...raw.map((text) => JSON.stringify(text).slice(1, -1))]
  // longest first, so a whole echoed path goes before its segments
  return [...new Set(all)].filter((text) => text.length >= 3).sort((a, b) => b.length - a.length)
}

export function withoutEchoes (text: string, sent: Sent | undefined): string {
  if (!sent) return text
  let rest = text
  for (const echo of echoesOf(sent)) rest = rest.split(echo).join('\u0000')
  return rest
}

// What every response to any input must satisfy.
export function checkResponse (op: Operation | undefined, res: Response, validators: ReturnType<typeof makeValidators>, what: string, sent?: Sent) {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500)
  expect(withoutEchoes(res.body, sent), what).not.toMatch(LEAKS)
  const type = String(res.headers['content-type'] ?? '')
  if (res.statusCode >= 400) {
    expect(type, what).toMatch(/^application\/problem\+json/)
    const body = JSON.parse(res.body)
    expect(validators.problem(body), `${what}: ${JSON.stringify(validators.problem.errors)}`).toBe(true)
    expect(body.status, what).toBe(res.statusCode)
  } else if (res.statusCode >= 200 && res.statusCode < 300 && op && type.startsWith('application/json')) {
    const schema = op.responses[String(res.statusCode)]?.content?.['application/json']?.schema
    expect(schema, `${what}: status ${res.statusCode} is not documented`).toBeDefined()
    const validate = validators.compile(schema!)
    expect(validate(JSON.parse(res.body)), `${what}: ${JSON.stringify(validate.errors)}`).toBe(true)
  }
}

// An answer to a request without a (valid) key. Anywhere: no unpublished headline or body text.
// In a 2xx: not the slug either (unless the request itself sent it) nor the id as a record id,
// and no Surrogate-Key naming the unpublished article.
export function neverLeaksUnpublished (res: Response, what: string, sent?: Sent) {
  const body = withoutEchoes(res.body, sent)
  for (const headline of [SECRET.draftHeadline, SECRET.scheduledHeadline]) expect(body, what).not.toContain(headline)
  if (res.statusCode < 200 || res.statusCode >= 300) return
  for (const slug of [SECRET.draftSlug, SECRET.scheduledSlug]) expect(body, what).not.toContain(slug)
  for (const id of SECRET_IDS) {
    expect(body, what).not.toMatch(new RegExp(`"(id|articleId)":\\s*${id}\\b|"relatedIds":\\[[^\\]]*\\b${id}\\b`))
    expect(String(res.headers['surrogate-key'] ?? ''), what).not.toMatch(new RegExp(`\\barticle:${id}\\b`))
  }
}
