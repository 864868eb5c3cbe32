// `npm run cli -- backup PATH` and `restore PATH`: a consistent online copy of the database through
// SQLite's backup API (safe while the server serves and writes), verified by integrity_check
// (db/sqlite/backup.ts).
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Config } from '../config.js'
import { closeDb, openDb } from '../db/connection.js'
import { runMigrations } from '../db/migrate.js'
import { backupDatabase, BackupError, restoreDatabase, type DatabaseSummary } from '../db/sqlite/backup.js'

const describeSummary = (s: DatabaseSummary) =>
  `${s.pages} pages of ${s.pageSize} bytes (${s.bytes} bytes), ${s.articles} articles, integrity ${s.integrity}`

// The backup's directory must exist and be writable by this process (in the container image: the
// user node, uid 1000, which a directory mounted from the host may not allow).
function checkTargetDirectory (dir: string) {
  if (!existsSync(dir)) throw new BackupError(`directory ${dir} does not exist; create it first`)
  if (!statSync(dir).isDirectory()) throw new BackupError(`${dir} is not a directory`)
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    throw new BackupError(`directory ${dir} is not writable by this user (uid ${process.getuid?.() ?? '?'})`)
  }
}

export async function backup (args: string[], { config }: { config: Config }) {
  const [dest] = args
  if (!dest) throw new BackupError('usage: npm run cli -- backup PATH')
  if (existsSync(dest)) throw new BackupError(`${dest} already exists; choose a new file name`)
  checkTargetDirectory(dirname(dest))
  const db = openDb({ path: config.databasePath })
  try {
    runMigrations(db)
    const summary = await backupDatabase(db, dest)
    console.log(`backup of ${config.databasePath} written to ${dest}: ${describeSummary(summary)}`)
  } finally {
    closeDb(db)
  }
}

export function restore (args: string[], { config }: { config: Config }) {
  const [source] = args
  if (!source) throw new BackupError('usage: npm run cli -- restore PATH')
  const summary = restoreDatabase(source, config.databasePath)
  console.log(`restored ${config.databasePath} from ${source}: ${describeSummary(summary)}`)
}
