// Values the server makes once and every node shares (the `settings` table), such as the secret
// that signs cursors when CURSOR_SECRET is not configured. The same SQL on both engines.
import { randomBytes } from 'node:crypto'
import type { Config } from '../config.js'
import type { SqlRunner } from '../db/sql-runner.js'
import type { Store } from '../db/store.js'

export interface SettingsRepository {
  // The stored value of `key`, made by `make` and stored the first time. The insert is
  // INSERT ... ON CONFLICT DO NOTHING and the value is read back, so two processes starting at once
  // on one database both end up with the value that was stored first.
  readOrCreate (key: string, make: () => string | Promise<string>): Promise<string>
}

const READ = 'select value from settings where key = :key'
const CREATE = 'insert into settings (key, value) values (:key, :value) on conflict do nothing'

export function settingsRepository ({ sql }: { sql: SqlRunner }): SettingsRepository {
  const read = async (key: string) => (await sql.get<{ value: string }>(READ, { key }))?.value
  return {
    async readOrCreate (key, make) {
      const stored = await read(key)
      if (stored !== undefined) return stored
      await sql.run(CREATE, { key, value: await make() })
      return (await read(key))!
    },
  }
}

export const CURSOR_SECRET_SETTING = 'cursor_secret'

// The server's signing secret: the HMAC key of pagination cursors (and of anything else the server
// signs for clients to hand back, such as future sync tokens). CURSOR_SECRET when it is set;
// otherwise 32 random bytes made once and kept in the database, so every node and every restart
// on that database agree.
export async function signingSecret (store: Store, config: Pick<Config, 'cursorSecret'>): Promise<string> {
  return config.cursorSecret ?? await store.repos.settings.readOrCreate(CURSOR_SECRET_SETTING, () => randomBytes(32).toString('base64url'))
}
