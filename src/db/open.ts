// Opens the configured engine's store, brings its schema up to date and (when asked) loads the demo
// content into an empty database: PostgreSQL when DATABASE_URL is set (checked first: a one-line
// PgUnavailableError or MigrationError when it cannot be used; migrations run under an advisory
// lock, one transaction each, so nothing is left half-migrated), else SQLite at DATABASE_PATH. The
// PostgreSQL modules are imported only when used, so the SQLite start-up does not load the driver.
import type { Config } from '../config.js'
import { seedDemoContentIfEmpty } from '../demo/seed.js'
import { runMigrations } from './migrate.js'
import { SqliteStore } from './sqlite/store.js'
import type { Store } from './store.js'

export interface OpenStoreOptions {
  migrate?: boolean
  // load the demo content when the database has no article (DEMO_CONTENT)
  demoContent?: boolean
  // PostgreSQL: a streaming replica for delivery reads (DATABASE_READ_URL; the server only)
  readUrl?: string
  // PostgreSQL: statement_timeout of the pooled connections, in ms (STATEMENT_TIMEOUT_MS; the server
  // only: the CLI's imports and restores may run longer). Migrations lift it on their connection.
  statementTimeout?: number
}

export async function openStore (config: Pick<Config, 'databasePath' | 'databaseUrl'> & Partial<Pick<Config, 'databasePoolSize'>>, { migrate = true, demoContent = false, readUrl, statementTimeout }: OpenStoreOptions = {}): Promise<Store> {
  let store: Store
  if (config.databaseUrl) {
    const { checkPostgres } = await import('./postgres/connection.js')
    const { runPostgresMigrations } = await import('./postgres/migrate.js')
    const { PostgresStore } = await import('./postgres/store.js')
    await checkPostgres(config.databaseUrl)
    const pgStore = PostgresStore.open({ url: config.databaseUrl, max: config.databasePoolSize, statementTimeout }, readUrl)
    store = pgStore
    try {
      if (migrate) await runPostgresMigrations(pgStore.pg, config.databaseUrl)
    } catch (error) {
      await store.close().catch(() => {})
      throw error
    }
  } else {
    const sqliteStore = SqliteStore.open(config.databasePath)
    store = sqliteStore
    try {
      if (migrate) runMigrations(sqliteStore.write)
    } catch (error) {
      await store.close().catch(() => {})
      throw error
    }
  }
  try {
    if (demoContent) await seedDemoContentIfEmpty(store)
  } catch (error) {
    await store.close().catch(() => {})
    // PostgreSQL refused the demo content (a statement cancelled at STATEMENT_TIMEOUT_MS, the server
    // going away): one line, as for the checks and migrations above
    const code = (error as { code?: unknown }).code
    if (config.databaseUrl && typeof code === 'string') {
      const { PgUnavailableError } = await import('./postgres/connection.js')
      const hint = code === '57014' && statementTimeout ? ` (STATEMENT_TIMEOUT_MS is ${statementTimeout})` : ''
      throw new PgUnavailableError(`DATABASE_URL: loading the demo content failed: ${(error as Error).message.split('\n')[0]}${hint}`, { cause: error })
    }
    throw error
  }
  return store
}
