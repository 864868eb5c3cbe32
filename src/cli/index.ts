#!/usr/bin/env node
// `npm run cli -- <command>` (compiled: `dateline <command>`, the package's bin): the command-line
// tool. Reads the same environment as the server and applies pending migrations before any command.
import { loadConfig, ConfigError } from '../config.js'
import { closeDb, openDb } from '../db/connection.js'
import { runMigrations } from '../db/migrate.js'
import { importCommand } from './import.js'
import { keys } from './keys.js'
import { backup, restore } from './backup.js'
import { CommandError } from './errors.js'
import { writeOpenapi } from './openapi.js'
import { seed } from './seed.js'

type Command = (args: string[], ctx: { config: ReturnType<typeof loadConfig> }) => Promise<void> | void

// `postgres`: what the command does when DATABASE_URL is set ('own': it handles it; 'none': it
// uses no database; absent: not available on PostgreSQL yet)
const commands: Record<string, { summary: string, run: Command, postgres?: 'own' | 'none' }> = {
  migrate: {
    summary: 'apply pending database migrations',
    postgres: 'own',
    run: async (_args, { config }) => {
      if (config.databaseUrl) return migratePostgres(config.databaseUrl)
      const db = openDb({ path: config.databasePath })
      try { runMigrations(db) } finally { closeDb(db) }
      console.log(`migrations applied to ${config.databasePath}`)
    },
  },
  seed: { summary: 'load the demo content (on a database without articles)', run: seed },
  import: { summary: 'import wordpress FILE.xml: import a WordPress export (WXR)', run: importCommand },
  keys: { summary: 'manage API keys: keys create --name NAME --scopes a,b | keys list | keys revoke NAME', run: keys },
  openapi: { summary: 'regenerate openapi/openapi.json from the routes (development, in a source checkout)', run: writeOpenapi, postgres: 'none' },
  backup: { summary: 'backup PATH: consistent copy of the live database, integrity-checked', run: backup },
  restore: { summary: 'restore PATH: replace the (stopped) database with a verified backup', run: restore },
}

// Imported only when DATABASE_URL is set, so SQLite commands do not load the PostgreSQL driver.
async function migratePostgres (url: string) {
  const { closePg, describeTarget, openPg } = await import('../db/postgres/connection.js')
  const { runPostgresMigrations } = await import('../db/postgres/migrate.js')
  const db = openPg({ url, max: 1 })
  try {
    const { applied } = await runPostgresMigrations(db, url)
    console.log(`migrations applied to PostgreSQL at ${describeTarget(url)} (${applied.length ? `this run: ${applied.join(', ')}` : 'none pending'})`)
  } finally {
    await closePg(db).catch(() => {})
  }
}

function usage (): string {
  return ['usage: npm run cli -- <command> [args]   (compiled, as in the container image: dateline <command> [args])', '', 'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`),
    `  ${'help'.padEnd(16)}print this list`].join('\n')
}

async function main (argv: string[]) {
  const [name, ...args] = argv
  if (name === 'help' || name === '--help' || name === '-h') {
    console.log(usage())
    return
  }
  const command = name ? commands[name] : undefined
  if (!command) {
    console.error(name ? `unknown command "${name}"\n\n${usage()}` : usage())
    process.exitCode = 2
    return
  }
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exitCode = 1
      return
    }
    throw error
  }
  if (config.databaseUrl && !command.postgres) {
    console.error(`DATABASE_URL: \`${name}\` is not available on PostgreSQL yet in this version of Dateline (only \`migrate\` is); unset DATABASE_URL to use SQLite at DATABASE_PATH`)
    process.exitCode = 1
    return
  }
  try {
    await command.run(args, { config })
  } catch (error) {
    if (!(error instanceof CommandError) && !(error instanceof Error && error.name === 'MigrationError')) throw error
    console.error(error.message)
    process.exitCode = 1
  }
}

await main(process.argv.slice(2))
