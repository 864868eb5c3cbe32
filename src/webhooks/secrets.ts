// Endpoint secrets: made here (`whsec_` + base64 of 32 random bytes), shown to the client once, and
// stored ENCRYPTED (AES-256-GCM), not hashed: the server must sign every delivery with the secret
// itself, so a hash would be useless; encryption keeps a database dump alone from signing. The key
// lives outside the database:
// - WEBHOOK_SECRET_KEY (any string of 32+ characters; its SHA-256 is the AES key): required on
//   PostgreSQL, where every node must share it, and recommended everywhere;
// - otherwise, on SQLite only, a random key in a file beside the database (`<DATABASE_PATH>.webhook-key`,
//   mode 0600, made on first use): a copy of the .db file alone cannot sign, and the embedded
//   default keeps working with no configuration. Back the file up with the database.
// With neither (PostgreSQL without the variable) creating an endpoint is refused (503) and the
// dispatcher leaves webhook deliveries pending; CDN purges (signed with CDN_PURGE_WEBHOOK_SECRET or
// not signed at all) still go out.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import type { Config } from '../config.js'

export const SECRET_PREFIX = 'whsec_'

export const newSecret = () => SECRET_PREFIX + randomBytes(32).toString('base64')

export interface SecretBox {
  seal (secret: string): string
  open (sealed: string): string
}

export function secretBox (key: Buffer): SecretBox {
  return {
    seal (secret) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
    },
    open (sealed) {
      const raw = Buffer.from(sealed.replace(/^v1:/, ''), 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

// The AES key, or null when none is configured (PostgreSQL without WEBHOOK_SECRET_KEY).
export function loadSecretKey (config: Pick<Config, 'databasePath' | 'databaseUrl' | 'webhooks'>): Buffer | null {
  if (config.webhooks.secretKey) return createHash('sha256').update(config.webhooks.secretKey).digest()
  if (config.databaseUrl || config.databasePath === ':memory:') return null
  const file = `${config.databasePath}.webhook-key`
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  try {
    // 'wx': two processes starting at once: one writes, the other reads the winner's key
    const fd = openSync(file, 'wx', 0o600)
    writeSync(fd, randomBytes(32).toString('base64') + '\n')
    closeSync(fd)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
}

// Standard Webhooks: `v1,` + base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with the bytes
// of the secret after `whsec_`; several secrets (a rotation) give space-separated signatures.
export function signature (secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')
    return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
  }).join(' ')
}
