// Which parts of the PostgreSQL port the running code still lacks (issue 12 lands feature by
// feature): the PostgreSQL tests that need them skip with this reason until they are there, and
// run by themselves once they are. Remove when every feature is on the storage seam.
import { beforeEach } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { postgresTestStore } from '../postgres.js'

let probe: Promise<string | undefined> | undefined

// undefined when the articles repository and buildApp work on PostgreSQL; else what is missing
export function postgresPortMissing (): Promise<string | undefined> {
  probe ??= (async () => {
    const { store, url } = await postgresTestStore()
    try {
      await store.repos.articles.sectionDescendantIds(1)
      const app = await buildApp({ store, config: loadConfig({ DATABASE_URL: url, DEMO_CONTENT: 'false' }) })
      await app.close()
      return undefined
    } catch (error) {
      const message = (error as Error).message
      if (/not (been )?ported/.test(message)) return `waits for the PostgreSQL port: ${message}`
      throw error
    } finally {
      await store.close()
    }
  })()
  return probe
}

// In a file that runs on both engines: on PostgreSQL, skip each test (with the reason) while the
// port lacks what the app needs.
export function skipOnPostgresUntilPorted (): void {
  if (process.env.TEST_ENGINE !== 'postgres') return
  beforeEach(async (ctx) => {
    const missing = await postgresPortMissing()
    if (missing) ctx.skip(missing)
  })
}
