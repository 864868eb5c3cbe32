import { describe, expect, it } from 'vitest'
import { runKeys } from '../../src/cli/keys.js'
import { makeApp } from '../helpers.js'

async function cli () {
  const ctx = await makeApp()
  const run = async (...args: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runKeys(ctx.store, args, { out: (l) => out.push(l), err: (l) => err.push(l), now: ctx.clock })
    return { code, out, err, stdout: out.join('\n') }
  }
  return { ...ctx, run }
}

describe('npm run cli -- keys', () => {
  it('create prints the new key alone on the last line, and the key works', async () => {
    const { run, request } = await cli()
    const { code, out } = await run('create', '--name', 'wire-ingest', '--scopes', 'content:write')
    expect(code).toBe(0)
    const key = out.at(-1)!
    expect(key).toMatch(/^dl_live_[A-Za-z0-9_-]{43}$/)
    await request.post('/v1/tags').set({ authorization: `Bearer ${key}` }).send({ name: 'Wire', type: 'topic' }).expect(201)
  })

  it('list shows names, scopes, created, last used and revocation, never the secret or its hash', async () => {
    const { run, store, request, clock } = await cli()
    const key = (await run('create', '--name', 'editor', '--scopes', 'content:write,content:preview')).out.at(-1)!
    await run('create', '--name', 'ops', '--scopes', 'admin')
    clock.advance(5000)
    await request.post('/v1/tags').set({ authorization: `Bearer ${key}` }).send({ name: 'Used', type: 'topic' }).expect(201)
    await run('revoke', 'ops')
    const { code, stdout } = await run('list')
    expect(code).toBe(0)
    expect(stdout).toContain('editor')
    expect(stdout).toContain('scopes=content:write,content:preview')
    expect(stdout).toContain('created=2026-11-24T12:00:00.000Z')
    expect(stdout).toContain('last-used=2026-11-24T12:00:05.000Z')
    expect(stdout).toMatch(/ops.*scopes=admin.*revoked=2026-11-24T12:00:05.000Z/)
    const { hash } = (await store.repos.sql.get<{ hash: string }>("select hash from api_keys where name = 'editor'"))!
    expect(stdout).not.toContain(key)
    expect(stdout).not.toContain(key.slice(12))
    expect(stdout).not.toContain(hash)
  })

  it('revoke makes the key unusable at once', async () => {
    const { run, request } = await cli()
    const key = (await run('create', '--name', 'temp', '--scopes', 'admin')).out.at(-1)!
    expect((await run('revoke', 'temp')).code).toBe(0)
    await request.post('/v1/tags').set({ authorization: `Bearer ${key}` }).send({ name: 'X', type: 'topic' }).expect(401)
    expect(await run('revoke', 'temp')).toMatchObject({ code: 1, err: [expect.stringContaining('already revoked')] })
    expect(await run('revoke', 'nobody')).toMatchObject({ code: 1, err: [expect.stringContaining('no key named "nobody"')] })
  })

  it('refuses bad scopes, duplicate names and missing options with a clear error and a non-zero exit', async () => {
    const { run } = await cli()
    expect(await run('create', '--name', 'a', '--scopes', 'content:write,superuser')).toMatchObject({ code: 1, out: [], err: [expect.stringContaining('unknown scope "superuser"')] })
    expect(await run('create', '--name', 'a', '--scopes', '')).toMatchObject({ code: 1, err: [expect.stringContaining('at least one')] })
    expect(await run('create', '--scopes', 'admin')).toMatchObject({ code: 1, err: [expect.stringContaining('--name is required')] })
    expect(await run('create', '--name', 'a')).toMatchObject({ code: 1, err: [expect.stringContaining('--scopes is required')] })
    expect((await run('create', '--name', 'has space', '--scopes', 'admin')).code).toBe(1)
    expect(await run('create', '--name', 'a', '--scopes', 'admin', '--bogus')).toMatchObject({ code: 1 })
    expect((await run('create', '--name', 'a', '--scopes', 'admin')).code).toBe(0)
    expect(await run('create', '--name', 'a', '--scopes', 'admin')).toMatchObject({ code: 1, out: [], err: [expect.stringContaining('already exists')] })
    expect((await run('frobnicate')).code).toBe(1)
  })
})

describe('OpenAPI for management operations', () => {
  it('declares the bearer scheme and, on each management operation, the security requirement and its scope', async () => {
    const { request } = await makeApp()
    const { body } = await request.get('/openapi.json').expect(200)
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    const managed = ['createArticle', 'updateArticle', 'publishArticle', 'unpublishArticle', 'deleteArticle', 'listArticleRevisions', 'getArticleRevision',
      'createSection', 'updateSection', 'deleteSection', 'createTag', 'updateTag', 'deleteTag', 'createAuthor', 'updateAuthor', 'deleteAuthor', 'putCollection']
    const ops = Object.values(body.paths as Record<string, Record<string, any>>).flatMap((item) => Object.values(item))
    for (const id of managed) {
      const op = ops.find((o) => o.operationId === id)
      expect(op, id).toBeTruthy()
      expect(op.security, id).toEqual([{ bearer: [] }])
      expect(op.description, id).toContain('content:write')
      expect(Object.keys(op.responses), id).toEqual(expect.arrayContaining(['401', '403']))
    }
  })
})
