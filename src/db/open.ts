// Opens the configured engine's store and brings its schema up to date: PostgreSQL when
// DATABASE_URL is set (checked first: a one-line PgUnavailableError or MigrationError when it cannot
// be used), else SQLite at DATABASE_PATH. The PostgreSQL modules are imported only when used, so the
// SQLite start-up does not load the PostgreSQL driver.
import type { Config } from '../config.js'
import { runMigrations } from './migrate.js'
import { SqliteStore } from './sqlite/store.js'
import type { Store } from './store.js'

export async function openStore (config: Pick<Config, 'databasePath' | 'databaseUrl'>, { migrate = true } = {}): Promise<Store> {
  if (config.databaseUrl) {
    const { checkPostgres } = await import('./postgres/connection.js')
    const { runPostgresMigrations } = await import('./postgres/migrate.js')
    const { PostgresStore } = await import('./postgres/store.js')
    await checkPostgres(config.databaseUrl)
    const store = PostgresStore.open({ url: config.databaseUrl })
    try {
      if (migrate) await runPostgresMigrations(store.pg, config.databaseUrl)
    } catch (error) {
      await store.close().catch(() => {})
      throw error
    }
    return store
  }
  const store = SqliteStore.open(config.databasePath)
  if (migrate) runMigrations(store.write)
  return store
}
