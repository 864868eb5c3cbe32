// The Spectral ruleset (.spectral.yaml) really rejects what it promises to: unbounded client input
// and unsecured writes, on a copy of the committed document with a probe operation added.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { openapiFile } from '../../src/cli/openapi.js'

const dir = mkdtempSync(join(tmpdir(), 'dateline-spectral-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function spectralErrors (doc: object): Promise<string[]> {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, JSON.stringify(doc))
  const run = promisify(execFile)('node_modules/.bin/spectral', ['lint', file, '--ruleset', '.spectral.yaml', '-f', 'json', '--quiet'])
  const { stdout } = await run.catch((error: { stdout: string }) => error)
  return (JSON.parse(stdout) as Array<{ code: string, severity: number }>).filter((r) => r.severity === 0).map((r) => r.code)
}

function withProbe (probe: object) {
  const doc = JSON.parse(readFileSync(openapiFile, 'utf8'))
  doc.paths['/v1/probe'] = { post: probe }
  return doc
}

const okResponses = { 201: { description: 'Created' }, 400: { description: 'Bad' }, 401: { description: 'No key' }, 500: { description: 'Failed' } }

describe('OpenAPI lint ruleset', () => {
  it('rejects a response that does not document Access-Control-Allow-Origin', async () => {
    const errors = await spectralErrors(withProbe({
      operationId: 'probe',
      summary: 'Probe',
      description: 'Probe',
      tags: ['Operations'],
      security: [{ bearer: [] }],
      responses: { ...okResponses, 201: { description: 'Created', headers: { ETag: { schema: { type: 'string' } } } } },
    }))
    expect(errors).toEqual(['owasp:api8:2023-define-cors-origin'])
  })

  it('rejects unbounded input strings, arrays and integers, and an unsecured write', async () => {
    const errors = await spectralErrors(withProbe({
      operationId: 'probe',
      summary: 'Probe',
      description: 'Probe',
      tags: ['Operations'],
      parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { headline: { type: 'string' }, tags: { type: 'array', items: { type: 'string', maxLength: 10 } }, position: { type: 'integer' } },
            },
          },
        },
      },
      responses: okResponses,
    }))
    expect(errors).toEqual(expect.arrayContaining([
      'dateline-input-string-limit', 'dateline-input-array-limit', 'dateline-input-integer-limit', 'owasp:api2:2023-write-restricted',
      'owasp:api4:2023-integer-format',
    ]))
    expect(errors.filter((e) => e === 'dateline-input-string-limit')).toHaveLength(2)
  })

  it('accepts the same operation once every input is bounded and it declares security', async () => {
    const errors = await spectralErrors(withProbe({
      operationId: 'probe',
      summary: 'Probe',
      description: 'Probe',
      tags: ['Operations'],
      security: [{ bearer: [] }],
      parameters: [{ name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } }],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                headline: { type: 'string', maxLength: 300 },
                tags: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 10 } },
                position: { type: 'integer', format: 'int32', minimum: 0, maximum: 1000 },
              },
            },
          },
        },
      },
      responses: okResponses,
    }))
    expect(errors).toEqual([])
  })
})
