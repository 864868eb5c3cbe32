// The store a CLI command works on: the configured engine (PostgreSQL when DATABASE_URL is set, else
// SQLite at DATABASE_PATH), migrated first, closed when the command ends.
import type { Config } from '../config.js'
import { openStore } from '../db/open.js'
import type { Store } from '../db/store.js'

export async function withStore<T> (config: Config, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config)
  try {
    return await run(store)
  } finally {
    await store.close()
  }
}

// Where the command wrote, for its summary line (never the password).
export async function describeDatabase (config: Config): Promise<string> {
  if (!config.databaseUrl) return config.databasePath
  const { describeTarget } = await import('../db/postgres/connection.js')
  return `PostgreSQL at ${describeTarget(config.databaseUrl)}`
}
