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

// `sqliteOnly`: the command works on SQLite's file only; with DATABASE_URL set it says what to use
// instead and exits with 2
const commands: Record<string, { summary: string, run: Command, sqliteOnly?: string }> = {
  migrate: {
    summary: 'apply pending database migrations',
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
  openapi: { summary: 'regenerate openapi/openapi.json from the routes (development, in a source checkout)', run: writeOpenapi },
  backup: {
    summary: 'backup PATH: consistent copy of the live database, integrity-checked (SQLite)',
    run: backup,
    sqliteOnly: 'back up PostgreSQL with its own tools: pg_dump --format=custom --file=PATH "$DATABASE_URL"',
  },
  restore: {
    summary: 'restore PATH: replace the (stopped) database with a verified backup (SQLite)',
    run: restore,
    sqliteOnly: 'restore PostgreSQL with its own tools: pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" PATH',
  },
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
  if (config.databaseUrl && command.sqliteOnly) {
    console.error(`DATABASE_URL is set: \`${name}\` copies SQLite's database file and does not apply to PostgreSQL; ${command.sqliteOnly}`)
    process.exitCode = 2
    return
  }
  try {
    await command.run(args, { config })
  } catch (error) {
    // a user's mistake or a database that cannot be used: one line, no stack trace
    const oneLine = error instanceof CommandError || (error instanceof Error && (error.name === 'MigrationError' || error.name === 'PgUnavailableError'))
    if (!oneLine) throw error
    console.error(error.message)
    process.exitCode = 1
  }
}

await main(process.argv.slice(2))
