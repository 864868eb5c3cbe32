// Every example in the OpenAPI document is valid against its own schema, so Swagger UI and
// generated clients never show a shape the API would not send or accept.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openapiFile } from '../../src/cli/openapi.js'
import { makeValidators } from '../security/operations.js'

const doc = JSON.parse(readFileSync(openapiFile, 'utf8'))
const { compile } = makeValidators(doc)
const withExamples = Object.entries(doc.components.schemas as Record<string, { example?: unknown }>)
  .filter(([, schema]) => schema.example !== undefined)

describe('OpenAPI examples', () => {
  it('has realistic examples for the main resources', () => {
    const names = withExamples.map(([name]) => name)
    for (const name of ['Article', 'ArticleSummary', 'Section', 'Tag', 'Author', 'Problem', 'HeroImage']) expect(names).toContain(name)
  })

  it.each(withExamples)('%s example matches its schema', (_name, schema) => {
    const validate = compile(schema as object)
    expect(validate(schema.example), JSON.stringify(validate.errors)).toBe(true)
  })
})
