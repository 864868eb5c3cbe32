// `npm run cli -- seed`: loads the demo content into a database that has no articles yet.
import type { Config } from '../config.js'
import { seedDemoContentIfEmpty } from '../demo/seed.js'
import { describeDatabase, withStore } from './store.js'

export async function seed (_args: string[], { config }: { config: Config }) {
  const loaded = await withStore(config, (store) => seedDemoContentIfEmpty(store))
  console.log(loaded ? `demo content loaded into ${await describeDatabase(config)}` : 'the database already has articles; nothing loaded')
}
