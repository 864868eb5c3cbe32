// A known path asked with a method it does not have is 405 with Allow (RFC 9110 §15.5.6), as an
// RFC 9457 problem; unknown paths stay 404 and OPTIONS keeps answering CORS preflights.
import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'

describe('405 Method Not Allowed', () => {
  it.each([
    ['PUT', '/v1/articles/some-slug', 'GET, HEAD, PATCH, DELETE'],
    ['POST', '/v1/articles/some-slug/', 'GET, HEAD, PATCH, DELETE'],
    ['DELETE', '/v1/articles', 'GET, HEAD, POST'],
    ['PUT', '/v1/articles?limit=5', 'GET, HEAD, POST'],
    ['PUT', '/v1/tags/climate', 'GET, HEAD, PATCH, DELETE'],
    ['GET', '/v1/articles/some-slug/views', 'POST'],
    ['HEAD', '/v1/articles/1/publish', 'POST'],
    ['POST', '/v1/most-viewed', 'GET, HEAD'],
    ['POST', '/v1/sections/news/world-news', 'GET, HEAD, PATCH, DELETE'],
    ['POST', '/v1/feeds/rss.xml', 'GET, HEAD'],
    ['PATCH', '/docs/', 'GET, HEAD'],
  ])('%s %s is 405 with Allow: %s', async (method, url, allow) => {
    const { app } = await makeApp()
    const res = await app.inject({ method: method as 'GET', url, headers: { origin: 'https://www.example.com' } })
    expect(res.statusCode, res.body).toBe(405)
    expect(res.headers.allow).toBe(allow)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    if (method === 'HEAD') return
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({
      type: '/problems/method-not-allowed',
      title: 'Method Not Allowed',
      status: 405,
      detail: `${method} is not allowed on ${url.split('?')[0]}; it allows ${allow}.`,
      instance: url.split('?')[0],
    })
  })

  it.each([
    ['DELETE', '/v1/no-such-thing'],
    ['GET', '/v1/no-such-thing'],
    ['POST', '/V1/Articles'],
    ['PUT', '/v1/ARTICLES/some-slug'],
    ['DELETE', '/v1/articles/a/b/c/d'],
    ['PUT', '/v1//articles'],
    ['POST', '/v1/articles/%E0%A4%A'],
    ['PUT', '/v1/articles/%zz'],
  ])('%s %s (unknown path or malformed) is still 404 or 400, never 405 or 500', async (method, url) => {
    const { app } = await makeApp()
    const res = await app.inject({ method: method as 'GET', url })
    expect([400, 404], `${res.statusCode} ${res.body}`).toContain(res.statusCode)
    expect(res.headers.allow).toBeUndefined()
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('a path with a known method still answers it, and GET answers HEAD', async () => {
    const { app } = await makeApp()
    expect((await app.inject({ method: 'GET', url: '/v1/sections' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'HEAD', url: '/v1/sections' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/v1/articles/no-such-story' })).statusCode).toBe(404)
  })

  it('OPTIONS keeps answering CORS preflights, on known and unknown paths', async () => {
    const { app } = await makeApp({ env: { CORS_ORIGINS: 'https://www.example.com' } })
    for (const url of ['/v1/articles/some-slug', '/v1/articles', '/v1/no-such-thing']) {
      const res = await app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://www.example.com', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
      })
      expect(res.statusCode, url).toBe(204)
      expect(res.headers['access-control-allow-origin']).toBe('https://www.example.com')
      expect(res.headers['access-control-allow-methods']).toContain('DELETE')
    }
  })
})
