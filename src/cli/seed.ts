// `npm run cli -- seed`: loads the demo content into a database that has no articles yet.
import type { Config } from '../config.js'
import { closeDb, openDb } from '../db/connection.js'
import { runMigrations } from '../db/migrate.js'
import { seedDemoContentIfEmpty } from '../demo/seed.js'

export function seed (_args: string[], { config }: { config: Config }) {
  const db = openDb({ path: config.databasePath })
  try {
    runMigrations(db)
    const loaded = seedDemoContentIfEmpty(db)
    console.log(loaded ? `demo content loaded into ${config.databasePath}` : 'the database already has articles; nothing loaded')
  } finally {
    closeDb(db)
  }
}
