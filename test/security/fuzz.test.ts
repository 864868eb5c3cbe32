// Property-based fuzzing of every operation in the OpenAPI document: valid and hostile path, query,
// header and body values. Never a 5xx, every 4xx a well-formed problem, every 2xx body matching its
// documented schema, no draft or scheduled story leaked. Seeded; FUZZ_RUNS=2000 for a long run.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { makeApp, makeClock } from '../helpers.js'
import { checkResponse, fillPath, loadOperations, makeValidators, managementToken, neverLeaksUnpublished, NOW, SECRET, SECURITY_ENV, seedNewsroom, servedBy, type Operation, type Parameter } from './operations.js'
import { arbitraryFromSchema } from './schema-arbitrary.js'

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_124)
const RUNS = Number(process.env.FUZZ_RUNS ?? 100)
console.log(`fuzz: seed ${SEED} (FUZZ_SEED), ${RUNS} runs per property (FUZZ_RUNS)`)

const { doc, operations } = await loadOperations()
const validators = makeValidators(doc)
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()

const NASTY = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u202eevil', '\u200f\u200e', '\ufeff', '\u2028', 'ﷺ', '😀', '𝕏',
  'e\u0301', '\u0130', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', '1e309', '-1e309', '-0', 'NaN', 'Infinity',
  '-1', '0', '1.5', '9007199254740993', '0x10', 'null', 'undefined', 'true', '[]', '{}', '..', '../../etc/passwd', '%',
  "' OR '1'='1", '"; DROP TABLE articles; --', '<script>alert(1)</script>', 'javascript:alert(1)', '$' + '{7*7}', '{{7*7}}',
]
// Already percent-encoded: invalid UTF-8, a lone surrogate in WTF-8, NUL, broken escapes.
const RAW_ENCODED = ['%ED%A0%80', '%C0%AF', '%00', '%', '%zz', '%2e%2e%2f', '%E2%80%AE', '%FF%FE', '%25', '%2F']

const seedValues = ['talks-resume', 'flood-warning', 'news', 'news/world-news', 'world-news', 'elections', 'afp', '1', '2', '3', SECRET.draftSlug, SECRET.scheduledSlug]

const encode = (value: string) => Array.from(value).map((ch) => {
  try { return encodeURIComponent(ch) } catch { return '%ED%A0%80' }
}).join('')

const anyString = fc.oneof(
  fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom(...NASTY),
  fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'a'.repeat(n)),
  fc.oneof(fc.integer(), fc.double()).map(String)
)

function validValue (param: Parameter): fc.Arbitrary<string> {
  const schema = param.schema ?? {}
  const options: Array<fc.Arbitrary<string>> = [fc.constantFrom(...seedValues)]
  if (Array.isArray(schema.enum)) options.push(fc.constantFrom(...(schema.enum as unknown[]).map(String)))
  if (schema.type === 'integer' || schema.type === 'number') {
    options.push(fc.integer({ min: Number(schema.minimum ?? -1000), max: Math.min(Number(schema.maximum ?? 1000), 1_000_000) }).map(String))
  }
  if (schema.format === 'date-time') options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()))
  return fc.oneof(...options)
}

// One URL-ready (percent-encoded) value: documented-valid, hostile text, or raw broken encodings.
const urlValue = (param: Parameter) => fc.oneof(
  { weight: 2, arbitrary: validValue(param).map(encode) },
  { weight: 3, arbitrary: anyString.map(encode) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_ENCODED) }
)

const headerText = fc.oneof(
  fc.string({ unit: 'binary-ascii' }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer x', 'Basic dXNlcjpwYXNz', 'bearer ' + 'k'.repeat(5000), '*', 'W/"x"', '"a", "b"', 'null')
)

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":1e309}', '{"a":-0}',
    '{', '{"a":', 'null', '"str"', '[]', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"a":"\\ud800"}', '\u0000', ''
  ),
  fc.integer({ min: 1, max: 5000 }).map((n) => `{"x":${'['.repeat(n)}${']'.repeat(n)}}`)
)

// A body from the documented request schema (with hostile leaves) or arbitrary JSON and junk.
function bodyFor (op: Operation) {
  if (!op.bodySchema) return jsonBody
  const documented = arbitraryFromSchema(op.bodySchema, doc, fc.oneof(anyString, fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...NASTY)))
  return fc.oneof({ weight: 2, arbitrary: documented.map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: jsonBody })
}

