// The OpenAPI document as test data: every operation with its parameters and response schemas, a
// small seeded newsroom (including a draft and a scheduled story that must never leak), and the
// checks every response must pass. Routes added later are covered without touching the tests.
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ValidateFunction } from 'ajv'
import { expect } from 'vitest'
import { syncArticleListing } from '../../src/articles/listing.js'
import { generateOpenapi } from '../../src/cli/openapi.js'
import { loadConfig } from '../../src/config.js'
import type { Db } from '../../src/db/connection.js'
import { articleAuthors, articles, articleTags, authors, sections, tags } from '../../src/db/schema.js'

export interface Parameter { name: string, in: 'path' | 'query' | 'header' | 'cookie', required?: boolean, schema?: Record<string, unknown> }
export interface Operation {
  method: string
  path: string
  operationId: string
  parameters: Parameter[]
  hasBody: boolean
  secured: boolean
  responses: Record<string, { content?: Record<string, { schema?: object }> }>
}

// TODO(management API): return a bearer key with every scope (e.g. created through the keys
// repository in the seed) so secured operations are also fuzzed past authentication.
export function managementToken (): string | undefined {
  return undefined
}

export const NOW = Date.parse('2026-11-24T12:00:00.000Z')
export const SECRET = { draftSlug: 'embargoed-budget-leak', draftHeadline: 'EMBARGOED draft headline', scheduledSlug: 'scheduled-election-result', scheduledHeadline: 'SCHEDULED future headline' }

// A few sections, tags, authors and articles written directly with drizzle.
export function seedNewsroom (db: Db) {
  const t = NOW - 86_400_000
  db.transaction((tx) => {
    const [news] = tx.insert(sections).values({ slug: 'news', name: 'News', path: 'news', createdAt: t, updatedAt: t }).returning().all()
    const [world] = tx.insert(sections).values({ slug: 'world-news', name: 'World News', path: 'news/world-news', parentId: news!.id, createdAt: t, updatedAt: t }).returning().all()
    const [tag] = tx.insert(tags).values({ slug: 'elections', name: 'Elections', type: 'topic', createdAt: t, updatedAt: t }).returning().all()
    const [afp] = tx.insert(authors).values({ slug: 'afp', name: 'AFP', kind: 'agency', createdAt: t, updatedAt: t }).returning().all()
    const stories = [
      { slug: 'talks-resume', headline: 'Talks resume in Geneva', status: 'published' as const, publishedAt: t },
      { slug: 'flood-warning', headline: 'Flood warning for the coast', status: 'published' as const, publishedAt: t + 3_600_000 },
      { slug: SECRET.draftSlug, headline: SECRET.draftHeadline, status: 'draft' as const, publishedAt: null },
      { slug: SECRET.scheduledSlug, headline: SECRET.scheduledHeadline, status: 'published' as const, publishedAt: NOW + 86_400_000 },
    ]
    for (const story of stories) {
      const body = JSON.stringify([{ type: 'paragraph', text: `${story.headline}. Officials said more later.` }])
      const [row] = tx.insert(articles).values({ ...story, body, byline: 'AFP', sectionId: world!.id, wordCount: 6, createdAt: t, updatedAt: t }).returning().all()
      tx.insert(articleTags).values({ articleId: row!.id, tagId: tag!.id }).run()
      tx.insert(articleAuthors).values({ articleId: row!.id, authorId: afp!.id }).run()
      syncArticleListing(tx, row!.id)
    }
  })
}

// The document exactly as `npm run openapi` writes it (a test file needs it before any app exists).
export async function loadOperations (): Promise<{ doc: any, operations: Operation[] }> {
  const doc = JSON.parse(await generateOpenapi(loadConfig({ DEMO_CONTENT: 'false' })))
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        hasBody: Boolean(op.requestBody),
        secured: (op.security ?? doc.security ?? []).length > 0,
        responses: op.responses ?? {},
      })
    }
  }
  return { doc, operations }
}

// Fills `/v1/articles/{slug}` from a map of parameter name to raw (already encoded) value.
export function fillPath (template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'x')
}

export function makeValidators (doc: any) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats.default(ajv)
  const cache = new Map<object, ValidateFunction>()
  const compile = (schema: object): ValidateFunction => {
    const cached = cache.get(schema)
    if (cached) return cached
    // components ride along at the root so `#/components/schemas/...` refs resolve
    const validate = ajv.compile({ ...schema, components: doc.components })
    cache.set(schema, validate)
    return validate
  }
  return { problem: compile(doc.components.schemas.Problem), compile }
}

const LEAKS = /SQLITE_|sqlite3?\b|syntax error|no such (table|column)|at \w+ \(|node_modules|\/src\/|\bSELECT\b[\s\S]*\bFROM\b/i

export interface Response { statusCode: number, headers: Record<string, unknown>, body: string }

// What every response to any input must satisfy.
export function checkResponse (op: Operation | undefined, res: Response, validators: ReturnType<typeof makeValidators>, what: string) {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500)
  expect(res.body, what).not.toMatch(LEAKS)
  const type = String(res.headers['content-type'] ?? '')
  if (res.statusCode >= 400) {
    expect(type, what).toMatch(/^application\/problem\+json/)
    const body = JSON.parse(res.body)
    expect(validators.problem(body), `${what}: ${JSON.stringify(validators.problem.errors)}`).toBe(true)
    expect(body.status, what).toBe(res.statusCode)
  } else if (res.statusCode >= 200 && res.statusCode < 300 && op && type.startsWith('application/json')) {
    const schema = op.responses[String(res.statusCode)]?.content?.['application/json']?.schema
    expect(schema, `${what}: status ${res.statusCode} is not documented`).toBeDefined()
    const validate = validators.compile(schema!)
    expect(validate(JSON.parse(res.body)), `${what}: ${JSON.stringify(validate.errors)}`).toBe(true)
  }
}

export function neverLeaksUnpublished (res: Response, what: string) {
  for (const secret of Object.values(SECRET)) expect(res.body, what).not.toContain(secret)
}
