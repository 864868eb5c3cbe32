// `npm run cli -- keys create|list|revoke`: manages API keys. The secret is printed once, alone on
// the last line of standard output; only its SHA-256 hash is stored.
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import { closeDb, openDb, type Db } from '../db/connection.js'
import { runMigrations } from '../db/migrate.js'
import { createApiKey, KeyError, listApiKeys, parseScopes, revokeApiKey } from '../keys/repository.js'

export interface KeysIo {
  out: (line: string) => void
  err: (line: string) => void
  now?: () => number
}

const USAGE = [
  'usage:',
  '  keys create --name NAME --scopes content:write,content:preview,admin',
  '  keys list',
  '  keys revoke NAME',
].join('\n')

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString())

// Runs one keys subcommand on an open database; returns the exit code.
export function runKeys (db: Db, args: string[], { out, err, now = Date.now }: KeysIo): number {
  const [sub, ...rest] = args
  try {
    if (sub === 'create') {
      const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, scopes: { type: 'string' } }, strict: true })
      if (!values.name) throw new KeyError('--name is required')
      if (values.scopes === undefined) throw new KeyError('--scopes is required')
      const scopes = parseScopes(values.scopes)
      const key = createApiKey(db, { name: values.name, scopes, now: now() })
      out(`created key "${values.name}" with scopes ${scopes.join(',')}; it is shown only this once:`)
      out(key)
      return 0
    }
    if (sub === 'list') {
      if (rest.length > 0) throw new KeyError('keys list takes no arguments')
      const keys = listApiKeys(db)
      if (keys.length === 0) out('no keys')
      for (const k of keys) {
        out(`${k.name}\t${k.prefix}…\tscopes=${k.scopes.join(',')}\tcreated=${iso(k.createdAt)}\tlast-used=${iso(k.lastUsedAt)}\t${k.revokedAt === null ? 'active' : `revoked=${iso(k.revokedAt)}`}`)
      }
      return 0
    }
    if (sub === 'revoke') {
      if (rest.length !== 1 || !rest[0]) throw new KeyError('keys revoke takes exactly one key name')
      revokeApiKey(db, rest[0], now())
      out(`revoked key "${rest[0]}"`)
      return 0
    }
    throw new KeyError(sub ? `unknown keys command "${sub}"` : 'missing keys command')
  } catch (error) {
    if (error instanceof KeyError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`error: ${(error as Error).message}\n\n${USAGE}`)
      return 1
    }
    throw error
  }
}

export function keys (args: string[], { config }: { config: Config }) {
  const db = openDb({ path: config.databasePath })
  try {
    runMigrations(db)
    process.exitCode = runKeys(db, args, { out: (line) => console.log(line), err: (line) => console.error(line) })
  } finally {
    closeDb(db)
  }
}
