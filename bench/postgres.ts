// `npm run bench -- --engine postgres`: the benchmark database of N articles, loaded into a
// PostgreSQL database `dateline_bench_<N>` on the server of --database-url (default
// BENCH_DATABASE_URL, then TEST_DATABASE_URL) from the SQLite file bench/generate.ts builds, so both
// engines serve the same rows. Tables are copied with COPY in foreign-key order; the search
// trigger fills articles_search as rows arrive. Reused while the source's generation and the
// PostgreSQL migrations are unchanged (bench/data/bench-<N>.pg.json), unless --fresh. The source is
// known by its generation (a hash of what generate.ts recorded), not by the file's size and time:
// an SQLite run of the same bench writes page views into that file, which is no new content.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import postgres from 'postgres'
import { closePg, openPg } from '../src/db/postgres/connection.js'
import { postgresMigrationsFolder, runPostgresMigrations } from '../src/db/postgres/migrate.js'

const TABLES: Array<{ name: string, order: string }> = [
  { name: 'sections', order: 'id' },
  { name: 'tags', order: 'id' },
  { name: 'authors', order: 'id' },
  { name: 'articles', order: 'id' },
  { name: 'article_tags', order: 'article_id' },
  { name: 'article_authors', order: 'article_id' },
  { name: 'article_related', order: 'article_id' },
  { name: 'article_listings', order: 'article_id' },
  { name: 'collections', order: 'id' },
  { name: 'collection_items', order: 'collection_id' },
  { name: 'page_views', order: 'article_id' },
]

const csv = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text
}

export function benchDatabaseUrl (serverUrl: string, articles: number): string {
  const u = new URL(serverUrl)
  u.pathname = `/dateline_bench_${articles}`
  return u.toString()
}

export async function preparePostgres (sqlitePath: string, generated: unknown, serverUrl: string, articles: number, fresh: boolean): Promise<{ url: string, loadMs: number }> {
  const url = benchDatabaseUrl(serverUrl, articles)
  const metaPath = sqlitePath.replace(/\.db$/, '.pg.json')
  const migrations = readdirSync(postgresMigrationsFolder).filter((f) => f.endsWith('.sql')).sort()
  const generation = createHash('sha256').update(JSON.stringify(generated)).digest('hex')
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${`dateline_bench_${articles}`}`
    if (!fresh && exists && existsSync(metaPath)) {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { migrations: string[], generation?: string, source?: { size: number, mtimeMs: number } }
      // a copy recorded by the older size-and-time check, made from this very file, is adopted once
      const file = statSync(sqlitePath)
      const adopted = meta.generation === undefined && meta.source?.size === file.size && meta.source.mtimeMs === file.mtimeMs
      if (meta.migrations.join() === migrations.join() && (meta.generation === generation || adopted)) {
        if (adopted) writeFileSync(metaPath, JSON.stringify({ migrations, generation }))
        return { url, loadMs: 0 }
      }
    }
    const started = performance.now()
    await admin.unsafe(`drop database if exists dateline_bench_${articles} with (force)`)
    await admin.unsafe(`create database dateline_bench_${articles}`)
    const db = openPg({ url, max: 1 })
    await runPostgresMigrations(db, url)
    await closePg(db)
    const target = postgres(url, { max: 1, onnotice: () => {} })
    const sqlite = new Database(sqlitePath, { readonly: true })
    try {
      for (const table of TABLES) {
        const columns = (sqlite.prepare(`select * from ${table.name} limit 0`).columns()).map((c) => c.name)
        const stream = await target.unsafe(`copy ${table.name} (${columns.join(', ')}) from stdin with (format csv)`).writable()
        let n = 0
        let buffer = ''
        for (const row of sqlite.prepare(`select ${columns.join(', ')} from ${table.name} order by ${table.order}`).raw().iterate() as Iterable<unknown[]>) {
          buffer += row.map(csv).join(',') + '\n'
          n++
          if (buffer.length > 1 << 20) {
            if (!stream.write(buffer)) await once(stream, 'drain')
            buffer = ''
          }
        }
        stream.end(buffer)
        await once(stream, 'finish')
        console.log(`postgres: ${table.name} ${n} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`)
      }
      // explicit ids: move the identity sequences past them
      for (const table of ['sections', 'tags', 'authors', 'articles', 'collections']) {
        await target.unsafe(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`)
      }
      await target.unsafe('vacuum analyze')
    } finally {
      sqlite.close()
      await target.end({ timeout: 5 })
    }
    writeFileSync(metaPath, JSON.stringify({ migrations, generation }))
    return { url, loadMs: performance.now() - started }
  } finally {
    await admin.end({ timeout: 5 })
  }
}

// The database's size on disk and the stored page views, as the SQLite helpers in run.ts give them.
// `viewsFrom`: count the views of that hour and later only (see storedViews in run.ts)
export async function postgresFacts (url: string, viewsFrom = 0): Promise<{ bytes: number, views: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql<Array<{ bytes: string, views: string }>>`select pg_database_size(current_database()) as bytes, (select coalesce(sum(views), 0) from page_views where hour >= ${viewsFrom}) as views`
    return { bytes: Number(row!.bytes), views: Number(row!.views) }
  } finally {
    await sql.end({ timeout: 5 })
  }
}
