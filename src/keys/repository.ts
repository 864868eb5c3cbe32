// API keys: creation (the secret is shown once), lookup by hash, listing and revocation.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { apiKeys } from '../db/schema.js'

export const SCOPES = ['content:write', 'content:preview', 'admin'] as const
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

export function createApiKey (db: Db, { name, scopes, now }: { name: string, scopes: ScopeName[], now: number }): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new KeyError('--name must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit')
  }
  if (db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.name, name)).get()) {
    throw new KeyError(`a key named "${name}" already exists`)
  }
  const key = KEY_PREFIX + randomBytes(32).toString('base64url')
  db.insert(apiKeys).values({
    name, prefix: key.slice(0, KEY_PREFIX.length + 4), hash: hashKey(key), scopes: JSON.stringify(scopes), createdAt: now,
  }).run()
  return key
}

export function listApiKeys (db: Db): ApiKeyListing[] {
  return db.select({
    name: apiKeys.name,
    prefix: apiKeys.prefix,
    scopes: apiKeys.scopes,
    createdAt: apiKeys.createdAt,
    lastUsedAt: apiKeys.lastUsedAt,
    revokedAt: apiKeys.revokedAt,
  }).from(apiKeys).orderBy(apiKeys.name).all()
    .map((row) => ({ ...row, scopes: JSON.parse(row.scopes) as ScopeName[] }))
}

export function revokeApiKey (db: Db, name: string, now: number): void {
  const row = db.select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.name, name)).get()
  if (!row) throw new KeyError(`no key named "${name}"`)
  if (row.revokedAt !== null) throw new KeyError(`the key "${name}" is already revoked`)
  db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, row.id)).run()
}

// The active key for a bearer token, or null. The lookup is by hash (indexed); the stored hash is
// then compared in constant time so the answer does not depend on how much of it matched.
export function findActiveKey (db: Db, token: string, now: number): ApiKeyPrincipal | null {
  if (!looksLikeKey(token)) return null
  const hash = hashKey(token)
  const row = db.select().from(apiKeys).where(eq(apiKeys.hash, hash)).get()
  if (!row || row.revokedAt !== null) return null
  const expected = Buffer.from(row.hash, 'hex')
  const actual = Buffer.from(hash, 'hex')
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
    db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id)).run()
  }
  return { id: row.id, name: row.name, scopes: JSON.parse(row.scopes) as ScopeName[] }
}
