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

  it('documents the CORS headers on every response, and every kind of response sends them', async () => {
    const { request } = await makeApp()
    const doc = (await request.get('/openapi.json').expect(200)).body
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(response.headers?.['Access-Control-Allow-Origin'], `${method} ${path} ${status}`).toEqual({ $ref: '#/components/headers/Access-Control-Allow-Origin' })
        }
      }
    }
    for (const [url, status] of [['/v1/sections', 200], ['/v1/articles/no-such-story', 404], ['/v1/articles?limit=0', 400]] as const) {
      const res = await request.get(url).set('origin', 'https://www.example.com').expect(status)
      expect(res.headers['access-control-allow-origin'], url).toBe('*')
      expect(res.headers['access-control-expose-headers'], url).toContain('X-Request-Id')
    }
  })
})