// `token` set: every request carries that key (past authentication, into the handler and, on
// delivery routes, into preview). Unset: no key or a hostile Authorization header.
function requestFor (op: Operation, token?: string) {
  const pathParams = op.parameters.filter((p) => p.in === 'path')
  const queryParams = op.parameters.filter((p) => p.in === 'query')
  return fc.record({
    path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, urlValue(p)]))),
    query: fc.array(fc.tuple(
      fc.oneof(...(queryParams.length > 0 ? [fc.constantFrom(...queryParams.map((p) => p.name))] : []), fc.constantFrom('__proto__', 'constructor', 'preview', 'x'), anyString.map(encode)),
      fc.oneof(...queryParams.map(urlValue), anyString.map(encode), fc.constantFrom(...RAW_ENCODED))
    ), { maxLength: 6 }),
    headers: fc.record({
      ...(token ? {} : { authorization: headerText }),
      'if-none-match': headerText,
      'if-match': headerText,
      accept: fc.oneof(headerText, fc.constantFrom('application/json', 'text/html', '*/*')),
      'content-type': fc.oneof(headerText, fc.constant('application/json')),
      'x-request-id': headerText,
    }, { requiredKeys: [] }).map((headers) => token ? { ...headers, authorization: `Bearer ${token}` } : headers),
    body: op.method === 'GET' ? fc.constant(undefined) : fc.option(bodyFor(op)),
  })
}

const withKey = (op: Operation) => op.secured || op.parameters.some((p) => p.in === 'query' && p.name === 'preview')
const cases = operations.flatMap((op) => [
  [`${op.method} ${op.path} (${op.operationId}) without a key`, op, false] as const,
  ...(withKey(op) ? [[`${op.method} ${op.path} (${op.operationId}) with an admin key`, op, true] as const] : []),
])
let requestsSent = 0
let slowest = 0

describe('fuzzing every documented operation', () => {
  afterAll(() => {
    console.log(`fuzz: ${operations.length} operations, ${cases.length} properties (${cases.length - operations.length} with an admin key), ${RUNS} cases each, ${requestsSent} requests, slowest answer ${slowest.toFixed(0)} ms`)
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('found operations in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(0)
  })

  it.each(cases)('%s never answers 5xx, leaks or breaks its schema', async (_name, op, keyed) => {
    const { app } = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
    const token = keyed ? await managementToken(app.store) : undefined
    await fc.assert(fc.asyncProperty(requestFor(op, token), async (req) => {
      const url = fillPath(op.path, req.path) + (req.query.length > 0 ? `?${req.query.map(([k, v]) => `${k}=${v}`).join('&')}` : '')
      const headers = { ...req.headers, ...(req.body != null && !req.headers['content-type'] ? { 'content-type': 'application/json' } : {}) }
      const started = performance.now()
      const res = await app.inject({ method: op.method as 'GET', url, headers, payload: req.body ?? undefined })
      slowest = Math.max(slowest, performance.now() - started)
      requestsSent++
      const what = `${op.method} ${url.slice(0, 200)}`
      const sent = { url, body: req.body ?? undefined }
      const served = Object.values(req.path).includes('') ? servedBy(operations, op.method, url) : op
      checkResponse(served, res, validators, what, sent)
      // with a key, the management representation and preview may show unpublished stories
      if (!token) neverLeaksUnpublished(res, what, sent)
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true })
  }, Math.max(30_000, RUNS * 100))

  it('answers any unknown route and method with a problem, never a 5xx', async () => {
    const { app } = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
    const segment = fc.oneof(anyString.map(encode), fc.constantFrom(...RAW_ENCODED, 'v1', 'articles', 'sections'))
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      fc.array(segment, { minLength: 1, maxLength: 6 }),
      fc.option(jsonBody),
      async (method, segments, body) => {
        const url = `/${segments.join('/')}`
        const res = await app.inject({ method: method as 'GET', url, payload: body ?? undefined, headers: body != null ? { 'content-type': 'application/json' } : {} })
        requestsSent++
        const what = `${method} ${url.slice(0, 200)}`
        const sent = { url, body: body ?? undefined }
        expect(res.statusCode, what).toBeLessThan(500)
        neverLeaksUnpublished(res, what, sent)
        if (res.statusCode >= 400 && method !== 'HEAD') checkResponse(undefined, res, validators, what, sent)
      }
    ), { seed: SEED, numRuns: RUNS * 4, endOnFailure: true })
  }, Math.max(30_000, RUNS * 400))
})
