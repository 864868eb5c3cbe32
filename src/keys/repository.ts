// API keys: creation (the secret is shown once), lookup by hash, listing and revocation. The same SQL
// on both engines (apiKeysRepository, reached as `store.repos.apiKeys`); the functions at the end
// take a Store (the `keys` CLI command, tests) and run each change in one transaction.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { SqlRunner } from '../db/sql-runner.js'
import type { Store } from '../db/store.js'

export const SCOPES = ['content:write', 'content:preview', 'webhooks:manage', 'admin'] as const
export type ScopeName = typeof SCOPES[number]

export const KEY_PREFIX = 'dl_live_'
// 32 random bytes in base64url are 43 characters
const KEY_PATTERN = /^dl_live_[A-Za-z0-9_-]{43}$/
const LAST_USED_RESOLUTION_MS = 60_000

export interface ApiKeyPrincipal {
  id: number
  name: string
  scopes: ScopeName[]
}

export interface ApiKeyListing {
  name: string
  prefix: string
  scopes: ScopeName[]
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

export interface NewApiKey { name: string, scopes: ScopeName[], now: number }

export class KeyError extends Error {}

export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex')

export const looksLikeKey = (token: string) => KEY_PATTERN.test(token)

export function parseScopes (list: string): ScopeName[] {
  const scopes = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))]
  if (scopes.length === 0) throw new KeyError(`--scopes needs at least one of: ${SCOPES.join(', ')}`)
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s))
  if (unknown.length > 0) throw new KeyError(`unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; scopes are: ${SCOPES.join(', ')}`)
  return scopes as ScopeName[]
}

export interface ApiKeysRepository {
  // Stores a new key and returns its secret (only its hash is kept). KeyError for a bad or taken name.
  create (input: NewApiKey): Promise<string>
  list (): Promise<ApiKeyListing[]>
  // KeyError when there is no such key or it is revoked already.
  revoke (name: string, now: number): Promise<void>
  // The active key for a bearer token, or null.
  findActive (token: string): Promise<(ApiKeyPrincipal & { lastUsedAt: number | null }) | null>
  // Notes that the key was used at `now` (findActiveApiKey does, to the minute).
  markUsed (id: number, now: number): Promise<void>
}

const SQL = {
  byName: 'select id, revoked_at as "revokedAt" from api_keys where name = :name',
  insert: `insert into api_keys (name, prefix, hash, scopes, created_at)
    values (:name, :prefix, :hash, :scopes, :createdAt)`,
  list: `select name, prefix, scopes, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"
    from api_keys order by name`,
  // only a key not revoked yet: of two concurrent revokes (PostgreSQL, READ COMMITTED) one changes it
  revoke: 'update api_keys set revoked_at = :now where id = :id and revoked_at is null',
  byHash: 'select id, name, hash, scopes, last_used_at as "lastUsedAt", revoked_at as "revokedAt" from api_keys where hash = :hash',
  // never backwards (two requests of one minute may write in either order)
  touch: 'update api_keys set last_used_at = :now where id = :id and (last_used_at is null or last_used_at < :now)',
}

// scopes is JSON text on SQLite and jsonb (already parsed) on PostgreSQL
const scopesOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as ScopeName[]

function checkName (name: string) {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new KeyError('--name must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit')
  }
}

function newKey ({ name, scopes, now }: NewApiKey) {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url')
  return { key, row: { name, prefix: key.slice(0, KEY_PREFIX.length + 4), hash: hashKey(key), scopes, createdAt: now } }
}

// The stored hash compared in constant time, so the answer does not depend on how much of it matched.
function sameHash (stored: string, hash: string) {
  const expected = Buffer.from(stored, 'hex')
  const actual = Buffer.from(hash, 'hex')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

type KeyRow = { id: number, name: string, hash: string, scopes: unknown, lastUsedAt: number | null, revokedAt: number | null }

export function apiKeysRepository ({ sql }: { sql: SqlRunner }): ApiKeysRepository {
  return {
    async create (input) {
      checkName(input.name)
      if (await sql.get(SQL.byName, { name: input.name })) throw new KeyError(`a key named "${input.name}" already exists`)
      const { key, row } = newKey(input)
      await sql.run(SQL.insert, row)
      return key
    },
    async list () {
      const rows = await sql.all<ApiKeyListing & { scopes: unknown }>(SQL.list)
      return rows.map((row) => ({ ...row, scopes: scopesOf(row.scopes) }))
    },
    async revoke (name, now) {
      const row = await sql.get<{ id: number, revokedAt: number | null }>(SQL.byName, { name })
      if (!row) throw new KeyError(`no key named "${name}"`)
      if (row.revokedAt !== null || await sql.run(SQL.revoke, { id: row.id, now }) === 0) throw new KeyError(`the key "${name}" is already revoked`)
    },
    // The lookup is by hash (indexed).
    async findActive (token) {
      if (!looksLikeKey(token)) return null
      const hash = hashKey(token)
      const row = await sql.get<KeyRow>(SQL.byHash, { hash })
      if (!row || row.revokedAt !== null || !sameHash(row.hash, hash)) return null
      return { id: row.id, name: row.name, scopes: scopesOf(row.scopes), lastUsedAt: row.lastUsedAt }
    },
    async markUsed (id, now) {
      await sql.run(SQL.touch, { id, now })
    },
  }
}

// The active key for a bearer token, or null. last_used_at is written (in a transaction of its
// own) at most once a minute per key, so most authenticated requests only read.
export async function findActiveApiKey (store: Store, token: string, now: number): Promise<ApiKeyPrincipal | null> {
  const key = await store.repos.apiKeys.findActive(token)
  if (!key) return null
  if (key.lastUsedAt === null || now - key.lastUsedAt >= LAST_USED_RESOLUTION_MS) await store.tx((repos) => repos.apiKeys.markUsed(key.id, now))
  return { id: key.id, name: key.name, scopes: key.scopes }
}

// Each change in one transaction of its own (the `keys` CLI command, tests).
export const createApiKey = (store: Store, input: NewApiKey): Promise<string> => store.tx((repos) => repos.apiKeys.create(input))
export const listApiKeys = (store: Store): Promise<ApiKeyListing[]> => store.repos.apiKeys.list()
export const revokeApiKey = (store: Store, name: string, now: number): Promise<void> => store.tx((repos) => repos.apiKeys.revoke(name, now))
