// Online backup and restore: a consistent, integrity-checked copy while another connection writes;
// restore replaces a stopped database and refuses a live one or a damaged backup.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { backupDatabase, BackupError, inspectDatabaseFile, restoreDatabase } from '../../src/db/sqlite/backup.js'
import { closeDb, openDb, type Db } from '../../src/db/connection.js'
import { runMigrations } from '../../src/db/migrate.js'
import { insertArticle, insertArticles, insertSection, type ArticleInput } from '../fixtures.js'

const dirs: string[] = []
const dbs: Array<Db | Database.Database> = []
afterEach(() => {
  for (const db of dbs.splice(0)) ('$client' in db ? closeDb(db) : db.open && db.close())
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir () {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-backup-'))
  dirs.push(dir)
  return dir
}

function newDatabase (path: string) {
  const db = openDb({ path })
  dbs.push(db)
  runMigrations(db)
  insertSection(db, { slug: 'news', name: 'News' })
  return db
}

const story = (n: number): ArticleInput => ({ slug: `story-${n}`, section: 'news', headline: `Story ${n}`, body: [{ type: 'paragraph', text: 'x'.repeat(800) }] })

const articleIds = (path: string) => {
  const sqlite = new Database(path, { readonly: true })
  try {
    return (sqlite.prepare('select id from articles order by id').all() as Array<{ id: number }>).map((r) => r.id)
  } finally {
    sqlite.close()
  }
}

describe('backup', () => {
  it('copies every row committed before it started, consistently, while another connection keeps writing', async () => {
    const dir = tempDir()
    const db = newDatabase(join(dir, 'live.db'))
    const before = 1500
    insertArticles(db, Array.from({ length: before }, (_, i) => story(i + 1)))
    const writer = openDb({ path: join(dir, 'live.db') })
    dbs.push(writer)

    let steps = 0
    let written = 0
    const summary = await backupDatabase(db, join(dir, 'copy.db'), {
      pagesPerStep: 50,
      onStep: () => {
        steps++
        // a bounded stream of writes from "the server", one between each pair of backup steps
        if (written < 100) insertArticle(writer, story(before + ++written))
      },
    })

    expect(steps).toBeGreaterThan(5)
    expect(written).toBeGreaterThan(5)
    expect(summary.integrity).toBe('ok')
    expect(inspectDatabaseFile(join(dir, 'copy.db')).integrity).toBe('ok')
    const copied = articleIds(join(dir, 'copy.db'))
    // a snapshot: all rows from before the backup, then a gap-free prefix of the later writes
    expect(copied.length).toBeGreaterThanOrEqual(before)
    expect(copied.length).toBeLessThanOrEqual(before + written)
    expect(copied).toEqual(Array.from({ length: copied.length }, (_, i) => i + 1))
    expect(summary.articles).toBe(copied.length)
    expect(existsSync(join(dir, `copy.db.partial-${process.pid}`))).toBe(false)
  })

  it('runs as `npm run cli -- backup PATH` and prints the summary', async () => {
    const dir = tempDir()
    const db = newDatabase(join(dir, 'live.db'))
    for (let n = 1; n <= 3; n++) insertArticle(db, story(n))
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['src/cli/index.ts', 'backup', join(dir, 'copy.db')], {
      env: { ...process.env, DATABASE_PATH: join(dir, 'live.db'), DEMO_CONTENT: 'false' },
    })
    expect(stdout).toMatch(/written to .*copy\.db: \d+ pages of \d+ bytes \(\d+ bytes\), 3 articles, integrity ok/)
    expect(articleIds(join(dir, 'copy.db'))).toEqual([1, 2, 3])
  })

  it('names a missing target directory in one line with exit code 1, not a stack trace', async () => {
    const dir = tempDir()
    newDatabase(join(dir, 'live.db'))
    const failure = await promisify(execFile)('node_modules/.bin/tsx', ['src/cli/index.ts', 'backup', join(dir, 'nowhere', 'copy.db')], {
      env: { ...process.env, DATABASE_PATH: join(dir, 'live.db'), DEMO_CONTENT: 'false' },
    }).then(() => null, (error: { code: number, stderr: string }) => error)
    expect(failure?.code).toBe(1)
    expect(failure?.stderr.trim()).toBe(`directory ${join(dir, 'nowhere')} does not exist; create it first`)
    expect(existsSync(join(dir, 'nowhere'))).toBe(false)
  })

  it('names a target directory that is a file, in one line with exit code 1', async () => {
    const dir = tempDir()
    newDatabase(join(dir, 'live.db'))
    writeFileSync(join(dir, 'file'), 'x')
    const failure = await promisify(execFile)('node_modules/.bin/tsx', ['src/cli/index.ts', 'backup', join(dir, 'file', 'copy.db')], {
      env: { ...process.env, DATABASE_PATH: join(dir, 'live.db'), DEMO_CONTENT: 'false' },
    }).then(() => null, (error: { code: number, stderr: string }) => error)
    expect(failure?.code).toBe(1)
    expect(failure?.stderr.trim()).toBe(`${join(dir, 'file')} is not a directory`)
  })
})

describe('restore', () => {
  it('replaces a stopped database with the backup and removes its stale WAL files', async () => {
    const dir = tempDir()
    const live = newDatabase(join(dir, 'live.db'))
    for (let n = 1; n <= 5; n++) insertArticle(live, story(n))
    await backupDatabase(live, join(dir, 'copy.db'))
    for (let n = 6; n <= 9; n++) insertArticle(live, story(n))
    closeDb(live)
    writeFileSync(join(dir, 'live.db-wal'), 'stale')

    const summary = restoreDatabase(join(dir, 'copy.db'), join(dir, 'live.db'))

    expect(summary).toMatchObject({ integrity: 'ok', articles: 5 })
    expect(existsSync(join(dir, 'live.db-wal'))).toBe(false)
    expect(articleIds(join(dir, 'live.db'))).toEqual([1, 2, 3, 4, 5])
    expect(inspectDatabaseFile(join(dir, 'live.db')).integrity).toBe('ok')
  })

  it('refuses to restore over a database that is open (the server is running)', async () => {
    const dir = tempDir()
    const live = newDatabase(join(dir, 'live.db'))
    insertArticle(live, story(1))
    await backupDatabase(live, join(dir, 'copy.db'))
    insertArticle(live, story(2))

    expect(() => restoreDatabase(join(dir, 'copy.db'), join(dir, 'live.db'))).toThrow(/in use/)
    expect(articleIds(join(dir, 'live.db'))).toEqual([1, 2])
  })

  it('refuses a damaged or foreign backup and leaves the database alone', async () => {
    const dir = tempDir()
    const live = newDatabase(join(dir, 'live.db'))
    insertArticle(live, story(1))
    closeDb(live)
    writeFileSync(join(dir, 'junk.db'), 'SQLite format 3\0'.padEnd(8192, 'x'))
    const foreign = new Database(join(dir, 'foreign.db'))
    foreign.exec('create table t (x)')
    foreign.close()

    expect(() => restoreDatabase(join(dir, 'junk.db'), join(dir, 'live.db'))).toThrow(BackupError)
    expect(() => restoreDatabase(join(dir, 'foreign.db'), join(dir, 'live.db'))).toThrow(/not a Dateline database/)
    expect(() => restoreDatabase(join(dir, 'missing.db'), join(dir, 'live.db'))).toThrow(/does not exist/)
    expect(articleIds(join(dir, 'live.db'))).toEqual([1])
  })
})
