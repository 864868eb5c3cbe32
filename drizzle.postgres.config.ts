import { defineConfig } from 'drizzle-kit'

// PostgreSQL migrations: `npx drizzle-kit generate --config drizzle.postgres.config.ts` after
// changing src/db/postgres/schema.ts (drizzle.config.ts is SQLite's)
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './migrations/postgres',
})
