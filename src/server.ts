// The only entry point that listens: config from the environment, the store (SQLite at DATABASE_PATH,
// or PostgreSQL when DATABASE_URL is set: db/open.ts checks, migrates and loads the demo content),
// then buildApp and listen; SIGTERM/SIGINT close the app, then the store.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { openStore } from './db/open.js'

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
  let store
  try {
    store = await openStore(config, { demoContent: config.demoContent, readUrl: config.databaseReadUrl, statementTimeout: config.statementTimeout })
  } catch (error) {
    // a DATABASE_URL that cannot be used (unreachable, wrong password, no unaccent, a failed
    // migration): one line naming the variable, never the password
    const name = (error as Error | undefined)?.name
    if (name !== 'PgUnavailableError' && name !== 'MigrationError') throw error
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  }

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
  // webhook deliveries and CDN purges (webhooks/dispatcher.ts): only a server delivers, not the CLI
  app.webhooks.start()
}

await main()
