// `npm run cli -- keys create|list|revoke`: manages API keys. The secret is printed once, alone on
// the last line of standard output; only its SHA-256 hash is stored.
import { parseArgs } from 'node:util'
import type { Config } from '../config.js'
import type { Store } from '../db/store.js'
import { type ApiKeyListing, createApiKey, KeyError, listApiKeys, parseScopes, revokeApiKey, type ScopeName } from '../keys/repository.js'
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

// Runs one keys subcommand on either engine's store; returns the exit code.
export async function runKeys (store: Store, args: string[], { out, err, now = Date.now }: KeysIo): Promise<number> {
  try {
    const action = parseAction(args)
    const result = action.kind === 'create'
      ? await createApiKey(store, { name: action.name, scopes: action.scopes, now: now() })
      : action.kind === 'list' ? await listApiKeys(store) : await revokeApiKey(store, action.name, now())
    return report(action, result, out)
  } catch (error) {
    return usageError(error, err)
  }
}

export async function keys (args: string[], { config }: { config: Config }) {
  process.exitCode = await withStore(config, (store) =>
    runKeys(store, args, { out: (line) => console.log(line), err: (line) => console.error(line) }))
}
