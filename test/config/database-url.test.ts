// DATABASE_URL at start-up, without a PostgreSQL server: a malformed URL or one that leads nowhere
// stops the real server process with exit code 1 and one line naming the variable (test/postgres/
// covers the cases that need a server).
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { startWithDatabaseUrl } from '../e2e/process.js'
import { freePort } from '../helpers.js'

describe('DATABASE_URL', () => {
  it.each([
    ['mysql://user:secret@db.example.com/dateline'],
    ['not a url'],
    ['postgres://'],
    ['/var/run/postgresql'],
  ])('refuses %s with a message naming the variable and not echoing the value', (value) => {
    expect(() => loadConfig({ DATABASE_URL: value })).toThrow(ConfigError)
    expect(() => loadConfig({ DATABASE_URL: value })).toThrow(/^Invalid configuration: DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/)
    expect(() => loadConfig({ DATABASE_URL: value })).not.toThrow(/secret/)
  })

  it('accepts postgres:// and postgresql:// URLs; unset means SQLite', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db.example.com:5433/dateline' }).databaseUrl).toBe('postgres://u:p@db.example.com:5433/dateline')
    expect(loadConfig({ DATABASE_URL: 'postgresql://db.example.com/dateline?sslmode=require' }).databaseUrl).toBeDefined()
    expect(loadConfig({}).databaseUrl).toBeUndefined()
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined()
  })

  it('DATABASE_POOL_SIZE: 4 by default, a whole number from 1 to 100, else one line naming it', () => {
    expect(loadConfig({}).databasePoolSize).toBe(4)
    expect(loadConfig({ DATABASE_POOL_SIZE: '16' }).databasePoolSize).toBe(16)
    for (const value of ['0', '-1', '2.5', 'ten', '101']) {
      expect(() => loadConfig({ DATABASE_POOL_SIZE: value })).toThrow(/^Invalid configuration: DATABASE_POOL_SIZE: /)
    }
  })

  it('a malformed URL stops the server: exit 1, one line naming DATABASE_URL, no stack trace, no SQLite file', async () => {
    const result = await startWithDatabaseUrl('mysql://user:secret@db.example.com/dateline')
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual(['Invalid configuration: DATABASE_URL: must be a postgres:// or postgresql:// URL such as postgres://user:password@host:5432/dateline'])
    expect(result.stdout).toBe('')
    expect(result.sqliteCreated).toBe(false)
  })

  it('a server that cannot be reached stops the server: exit 1, one line naming DATABASE_URL and where, never the password', async () => {
    const port = await freePort()
    const result = await startWithDatabaseUrl(`postgres://dateline:s3cret-pw@127.0.0.1:${port}/dateline`)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual([`DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:${port}/dateline: connection refused (is PostgreSQL running and listening there?)`])
    expect(result.stderr).not.toContain('s3cret-pw')
    expect(result.stdout).toBe('')
    expect(result.sqliteCreated).toBe(false)
  })
})
