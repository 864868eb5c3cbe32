// SQLite backup and restore for the `backup`/`restore` CLI commands (cli/backup.ts): a consistent
// online copy through SQLite's backup API (safe while the server serves and writes), verified by
// integrity_check, and a restore that replaces a stopped database file.
import { copyFileSync, existsSync, openSync, fsyncSync, closeSync, renameSync, rmSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { CommandError } from '../../cli/errors.js'
import type { Db } from '../connection.js'

export interface DatabaseSummary {
  path: string
  integrity: string
  pages: number
  pageSize: number
  bytes: number
  articles: number
}

export class BackupError extends CommandError {}

// Opens a database file on its own, runs integrity_check and counts what it holds.
export function inspectDatabaseFile (path: string): DatabaseSummary {
  if (!existsSync(path)) throw new BackupError(`${path} does not exist`)
  let sqlite
  try {
    sqlite = new Database(path, { fileMustExist: true })
    const integrity = (sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((row) => row.integrity_check).join('; ')
    const pages = sqlite.pragma('page_count', { simple: true }) as number
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number
    const articles = (sqlite.prepare('select count(*) as n from articles').get() as { n: number }).n
    return { path, integrity, pages, pageSize, bytes: statSync(path).size, articles }
  } catch (error) {
    if (error instanceof Database.SqliteError) throw new BackupError(`${path} is not a Dateline database: ${error.message}`)
    throw error
  } finally {
    sqlite?.close()
  }
}

export interface BackupOptions {
  // pages copied per step; the event loop (and the server's writes) run between steps
  pagesPerStep?: number
  onStep?: (progress: { totalPages: number, remainingPages: number }) => void
}

// Copies the live database to dest through a temporary file, verifies it, then renames it into place.
export async function backupDatabase (db: Db, dest: string, options: BackupOptions = {}): Promise<DatabaseSummary> {
  const partial = `${dest}.partial-${process.pid}`
  rmSync(partial, { force: true })
  try {
    await db.$client.backup(partial, {
      progress: (progress) => {
        options.onStep?.(progress)
        return options.pagesPerStep ?? 1000
      },
    })
    const summary = inspectDatabaseFile(partial)
    if (summary.integrity !== 'ok') throw new BackupError(`the copy failed its integrity check: ${summary.integrity}`)
    renameSync(partial, dest)
    return { ...summary, path: dest }
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${partial}${suffix}`, { force: true })
  }
}

// True when another connection has the database open: leaving WAL mode needs exclusive access.
export function isDatabaseInUse (path: string): boolean {
  if (!existsSync(path)) return false
  const sqlite = new Database(path, { fileMustExist: true, timeout: 0 })
  try {
    return sqlite.pragma('journal_mode = DELETE', { simple: true }) !== 'delete'
  } catch (error) {
    if (error instanceof Database.SqliteError && /BUSY|LOCKED/.test(error.code)) return true
    throw error
  } finally {
    sqlite.close()
  }
}

// Replaces the database at target with a verified backup: copy to a temporary file, fsync, rename.
export function restoreDatabase (backup: string, target: string): DatabaseSummary {
  const summary = inspectDatabaseFile(backup)
  if (summary.integrity !== 'ok') throw new BackupError(`${backup} failed its integrity check: ${summary.integrity}`)
  if (isDatabaseInUse(target)) throw new BackupError(`${target} is in use: stop the server before restoring`)
  const incoming = `${target}.restore-${process.pid}`
  copyFileSync(backup, incoming)
  const fd = openSync(incoming, 'r+')
  try { fsyncSync(fd) } finally { closeSync(fd) }
  // a stale WAL beside the new file would be replayed into it
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true })
  renameSync(incoming, target)
  return { ...summary, path: target }
}
