// Every example in the OpenAPI document is valid against its own schema, so Swagger UI and
// generated clients never show a shape the API would not send or accept.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { articleExample } from '../../src/articles/examples.js'
import { readingTimeMinutes } from '../../src/articles/word-count.js'
import { countWords } from '../../src/articles/word-count.js'
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

  it('gives the article example the word count and reading time the API would compute', () => {
    const words = countWords(articleExample.headline, articleExample.standfirst, articleExample.body as Parameters<typeof countWords>[2])
    expect(articleExample.wordCount).toBe(words)
    expect(articleExample.readingTimeMinutes).toBe(readingTimeMinutes(words))
  })

  it('declares the record ETag on management writes and their 412s', () => {
    const op = (path: string, method: string) => doc.paths[path][method]
    for (const [path, method, codes] of [
      ['/v1/tags/{slug}', 'patch', ['200', '412']],
      ['/v1/tags', 'post', ['201']],
      ['/v1/collections/{slug}', 'put', ['200', '201', '412']],
      ['/v1/articles', 'post', ['201']],
    ] as const) {
      for (const code of codes) expect(op(path, method).responses[code].headers.ETag, `${method} ${path} ${code}`).toEqual({ $ref: '#/components/headers/RecordETag' })
    }
  })
})
