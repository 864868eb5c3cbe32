// The real server and command-line tool with DATABASE_URL on a real PostgreSQL server: PostgreSQL
// serving is not available yet, so the server stops with one line saying so (after checking the
// server can be used); a wrong password is one line naming DATABASE_URL.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { startWithDatabaseUrl } from '../e2e/process.js'
import { createTestDatabase, testPostgresUrl, withDatabase } from '../postgres.js'

const serverUrl = await testPostgresUrl()

describe.skipIf(!serverUrl)('server and CLI with DATABASE_URL', () => {
  it('a reachable PostgreSQL: exit 1 with one line saying PostgreSQL serving is not available yet; nothing created', async () => {
    const url = await createTestDatabase(serverUrl!)
    const result = await startWithDatabaseUrl(url)
    expect(result.code).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^DATABASE_URL: PostgreSQL at 127\.0\.0\.1:5432\/dateline_test_\w+ is reachable, but this version of Dateline cannot serve from PostgreSQL yet/)
    expect(result.stderr).not.toContain(new URL(url).password)
    expect(result.stdout).toBe('')
    expect(result.sqliteCreated).toBe(false)
  })

  it('a wrong password: exit 1, one line naming DATABASE_URL', async () => {
    const url = await createTestDatabase(serverUrl!)
    const wrong = withDatabase(url, new URL(url).pathname.slice(1), { user: decodeURIComponent(new URL(url).username), password: 'not-the-password' })
    const result = await startWithDatabaseUrl(wrong)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual([
      `DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:5432${new URL(url).pathname}: authentication failed (password authentication failed for user "${decodeURIComponent(new URL(url).username)}")`,
    ])
    expect(result.sqliteCreated).toBe(false)
  })

  it('a database that does not exist: exit 1, one line naming DATABASE_URL', async () => {
    const missing = withDatabase(serverUrl!, 'dateline_test_never_created')
    const result = await startWithDatabaseUrl(missing)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual(['DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:5432/dateline_test_never_created: database "dateline_test_never_created" does not exist'])
  })

  it('CLI commands other than migrate refuse with one line', async () => {
    const url = await createTestDatabase(serverUrl!)
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'keys', 'list'], {
      env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', timeout: 30_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual(['DATABASE_URL: `keys` is not available on PostgreSQL yet in this version of Dateline (only `migrate` is); unset DATABASE_URL to use SQLite at DATABASE_PATH'])
  })
})
