// The security suite, driven by the OpenAPI document: SQL-injection strings in every path and query
// parameter of every operation (with an admin key on secured ones), unpublished content invisible
// through every GET without a key, and router-level errors answered as problems.
import { afterAll, describe, expect, it } from 'vitest'
import { makeApp, makeClock } from '../helpers.js'
import { checkResponse, fillPath, loadOperations, makeValidators, managementToken, neverLeaksUnpublished, servedBy, NOW, SECRET, SECURITY_ENV, seedNewsroom } from './operations.js'

const { doc, operations } = await loadOperations()
const validators = makeValidators(doc)

const SQL_INJECTION = [
  "'", "''", '"', '`', "' OR '1'='1", "' OR 1=1--", '" OR ""="', "1' OR '1'='1' /*", "') OR ('1'='1",
  '1; DROP TABLE articles', "'; DROP TABLE articles; --", '1 UNION SELECT name, sql FROM sqlite_master--',
  "' UNION SELECT NULL,NULL,NULL--", '1 AND 1=CAST((SELECT sql FROM sqlite_master) AS INT)', "' AND randomblob(1000000000)--",
  "1' AND (SELECT COUNT(*) FROM api_keys) > 0 --", "%' --", '%', '_', '\\', "\\' OR 1=1 --", "' || (SELECT hash FROM api_keys) || '",
  'news/../../etc', '1/**/OR/**/1=1', 'x" MATCH "*', 'NEAR(a b)', '* OR *', '"unterminated', 'char(39)||char(39)',
]

const defaults: Record<string, string> = { slug: 'talks-resume', path: 'news/world-news', '*': 'news/world-news', id: '1', revision: '1', file: 'rss.xml', month: '2026-11' }
let attempts = 0

// every documented path and query parameter, plus undocumented query names a route might read anyway
const UNDOCUMENTED = ['q', 'section', 'tag', 'author', 'slug', 'id', 'sort', 'order']
const injectionCases = operations.flatMap((op) => {
  const params = op.parameters.filter((p) => p.in === 'path' || p.in === 'query')
  const names = new Set(params.map((p) => p.name))
  const extra = UNDOCUMENTED.filter((name) => !names.has(name)).map((name) => ({ name, in: 'query' as const }))
  return [...params, ...extra].map((param) => [`${op.method} ${op.path} ${param.in} "${param.name}"`, op, param] as const)
})

describe('SQL injection', () => {
  it('has operations to attack', () => {
    expect(operations.length).toBeGreaterThan(0)
  })

  afterAll(() => {
    console.log(`SQL injection: ${SQL_INJECTION.length} attack strings in ${injectionCases.length} parameters of ${operations.length} operations, ${attempts} requests`)
  })

  // secured operations are attacked with an admin key, so the strings reach the handlers
  it.each(injectionCases)('%s: no 5xx and no SQL in the answer, for every attack string', async (_name, op, param) => {
    const { app } = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
    const headers = op.secured ? { authorization: `Bearer ${await managementToken(app.store)}` } : {}
    for (const attack of SQL_INJECTION) {
      const path = fillPath(op.path, { ...defaults, ...(param.in === 'path' ? { [param.name]: encodeURIComponent(attack) } : {}) })
      const url = param.in === 'query' ? `${path}?${param.name}=${encodeURIComponent(attack)}` : path
      const res = await app.inject({ method: op.method as 'GET', url, headers })
      attempts++
      checkResponse(servedBy(operations, op.method, url), res, validators, `${op.method} ${url}`, { url })
      if (!op.secured) neverLeaksUnpublished(res, `${op.method} ${url}`, { url })
    }
    // the tables are all still there
    expect(await app.store.repos.sql.get('select count(*) as n from articles where id = 1')).toEqual({ n: 1 })
  })
})

describe('unpublished content', () => {
  const gets = operations.filter((op) => op.method === 'GET')
  const secretParams = [
    { ...defaults, slug: SECRET.draftSlug, id: '3' },
    { ...defaults, slug: SECRET.scheduledSlug, id: '4' },
  ]

  it.each(gets.map((op) => [`${op.method} ${op.path}`, op] as const))('%s never shows a draft or a scheduled story, with or without ?preview=true', async (_name, op) => {
    const { app } = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
    for (const values of secretParams) {
      for (const query of ['', '?preview=true', '?preview=true&limit=100', '?status=draft']) {
        const url = `${fillPath(op.path, values)}${query}`
        const res = await app.inject({ method: 'GET', url })
        checkResponse(servedBy(operations, 'GET', url), res, validators, url, { url })
        neverLeaksUnpublished(res, url, { url })
      }
    }
  })
})

describe('router errors', () => {
  it('answers a URL with a broken percent-encoding with a 400 problem that does not echo the path', async () => {
    const { request } = await makeApp()
    const res = await request.get('/v1/%E0%A4%A/<script>').expect(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ type: '/problems/bad-url', status: 400, detail: 'The URL is not validly percent-encoded.' })
  })

  it('answers an over-long path parameter with a problem (414 on routes with parameters), never a 5xx', async () => {
    const { app } = await makeApp()
    const param = operations.find((op) => op.parameters.some((p) => p.in === 'path'))
    const url = param ? fillPath(param.path, Object.fromEntries(param.parameters.map((p) => [p.name, 'a'.repeat(600)]))) : `/${'a'.repeat(600)}`
    const res = await app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(param ? 414 : 404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
