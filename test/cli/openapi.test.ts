// `openapi` regenerates openapi/openapi.json of a source checkout; where there is none (the compiled
// build in the container image) it says so in one line instead of failing with ENOENT.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { CommandError } from '../../src/cli/errors.js'
import { writeOpenapi } from '../../src/cli/openapi.js'

const dirs: string[] = []
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }) })
const config = () => loadConfig({ DATABASE_PATH: ':memory:', DEMO_CONTENT: 'false' })

describe('npm run cli -- openapi', () => {
  it('refuses with a CommandError that points to GET /openapi.json when the openapi/ directory is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-openapi-'))
    dirs.push(dir)
    const file = join(dir, 'openapi', 'openapi.json')
    const failure = await writeOpenapi([], { config: config() }, file).then(() => null, (error: unknown) => error)
    expect(failure).toBeInstanceOf(CommandError)
    expect((failure as Error).message).toMatch(/development command.*does not exist here.*GET \/openapi\.json/)
    expect(existsSync(file)).toBe(false)
  })

  it('writes the document into an existing openapi/ directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-openapi-'))
    dirs.push(dir)
    const file = join(dir, 'openapi.json')
    await writeOpenapi([], { config: config() }, file)
    expect(JSON.parse(readFileSync(file, 'utf8')).openapi).toBe('3.1.0')
  })
})
