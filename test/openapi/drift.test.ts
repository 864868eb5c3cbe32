import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateOpenapi, openapiFile } from '../../src/cli/openapi.js'
import { loadConfig } from '../../src/config.js'
import { DATELINE_LOGO } from '../../src/http/openapi.js'
import { makeApp } from '../helpers.js'

describe('OpenAPI document', () => {
  it('matches the committed openapi/openapi.json (run `npm run openapi` after changing routes)', async () => {
    const generated = await generateOpenapi(loadConfig({ DEMO_CONTENT: 'false' }))
    expect(JSON.parse(readFileSync(openapiFile, 'utf8'))).toEqual(JSON.parse(generated))
  })

  it('is served at /openapi.json as OpenAPI 3.1 with an operationId, tags, summary and description on every operation', async () => {
    const { request } = await makeApp()
    const res = await request.get('/openapi.json').expect(200)
    expect(res.body.openapi).toBe('3.1.0')
    const operations = Object.entries(res.body.paths as Record<string, Record<string, any>>)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
    expect(operations.length).toBeGreaterThan(0)
    for (const { path, method, op } of operations) {
      expect(op.operationId, `${method} ${path}`).toBeTruthy()
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0)
      expect(op.summary, `${method} ${path}`).toBeTruthy()
      expect(op.description, `${method} ${path}`).toBeTruthy()
      expect(op.responses['400'] ?? op.responses['404'], `${method} ${path}`).toBeTruthy()
    }
  })

  it('names the MIT licence, as LICENSE and package.json do', async () => {
    const { request } = await makeApp()
    const res = await request.get('/openapi.json').expect(200)
    expect(res.body.info.license).toEqual({ name: 'MIT', identifier: 'MIT' })
    expect(JSON.parse(readFileSync('package.json', 'utf8')).license).toBe('MIT')
    const licence = readFileSync('LICENSE', 'utf8')
    expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) 2026 Dateline contributors\n/)
    expect(licence).toContain('Permission is hereby granted, free of charge')
  })

  it('serves Swagger UI at /docs', async () => {
    const { request } = await makeApp()
    const res = await request.get('/docs/').expect(200)
    expect(res.text).toContain('swagger')
    expect(res.text).toContain('<title>Dateline API</title>')
    // the top bar's logo is Dateline's name, not the plugin's default Fastify logo
    const initializer = await request.get('/docs/static/swagger-initializer.js').expect(200)
    expect(initializer.text).toContain(`data:image/svg+xml;base64,${Buffer.from(DATELINE_LOGO).toString('base64')}`)
    expect(initializer.text).not.toContain(readFileSync('node_modules/@fastify/swagger-ui/static/logo.svg').toString('base64'))
  })
})
