// `npm run cli -- openapi`: writes openapi/openapi.json from a fresh in-memory app.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../app.js'
import type { Config } from '../config.js'
import { closeDb, openDb } from '../db/connection.js'
import { runMigrations } from '../db/migrate.js'

export const openapiFile = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url))

export async function generateOpenapi (config: Config): Promise<string> {
  const db = openDb({ path: ':memory:' })
  runMigrations(db)
  const app = await buildApp({ db, config })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    closeDb(db)
  }
}

export async function writeOpenapi (_args: string[], { config }: { config: Config }) {
  writeFileSync(openapiFile, await generateOpenapi(config))
  console.log(`wrote ${openapiFile}`)
}
