import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'

describe('OpenAPI: HTTP caching headers', () => {
  it('documents ETag, Cache-Control, Surrogate-Key and 304 on GET operations, and X-Request-Id on every response', async () => {
    const { request } = await makeApp()
    const doc = (await request.get('/openapi.json').expect(200)).body
    const get = doc.paths['/readyz'].get
    expect(Object.keys(get.responses['200'].headers)).toEqual(expect.arrayContaining(['ETag', 'Cache-Control', 'Surrogate-Key', 'Vary', 'X-Request-Id', 'Server-Timing']))
    expect(get.responses['304'].description).toMatch(/If-None-Match/)
    expect(get.responses['404'].headers['X-Request-Id'].$ref).toBe('#/components/headers/XRequestId')
    expect(doc.components.headers.SurrogateKey.description).toMatch(/article:<id>/)
  })
})
