// Demo content: loaded on an empty database at start-up (unless DEMO_CONTENT=false) and by
// `npm run cli -- seed`.
import type { Db } from '../db/connection.js'

export function seedDemoContentIfEmpty (_db: Db): boolean {
  return false
}
