// `npm run cli -- openapi`: writes openapi/openapi.json from a fresh in-memory app.
import { existsSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../app.js'
import type { Config } from '../config.js'
import { runMigrations } from '../db/migrate.js'
import { SqliteStore } from '../db/sqlite/store.js'
import { CommandError } from './errors.js'

export const openapiFile = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url))

export async function generateOpenapi (config: Config): Promise<string> {
  const store = SqliteStore.open(':memory:')
  runMigrations(store.write)
  const app = await buildApp({ store, config })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    await store.close()
  }
}

// A development command: the file belongs to a source checkout, which an installed build (the
// container image) is not; there the running server serves the same document at GET /openapi.json.
export async function writeOpenapi (_args: string[], { config }: { config: Config }, file = openapiFile) {
  if (!existsSync(dirname(file))) {
    throw new CommandError(`openapi is a development command: it regenerates openapi/openapi.json in a source checkout (npm run openapi), and ${dirname(file)} does not exist here. A running server serves the same document at GET /openapi.json.`)
  }
  writeFileSync(file, await generateOpenapi(config))
  console.log(`wrote ${file}`)
}
