// The only entry point that listens: config from the environment, database, migrations, demo
// content, then buildApp and listen; SIGTERM/SIGINT close gracefully.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { runMigrations } from './db/migrate.js'
import { SqliteStore } from './db/sqlite/store.js'
import { seedDemoContentIfEmpty } from './demo/seed.js'

async function main () {
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  if (config.databaseUrl) {
    // the PostgreSQL engine has its schema and migrations, not yet its repositories: say so (after
    // checking the URL leads to a usable server) rather than serve half an API. Imported here so
    // that the SQLite start-up does not load the PostgreSQL driver.
    const { checkPostgres, describeTarget, PgUnavailableError } = await import('./db/postgres/connection.js')
    try {
      await checkPostgres(config.databaseUrl)
    } catch (error) {
      if (!(error instanceof PgUnavailableError)) throw error
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    process.stderr.write(`DATABASE_URL: PostgreSQL at ${describeTarget(config.databaseUrl)} is reachable, but this version of Dateline cannot serve from PostgreSQL yet (only \`npm run cli -- migrate\` works on it); unset DATABASE_URL to serve from SQLite at DATABASE_PATH\n`)
    process.exit(1)
  }
  const store = SqliteStore.open(config.databasePath)
  runMigrations(store.write)
  if (config.demoContent) seedDemoContentIfEmpty(store.write)

  const app = await buildApp({
    store,
    config,
    logger: process.stdout.isTTY && process.env.NODE_ENV !== 'production'
      ? { level: config.logLevel, transport: { target: 'pino-pretty' } }
      : { level: config.logLevel },
  })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'closing')
    await app.close()
    // after app.close(): onClose hooks run last-registered first, and the page-view buffer's final
    // flush (an onClose hook) must still find the database open
    await store.close()
  })

  await app.listen({ host: config.host, port: config.port })
}

await main()
