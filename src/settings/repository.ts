// Values the server makes once and every node shares (the `settings` table), such as the secret
// that signs cursors when CURSOR_SECRET is not configured.
import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Config } from '../config.js'
import type { Db } from '../db/connection.js'
import { settings } from '../db/schema.js'

const readSetting = (db: Db, key: string): string | undefined =>
  db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value

// The stored value of `key`, made by `make` and stored the first time. The insert is
// INSERT ... ON CONFLICT DO NOTHING (as INSERT OR IGNORE) and the value is read back, so two
// processes starting at once on one database both end up with the value that was stored first.
export function readOrCreateSetting (db: Db, key: string, make: () => string): string {
  const stored = readSetting(db, key)
  if (stored !== undefined) return stored
  db.insert(settings).values({ key, value: make() }).onConflictDoNothing().run()
  return readSetting(db, key)!
}

export const CURSOR_SECRET_SETTING = 'cursor_secret'

// The server's signing secret: the HMAC key of pagination cursors (and of anything else the server
// signs for clients to hand back, such as future sync tokens). CURSOR_SECRET when it is set;
// otherwise 32 random bytes made once and kept in the database, so every node and every restart
// on that database agree.
export function signingSecret (db: Db, config: Pick<Config, 'cursorSecret'>): string {
  return config.cursorSecret ?? readOrCreateSetting(db, CURSOR_SECRET_SETTING, () => randomBytes(32).toString('base64url'))
}
