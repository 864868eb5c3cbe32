// Request bodies from the OpenAPI request schema: mostly documented-valid values (known slugs, paths
// and ids of the seeded newsroom mixed in) with hostile leaves, so fuzzing with a key reaches handlers.
import fc from 'fast-check'

type Schema = Record<string, any>
const KNOWN = ['talks-resume', 'news', 'news/world-news', 'world-news', 'elections', 'afp', 'selected']

function resolve (schema: Schema, doc: any): Schema {
  if (typeof schema.$ref === 'string') return resolve(doc.components.schemas[schema.$ref.split('/').pop()!], doc)
  return schema
}

export function arbitraryFromSchema (input: Schema, doc: any, hostile: fc.Arbitrary<unknown>, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input, doc)
  const choices = schema.anyOf ?? schema.oneOf
  if (Array.isArray(choices)) return fc.oneof(...choices.map((s: Schema) => arbitraryFromSchema(s, doc, hostile, depth + 1)))
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  const hostileSometimes = (valid: fc.Arbitrary<unknown>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostile })
  switch (schema.type) {
    case 'string': {
      const options: Array<fc.Arbitrary<unknown>> = [fc.constantFrom(...KNOWN)]
      if (schema.pattern) options.push(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200)))
      else if (schema.format === 'date-time') options.push(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()))
      else if (schema.format === 'uri') options.push(fc.constantFrom('https://example.com/a.jpg', 'https://twitter.com/x/status/1', 'javascript:alert(1)', 'data:text/html,<b>', '//evil.example'))
      else options.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }))
      return hostileSometimes(fc.oneof(...options))
    }
    case 'integer':
    case 'number':
      return hostileSometimes(fc.oneof(fc.constantFrom(1, 2, 3, 4), fc.integer({ min: -10, max: 1_000_000 })))
    case 'boolean':
      return hostileSometimes(fc.boolean())
    case 'null':
      return fc.constant(null)
    case 'array':
      if (depth > 6) return fc.constant([])
      return hostileSometimes(fc.array(arbitraryFromSchema(schema.items ?? {}, doc, hostile, depth + 1), { maxLength: 3 }))
    case 'object': {
      if (depth > 6) return fc.constant({})
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, arbitraryFromSchema(value as Schema, doc, hostile, depth + 1)]))
      const record = fc.record(properties, { requiredKeys: (schema.required ?? []) as never[] })
      return hostileSometimes(record)
    }
    default:
      return hostile
  }
}
