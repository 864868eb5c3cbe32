// Applies the drizzle-kit migrations in migrations/sqlite/ (idempotent; safe on every start-up).
import { fileURLToPath } from 'node:url'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import type { Db } from './connection.js'

export const migrationsFolder = fileURLToPath(new URL('../../migrations/sqlite', import.meta.url))

export function runMigrations (db: Db): void {
  migrate(db, { migrationsFolder })
}
