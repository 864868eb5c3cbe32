import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

const dirs: string[] = []
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true })
})

describe('configuration', () => {
  it('has working defaults for every variable', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databasePath: './data/dateline.db', demoContent: true, bodyLimit: 1024 * 1024 })
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DEMO_CONTENT', 'yes please'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_BASE_URL', 'javascript:alert(1)'],
    ['BODY_LIMIT', '-1'],
    ['RESPONSE_CACHE', 'sometimes'],
    ['CURSOR_SECRET', 'shorter-than-32-characters'],
    // 50 × the limit sizes a PostgreSQL window: past 2^53 every search threw (a 500)
    ['SEARCH_RANK_LIMIT', '9007199254740991'],
    ['SEARCH_RANK_LIMIT', '1000001'],
    ['SEARCH_RANK_LIMIT', '0'],
    ['STATEMENT_TIMEOUT_MS', '-1'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`))
  })

  it('stops the server at start-up with a message naming the bad variable, before touching the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-config-'))
    dirs.push(dir)
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, PORT: 'not-a-port', DATABASE_PATH: join(dir, 'db', 'dateline.db') },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('PORT')
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/)
    expect(existsSync(join(dir, 'db'))).toBe(false)
  })

  it('`npm run cli -- migrate` creates and migrates a database the server has never opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-migrate-'))
    dirs.push(dir)
    const path = join(dir, 'new', 'dateline.db')
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'migrate'], {
      env: { ...process.env, DATABASE_PATH: path },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('migrations applied')
    const check = spawnSync('node', ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)});console.log(d.prepare("select count(*) c from sqlite_master where name in ('articles','articles_fts','page_views')").get().c)`], { encoding: 'utf8' })
    expect(check.stdout.trim()).toBe('3')
  })
})
