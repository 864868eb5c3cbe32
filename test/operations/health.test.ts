import { describe, expect, it } from 'vitest'
import { makeApp } from '../helpers.js'

describe('operations', () => {
  it('answers /healthz and /readyz', async () => {
    const { request } = await makeApp()
    await request.get('/healthz').expect(200, { status: 'ok' })
    await request.get('/readyz').expect(200, { status: 'ok' })
  })

  it('answers an unknown route with a 404 problem', async () => {
    const { request } = await makeApp()
    const res = await request.get('/v1/nope').expect(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.body).toMatchObject({ type: '/problems/not-found', title: 'Not Found', status: 404, instance: '/v1/nope' })
  })
})
