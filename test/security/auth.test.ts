// Authentication bypass attempts against every secured operation in the OpenAPI document: no key,
// malformed headers, unknown and revoked keys, a key in the query string, a key without the scope.
import { describe, expect, it } from 'vitest'
import { makeApp, makeClock } from '../helpers.js'
import { revokeApiKey, type ScopeName } from '../../src/keys/repository.js'
import { checkResponse, fillPath, loadOperations, makeValidators, managementToken, NOW, SECURITY_ENV, seedNewsroom, type Operation } from './operations.js'

const { doc, operations } = await loadOperations()
const validators = makeValidators(doc)
const secured = operations.filter((op) => op.secured)
const values = { slug: 'talks-resume', path: 'news/world-news', '*': 'news/world-news', id: '1', revision: '1' }

// the scope a secured operation documents in its 403 answer
const scopeOf = (op: Operation) => /`([a-z:]+)`/.exec(String((op.responses['403'] as { description?: string })?.description))?.[1] as ScopeName

async function setup () {
  const ctx = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
  const admin = await managementToken(ctx.store)
  const revoked = await managementToken(ctx.store)
  const { name: revokedName } = (await ctx.store.repos.sql.get<{ name: string }>('select name from api_keys order by id desc limit 1'))!
  await revokeApiKey(ctx.store, revokedName, NOW)
  const keys = {
    admin,
    revoked,
    preview: await managementToken(ctx.store, ['content:preview']),
    write: await managementToken(ctx.store, ['content:write']),
    hooks: await managementToken(ctx.store, ['webhooks:manage']),
  }
  return { ...ctx, keys }
}

type Keys = Awaited<ReturnType<typeof setup>>['keys']
const refused: Array<[string, (keys: Keys) => { headers: Record<string, string>, query: string }]> = [
  ['no key', () => ({ headers: {}, query: '' })],
  ['"Bearer" alone', () => ({ headers: { authorization: 'Bearer' }, query: '' })],
  ['an empty bearer', () => ({ headers: { authorization: 'Bearer ' }, query: '' })],
  ['"Bearerxyz"', () => ({ headers: { authorization: 'Bearerxyz' }, query: '' })],
  ['basic auth', () => ({ headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, query: '' })],
  ['"bearer  x" (two spaces)', () => ({ headers: { authorization: 'bearer  x' }, query: '' })],
  ['the admin key without "Bearer"', (k) => ({ headers: { authorization: k.admin }, query: '' })],
  ['the admin key as basic auth', (k) => ({ headers: { authorization: `Basic ${Buffer.from(`${k.admin}:`).toString('base64')}` }, query: '' })],
  ['the admin key with a character changed', (k) => ({ headers: { authorization: `Bearer ${k.admin.slice(0, -1)}${k.admin.endsWith('A') ? 'B' : 'A'}` }, query: '' })],
  ['an unknown well-formed key', () => ({ headers: { authorization: `Bearer dl_live_${'a'.repeat(43)}` }, query: '' })],
  ['a revoked key', (k) => ({ headers: { authorization: `Bearer ${k.revoked}` }, query: '' })],
  ['the admin key in the query string', (k) => ({ headers: {}, query: `?api_key=${k.admin}&key=${k.admin}&access_token=${k.admin}&token=${k.admin}` })],
  ['the admin key in a cookie', (k) => ({ headers: { cookie: `api_key=${k.admin}; token=${k.admin}` }, query: '' })],
  ['the admin key in X-Api-Key', (k) => ({ headers: { 'x-api-key': k.admin }, query: '' })],
]

const cases = secured.flatMap((op) => refused.map(([what, make]) => [`${op.method} ${op.path} with ${what}`, op, make] as const))

describe('authentication on every secured operation', () => {
  it('finds the secured operations in the OpenAPI document', () => {
    expect(secured.length).toBeGreaterThan(10)
    for (const op of secured) expect(scopeOf(op), op.path).toMatch(/^content:|^webhooks:manage$|^admin$/)
  })

  it.each(cases)('%s is refused with 401 and changes nothing', async (_name, op, make) => {
    const { app, store, keys } = await setup()
    const articles = () => store.repos.sql.get('select cast(count(*) as integer) as n, max(updated_at) as u from articles')
    const before = await articles()
    const { headers, query } = make(keys)
    const url = `${fillPath(op.path, values)}${query}`
    const res = await app.inject({ method: op.method as 'GET', url, headers, payload: op.hasBody ? { headline: 'x', body: [], section: 'news' } : undefined })
    expect(res.statusCode, url).toBe(401)
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /)
    checkResponse(op, res, validators, url, { url })
    expect(res.body).not.toContain(keys.admin)
    expect(await articles()).toEqual(before)
  })

  it.each(secured.map((op) => [`${op.method} ${op.path}`, op] as const))('%s answers 403 to a key without its scope, and lets a key with it through', async (_name, op) => {
    const { app, keys } = await setup()
    const scope = scopeOf(op)
    const lacking = scope === 'content:preview' ? keys.write : keys.preview
    const url = fillPath(op.path, values)
    const res = await app.inject({ method: op.method as 'GET', url, headers: { authorization: `Bearer ${lacking}` }, payload: op.hasBody ? {} : undefined })
    expect(res.statusCode, url).toBe(403)
    checkResponse(op, res, validators, url, { url })
    // the right key gets past authentication (the empty body may still be refused as a 400)
    const withScope = scope === 'content:preview' ? keys.preview : scope === 'webhooks:manage' ? keys.hooks : keys.write
    const allowed = await app.inject({ method: op.method as 'GET', url, headers: { authorization: `Bearer ${withScope}` }, payload: op.hasBody ? {} : undefined })
    expect([401, 403], url).not.toContain(allowed.statusCode)
    checkResponse(op, allowed, validators, url, { url })
  })
})
