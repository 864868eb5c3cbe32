// The command-line tool on PostgreSQL (DATABASE_URL), through the real process: migrate, seed,
// keys, import wordpress; backup and restore point at pg_dump and pg_restore with exit code 2.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadDemoContent } from '../../src/demo/seed.js'
import { postgresPortMissing } from '../e2e/pending.js'
import { asAdmin, createTestDatabase, testPostgresUrl, withDatabase } from '../postgres.js'

const serverUrl = await testPostgresUrl()
const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/wordpress/themeunittestdata.wordpress.xml', import.meta.url))

function cli (args: string[], url: string): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      env: { ...process.env, DATABASE_URL: url, DATABASE_PATH: '/nonexistent/never-used.db' }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

const count = (url: string, table: string) =>
  asAdmin(url, async (sql) => Number((await sql.unsafe(`select count(*) as n from ${table}`))[0]!.n))
const target = (url: string) => `PostgreSQL at 127.0.0.1:5432${new URL(url).pathname}`

// each command is a process of its own (several seconds on a loaded machine)
describe.skipIf(!serverUrl)('the CLI with DATABASE_URL', { timeout: 240_000 }, () => {
  it('migrate applies the migrations once and says where', async () => {
    const url = await createTestDatabase(serverUrl!)
    const first = await cli(['migrate'], url)
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(first.stdout).toContain(`migrations applied to ${target(url)} (this run: `)
    const again = await cli(['migrate'], url)
    expect(again.stdout.trim()).toBe(`migrations applied to ${target(url)} (none pending)`)
  })

  it('keys create, list and revoke on a database never migrated before: only the hash is stored', async () => {
    const url = await createTestDatabase(serverUrl!)
    expect(await cli(['keys', 'list'], url)).toMatchObject({ code: 0, stdout: 'no keys\n' })
    const created = await cli(['keys', 'create', '--name', 'wire-ingest', '--scopes', 'content:write,content:preview'], url)
    expect(created.code).toBe(0)
    const key = created.stdout.trim().split('\n').at(-1)!
    expect(key).toMatch(/^dl_live_[A-Za-z0-9_-]{43}$/)
    const [row] = await asAdmin(url, (sql) => sql`select hash, scopes, revoked_at from api_keys where name = 'wire-ingest'`)
    expect(row).toEqual({ hash: createHash('sha256').update(key).digest('hex'), scopes: ['content:write', 'content:preview'], revoked_at: null })

    const duplicate = await cli(['keys', 'create', '--name', 'wire-ingest', '--scopes', 'admin'], url)
    expect(duplicate.code).toBe(1)
    expect(duplicate.stderr).toContain('a key named "wire-ingest" already exists')
    expect((await cli(['keys', 'create', '--name', 'x', '--scopes', 'superuser'], url)).stderr).toContain('unknown scope "superuser"')

    await cli(['keys', 'create', '--name', 'ops', '--scopes', 'admin'], url)
    expect(await cli(['keys', 'revoke', 'ops'], url)).toMatchObject({ code: 0, stdout: 'revoked key "ops"\n' })
    const again = await cli(['keys', 'revoke', 'ops'], url)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('the key "ops" is already revoked')
    expect((await cli(['keys', 'revoke', 'nobody'], url)).stderr).toContain('no key named "nobody"')

    const list = await cli(['keys', 'list'], url)
    expect(list.code).toBe(0)
    const lines = list.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^ops\tdl_live_\S{4}…\tscopes=admin\tcreated=\S+\tlast-used=-\trevoked=\S+Z$/)
    expect(lines[1]).toMatch(/^wire-ingest\tdl_live_\S{4}…\tscopes=content:write,content:preview\tcreated=\S+\tlast-used=-\tactive$/)
    expect(list.stdout).not.toContain(key)
  })

  it('backup and restore say to use pg_dump and pg_restore, exit code 2, never the password', async () => {
    const url = await createTestDatabase(serverUrl!)
    const backup = await cli(['backup', '/tmp/never-written.db'], url)
    expect(backup.code).toBe(2)
    expect(backup.stderr.trim().split('\n')).toEqual(['DATABASE_URL is set: `backup` copies SQLite\'s database file and does not apply to PostgreSQL; back up PostgreSQL with its own tools: pg_dump --format=custom --file=PATH "$DATABASE_URL"'])
    const restore = await cli(['restore', '/tmp/never-written.db'], url)
    expect(restore.code).toBe(2)
    expect(restore.stderr).toMatch(/^DATABASE_URL is set: `restore` .* pg_restore /)
    expect(backup.stderr + restore.stderr).not.toContain(new URL(url).password)
  })

  it('a wrong password: one line naming DATABASE_URL, exit 1, no stack trace', async () => {
    const url = await createTestDatabase(serverUrl!)
    const wrong = withDatabase(url, new URL(url).pathname.slice(1), { user: decodeURIComponent(new URL(url).username), password: 'not-the-password' })
    const result = await cli(['keys', 'list'], wrong)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATABASE_URL: cannot use PostgreSQL at 127\.0\.0\.1:5432\/\w+: authentication failed/)])
  })

  it('seed loads the demo content once', async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
    const url = await createTestDatabase(serverUrl!)
    expect(await cli(['seed'], url)).toMatchObject({ code: 0, stdout: `demo content loaded into ${target(url)}\n` })
    expect(await count(url, 'articles')).toBe(loadDemoContent().stories.length)
    expect(await cli(['seed'], url)).toMatchObject({ code: 0, stdout: 'the database already has articles; nothing loaded\n' })
    expect(await count(url, 'articles')).toBe(loadDemoContent().stories.length)
  })

  it('import wordpress imports the export, and again updates instead of duplicating', async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
    const url = await createTestDatabase(serverUrl!)
    const first = await cli(['import', 'wordpress', FIXTURE], url)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/articles\s+58 created\s+0 updated\s+0 skipped/)
    const again = await cli(['import', 'wordpress', FIXTURE], url)
    expect(again.stdout).toMatch(/articles\s+0 created\s+58 updated\s+0 skipped/)
    expect(await count(url, 'articles')).toBe(58)
    const missingFile = await cli(['import', 'wordpress', '/nonexistent/export.xml'], url)
    expect(missingFile).toMatchObject({ code: 1, stderr: 'import failed: cannot read /nonexistent/export.xml: no such file\n' })
  })
})
