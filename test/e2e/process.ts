// Harness for end-to-end tests against the real server process: spawn on a given database, wait
// for its listen line, kill it with a signal, inspect the database file afterwards.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import type { Store } from '../../src/db/store.js'
import { createApiKey } from '../../src/keys/repository.js'
import { insertSection, seedStore } from '../fixtures.js'

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams
  baseUrl: string
  logs: Array<Record<string, unknown>>
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  // resolves with the first log line (parsed) that matches
  waitForLog: (match: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>
}

// `database`: a SQLite file path, or the environment naming the database (DATABASE_PATH or DATABASE_URL)
export async function startServer (database: string | Record<string, string>, env: Record<string, string> = {}): Promise<ServerProcess> {
  const target = typeof database === 'string' ? { DATABASE_PATH: database } : database
  // one process (no tsx CLI wrapper), so a signal reaches the server itself
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...target, DEMO_CONTENT: 'false', LOG_LEVEL: 'info', VIEWS_RATE_LIMIT: '1000000', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const logs: Array<Record<string, unknown>> = []
  const waiters: Array<{ match: (line: Record<string, unknown>) => boolean, resolve: (line: Record<string, unknown>) => void }> = []
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })))
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>
    try { line = JSON.parse(text) } catch { return }
    logs.push(line)
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) { waiters.splice(waiters.indexOf(waiter), 1); waiter.resolve(line) }
    }
  })
  const waitForLog = (match: (line: Record<string, unknown>) => boolean) => {
    const seen = logs.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      waiters.push({ match, resolve })
      exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before the expected log line:\n${stderr}`)))
    })
  }
  const listening = await waitForLog((line) => /^Server listening at http:\/\/127\.0\.0\.1:/.test(String(line.msg)))
  const baseUrl = String(listening.msg).replace('Server listening at ', '')
  return { child, baseUrl, logs, exited, waitForLog }
}

// The real server with a DATABASE_URL it cannot use, run to its exit (one that works serves: use
// startServer); DATABASE_PATH points into a fresh folder, and sqliteCreated tells whether anything appeared.
export function startWithDatabaseUrl (url: string, env: Record<string, string> = {}): Promise<{ code: number | null, stdout: string, stderr: string, sqliteCreated: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-pg-'))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, DATABASE_URL: url, DATABASE_PATH: join(dir, 'db', 'dateline.db'), PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    child.once('exit', (code) => {
      const sqliteCreated = existsSync(join(dir, 'db'))
      rmSync(dir, { recursive: true, force: true })
      resolve({ code, stdout, stderr, sqliteCreated })
    })
  })
}

export async function stopServer (server: ServerProcess, signal: NodeJS.Signals) {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal)
  return server.exited
}

export function integrityCheck (databasePath: string): string {
  const sqlite = new Database(databasePath, { fileMustExist: true })
  try {
    return (sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ')
  } finally {
    sqlite.close()
  }
}

export interface AcknowledgedWrite {
  kind: 'article' | 'publish' | 'view'
  // the article slug
  key: string
  // a word only this article's body contains, for the FTS check
  word?: string
}

// Prepares a migrated store of the engine under test (one section) and creates an admin key in it
// through the keys repository, before any server opens it.
export async function prepareStore (store: Store): Promise<string> {
  // a database prepared before (a restart) has its section already
  if (!await store.repos.sql.get("select 1 from sections where path = 'news'")) await seedStore(store, (s) => insertSection(s, { slug: 'news', name: 'News' }))
  return await createApiKey(store, { name: `e2e-${randomBytes(4).toString('hex')}`, scopes: ['admin'], now: Date.now() })
}

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

// Concurrent writers (create, publish every third) and view beacons against the real server until it
// stops answering; returns every write that was answered 2xx. `stop` ends the load early; `live`
// names published slugs to send beacons for from the start.
export function driveWrites (baseUrl: string, token: string, options: { writers?: number, viewers?: number, stop?: { stopped: boolean }, live?: string[] } = {}): Promise<AcknowledgedWrite[]> {
  const acknowledged: AcknowledgedWrite[] = []
  const live: string[] = [...options.live ?? []]
  const run = `r${randomBytes(3).toString('hex')}`
  const stop = options.stop ?? { stopped: false }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const writer = async (w: number) => {
    for (let n = 0; !stop.stopped; n++) {
      const slug = `${run}-w${w}-${n}`
      const word = `zq${run}w${w}n${n}`
      try {
        const created = await fetch(`${baseUrl}/v1/articles`, {
          method: 'POST', headers, body: JSON.stringify({ slug, headline: `Crash test ${n}`, section: 'news', body: [{ type: 'paragraph', text: `Written under load: ${word}.` }] }),
        })
        const body = await created.json() as { id?: number }
        if (created.status !== 201) continue
        acknowledged.push({ kind: 'article', key: slug, word })
        if (n % 3 !== 0) continue
        const published = await fetch(`${baseUrl}/v1/articles/${body.id}/publish`, { method: 'POST', headers, body: '{}' })
        await published.arrayBuffer()
        if (published.status === 200) { acknowledged.push({ kind: 'publish', key: slug }); live.push(slug) }
      } catch { return }
    }
  }
  const viewer = async () => {
    while (!stop.stopped) {
      const slug = live[Math.floor(Math.random() * live.length)]
      try {
        if (!slug) { await (await fetch(`${baseUrl}/readyz`)).arrayBuffer(); continue }
        const res = await fetch(`${baseUrl}/v1/articles/${slug}/views`, { method: 'POST', headers: { 'user-agent': BROWSER } })
        await res.arrayBuffer()
        if (res.status === 202) acknowledged.push({ kind: 'view', key: slug })
      } catch { return }
    }
  }
  const workers = [
    ...Array.from({ length: options.writers ?? 6 }, (_, w) => writer(w)),
    ...Array.from({ length: options.viewers ?? 4 }, viewer),
  ]
  return Promise.all(workers).then(() => acknowledged)
}

// Returns the acknowledged writes missing from the database (must be empty): every created article
// by slug, and every published one live (status published, published_at set).
export async function missingWrites (store: Store, writes: AcknowledgedWrite[]): Promise<AcknowledgedWrite[]> {
  const missing: AcknowledgedWrite[] = []
  for (const w of writes) {
    if (w.kind === 'view') continue
    const row = await store.repos.sql.get<{ status: string, publishedAt: number | null }>('select status, published_at as "publishedAt" from articles where slug = :slug', { slug: w.key })
    if (w.kind === 'article' ? row === undefined : row?.status !== 'published' || row.publishedAt === null) missing.push(w)
  }
  return missing
}

// The search index agrees with the articles table (SQLite: the FTS5 table articles_fts; PostgreSQL:
// the tsvector rows of articles_search): same row count, and each acknowledged article is found by
// its unique word. Returns the disagreements (must be empty).
export async function searchDisagreements (store: Store, writes: AcknowledgedWrite[]): Promise<string[]> {
  const sqlite = store.engine === 'sqlite'
  const index = sqlite ? 'articles_fts' : 'articles_search'
  const match = sqlite
    ? 'select a.slug from articles_fts join articles a on a.id = articles_fts.rowid where articles_fts match :word'
    : "select a.slug from articles_search x join articles a on a.id = x.article_id where x.document @@ websearch_to_tsquery('dateline', :word)"
  const count = async (table: string) => (await store.repos.sql.get<{ n: number }>(`select cast(count(*) as integer) as n from ${table}`))!.n
  const problems: string[] = []
  const [articles, indexed] = [await count('articles'), await count(index)]
  if (articles !== indexed) problems.push(`articles ${articles}, ${index} ${indexed}`)
  for (const w of writes.filter((write) => write.kind === 'article')) {
    const found = (await store.repos.sql.all<{ slug: string }>(match, { word: w.word })).map((row) => row.slug)
    if (found.length !== 1 || found[0] !== w.key) problems.push(`search for ${w.word} found [${found.join(', ')}], not ${w.key}`)
  }
  return problems
}

export async function countedViews (store: Store): Promise<number> {
  return (await store.repos.sql.get<{ n: number }>('select cast(coalesce(sum(views), 0) as integer) as n from page_views'))!.n
}
