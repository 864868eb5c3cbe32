// `npm run cli -- keys create|list|revoke`: manages API keys. The secret is printed once, alone on
// the last line of standard output; only its SHA-256 hash is stored.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import type { Db } from '../db/connection.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { Store } from '../db/store.js'
import {
  type ApiKeyListing, createApiKey, hashKey, KEY_PREFIX, KeyError, listApiKeys, parseScopes, revokeApiKey, type ScopeName,
} from '../keys/repository.js'
import { withStore } from './store.js'

export interface KeysIo {
  out: (line: string) => void
  err: (line: string) => void
  now?: () => number
}

const USAGE = [
  'usage:',
  '  keys create --name NAME --scopes content:write,content:preview,webhooks:manage,admin',
  '  keys list',
  '  keys revoke NAME',
].join('\n')

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString())

// What the three subcommands need, on SQLite's connection (runKeys) or on either engine's store
// (runKeysOnStore).
interface KeyOps<R> {
  create (input: { name: string, scopes: ScopeName[], now: number }): R
  list (): R
  revoke (name: string, now: number): R
}

type Action = { kind: 'create', name: string, scopes: ScopeName[] } | { kind: 'list' } | { kind: 'revoke', name: string }

function parseAction (args: string[]): Action {
  const [sub, ...rest] = args
  if (sub === 'create') {
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, scopes: { type: 'string' } }, strict: true })
    if (!values.name) throw new KeyError('--name is required')
    if (values.scopes === undefined) throw new KeyError('--scopes is required')
    return { kind: 'create', name: values.name, scopes: parseScopes(values.scopes) }
  }
  if (sub === 'list') {
    if (rest.length > 0) throw new KeyError('keys list takes no arguments')
    return { kind: 'list' }
  }
  if (sub === 'revoke') {
    if (rest.length !== 1 || !rest[0]) throw new KeyError('keys revoke takes exactly one key name')
    return { kind: 'revoke', name: rest[0] }
  }
  throw new KeyError(sub ? `unknown keys command "${sub}"` : 'missing keys command')
}

// The lines a finished action prints.
function report (action: Action, result: string | ApiKeyListing[] | void, out: (line: string) => void): number {
  if (action.kind === 'create') {
    out(`created key "${action.name}" with scopes ${action.scopes.join(',')}; it is shown only this once:`)
    out(result as string)
  } else if (action.kind === 'list') {
    const keys = result as ApiKeyListing[]
    if (keys.length === 0) out('no keys')
    for (const k of keys) {
      out(`${k.name}\t${k.prefix}…\tscopes=${k.scopes.join(',')}\tcreated=${iso(k.createdAt)}\tlast-used=${iso(k.lastUsedAt)}\t${k.revokedAt === null ? 'active' : `revoked=${iso(k.revokedAt)}`}`)
    }
  } else {
    out(`revoked key "${action.name}"`)
  }
  return 0
}

function usageError (error: unknown, err: (line: string) => void): number {
  if (error instanceof KeyError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    err(`error: ${(error as Error).message}\n\n${USAGE}`)
    return 1
  }
  throw error
}

function perform<R> (ops: KeyOps<R>, action: Action, now: number): R {
  if (action.kind === 'create') return ops.create({ name: action.name, scopes: action.scopes, now })
  if (action.kind === 'list') return ops.list()
  return ops.revoke(action.name, now)
}

// Runs one keys subcommand on an open SQLite database; returns the exit code.
export function runKeys (db: Db, args: string[], { out, err, now = Date.now }: KeysIo): number {
  const ops: KeyOps<string | ApiKeyListing[] | void> = {
    create: (input) => createApiKey(db, input),
    list: () => listApiKeys(db),
    revoke: (name, at) => revokeApiKey(db, name, at),
  }
  try {
    const action = parseAction(args)
    return report(action, perform(ops, action, now()), out)
  } catch (error) {
    return usageError(error, err)
  }
}

// The same on either engine's store, in the neutral SQL of keys/repository.ts (until the keys
// repository is behind the storage seam: then these become `store.repos.keys` calls).
export async function runKeysOnStore (store: Store, args: string[], { out, err, now = Date.now }: KeysIo): Promise<number> {
  try {
    const action = parseAction(args)
    return report(action, await perform(storeKeyOps(store), action, now()), out)
  } catch (error) {
    return usageError(error, err)
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

function storeKeyOps (store: Store): KeyOps<Promise<string | ApiKeyListing[] | void>> {
  const scopesOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as ScopeName[]
  return {
    create: ({ name, scopes, now }) => store.tx(async ({ sql }: { sql: SqlRunner }) => {
      if (!NAME.test(name)) throw new KeyError('--name must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit')
      if (await sql.get('select id from api_keys where name = :name', { name })) throw new KeyError(`a key named "${name}" already exists`)
      const key = KEY_PREFIX + randomBytes(32).toString('base64url')
      await sql.run('insert into api_keys (name, prefix, hash, scopes, created_at) values (:name, :prefix, :hash, :scopes, :now)',
        { name, prefix: key.slice(0, KEY_PREFIX.length + 4), hash: hashKey(key), scopes, now })
      return key
    }),
    list: async () => (await store.repos.sql.all<ApiKeyListing & { scopes: unknown }>(`select name, prefix, scopes, created_at as "createdAt",
        last_used_at as "lastUsedAt", revoked_at as "revokedAt" from api_keys order by name`))
      .map((row) => ({ ...row, scopes: scopesOf(row.scopes) })),
    revoke: (name, now) => store.tx(async ({ sql }) => {
      const row = await sql.get<{ id: number, revokedAt: number | null }>(`select id, revoked_at as "revokedAt" from api_keys where name = :name${store.engine === 'postgres' ? ' for update' : ''}`, { name })
      if (!row) throw new KeyError(`no key named "${name}"`)
      if (row.revokedAt !== null) throw new KeyError(`the key "${name}" is already revoked`)
      await sql.run('update api_keys set revoked_at = :now where id = :id', { id: row.id, now })
    }),
  }
}

export async function keys (args: string[], { config }: { config: Config }) {
  process.exitCode = await withStore(config, (store) =>
    runKeysOnStore(store, args, { out: (line) => console.log(line), err: (line) => console.error(line) }))
}
