// `npm run bench -- --liveblog [--engine postgres] [--streams N] [--entries N] [--connections 1,10,50] [--duration S] [--writes K]`:
// the two live blog targets (issue 15) against the real built server (dist/server.js, production
// mode, pinned to core 0) on a fresh database: a SQLite file in a temporary directory, or a fresh
// PostgreSQL database `dateline_bench_liveblog` on the server of --database-url. One published
// live blog gets N entries (default 5,000; several paragraphs, some quotes and images, a key event
// every 50th, one pinned, 1-2 authors) through the repositories, as the entry API writes them.
// 1. Entry pages, response cache off (every request renders): the newest page (with the pinned
//    entry), a later page by cursor (page 101) and the oldest page, 20 entries each, loaded with
//    autocannon from core 1 at each --connections (1: the service time; 10 and 50 add queueing on
//    the shared cores), each alternating with the bare-Fastify ceiling (bench/ceiling.ts, serving
//    the newest page's JSON from memory) as bench/run.ts does. Target: p99 under 10 ms.
// 2. Streams: a second process (bench/liveblog-readers.ts, core 1) opens N (default 10,000) SSE
//    streams to the blog; the server's RSS is read with all open; then K entries (default 5, 2 s
//    apart) are posted through the API and, per reader, the time from the write's HTTP response to
//    the event's arrival is recorded. Target: under 300 MB RSS, every reader within 1 s (p99).
// Writes bench/results/<out>-liveblog[-postgres].json and prints both tables.
import { spawn, execSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { createArticle, publishArticle } from '../src/articles/service.js'
import type { Block } from '../src/articles/schemas.js'
import { openStore } from '../src/db/open.js'
import type { Store } from '../src/db/store.js'
import { createApiKey } from '../src/keys/repository.js'
import { insertAuthor, insertSection, seedStore } from '../test/fixtures.js'
import { BROWSER, load, median, merge, percentiles, type Load } from './load.js'
import { hasTaskset, peakRssMb, startProcess, stopProcess, type Server } from './processes.js'

export interface LiveblogBenchOptions {
  root: string
  engine: 'sqlite' | 'postgres'
  // PostgreSQL: a role that may create databases
  serverUrl: string | undefined
  port: number
  entries: number
  streams: number
  connections: number[]
  // seconds per entry-page row (half on the scenario, half on the paired ceiling)
  duration: number
  writes: number
  out: string
  server: string | undefined
}

// alternating (ceiling, scenario) slices per row
const PAIRS = 2
const AUTHORS = ['afp', 'reuters', 'maria-lopez', 'tom-okafor']
const WORDS = ('the minister said on tuesday that talks would resume after polls closed in the northern ' +
  'districts where turnout was higher than expected and officials counted ballots through the night while ' +
  'observers reported long queues at several stations in the capital and the opposition called for calm ' +
  'as results came in from rural areas with a recount likely in two constituencies according to early figures').split(' ')

// a deterministic generator, so both engines get the same content
function random (seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function sentence (rand: () => number, words: number): string {
  const text = Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ')
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`
}

// 2-4 paragraphs of 2-4 sentences, every 7th entry a quote, every 25th an image
function entryBody (rand: () => number, i: number): Block[] {
  const body: Block[] = []
  const paragraphs = 2 + Math.floor(rand() * 3)
  for (let p = 0; p < paragraphs; p++) {
    body.push({ type: 'paragraph', text: Array.from({ length: 2 + Math.floor(rand() * 3) }, () => sentence(rand, 8 + Math.floor(rand() * 12))).join(' ') })
  }
  if (i % 7 === 3) body.push({ type: 'quote', text: sentence(rand, 14), attribution: 'A polling station officer' })
  if (i % 25 === 11) body.push({ type: 'image', src: `https://media.dateline.example/live/${i}.jpg`, alt: 'Counting ballots', caption: sentence(rand, 10), credit: 'AFP', width: 1600, height: 900 })
  return body
}

const loadAverages = () => loadavg().map((n) => Math.round(n * 100) / 100)

// A fresh, migrated, empty database (exported for profiling scripts): a SQLite file in a temporary directory or a PostgreSQL database
export async function freshDatabase (options: LiveblogBenchOptions): Promise<{ env: Record<string, string>, store: Store, describe: string, drop: () => Promise<void> }> {
  if (options.engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-liveblog-'))
    const path = join(dir, 'liveblog.db')
    const store = await openStore({ databasePath: path, databaseUrl: undefined })
    return { env: { DATABASE_PATH: path }, store, describe: `SQLite ${path}`, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = 'dateline_bench_liveblog'
  const url = new URL(options.serverUrl!)
  url.pathname = `/${name}`
  const admin = postgres(options.serverUrl!, { max: 1, onnotice: () => {} })
  const recreate = async (create: boolean) => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    if (create) await admin.unsafe(`create database ${name}`)
  }
  await recreate(true)
  const store = await openStore({ databasePath: '', databaseUrl: url.toString() })
  return {
    env: { DATABASE_URL: url.toString() },
    store,
    describe: `PostgreSQL database ${name}`,
    drop: async () => { await recreate(false); await admin.end({ timeout: 5 }) },
  }
}

// The live blog and its entries, written as the entry API writes them (events, revisions), in
// transactions of 500; entries 7 s apart, ending a minute ago. Returns the blog and a write key.
export async function seed (store: Store, entries: number): Promise<{ id: number, slug: string, token: string, ms: number }> {
  const started = performance.now()
  await seedStore(store, (s) => {
    insertSection(s, { slug: 'world', name: 'World' })
    for (const slug of AUTHORS) insertAuthor(s, { slug, kind: slug.includes('-') ? 'staff' : 'agency' })
  })
  const authorIds = await Promise.all(AUTHORS.map(async (slug) => (await store.repos.liveblogs.authorId(slug))!))
  const now = Date.now()
  const first = now - 60_000 - entries * 7_000
  const actor = { keyName: null, now: first }
  const rand = random(15)
  const article = await createArticle(store, {
    headline: 'Election night live: results as they come in',
    standfirst: 'Follow the count constituency by constituency.',
    section: 'world',
    body: entryBody(rand, 0),
    tags: [],
    authors: ['maria-lopez'],
    relatedIds: [],
    live: true,
  } as never, actor)
  await publishArticle(store, article.id, undefined, actor)
  const pinnedAt = entries - 10
  for (let from = 0; from < entries; from += 500) {
    await store.tx(async (repos) => {
      for (let i = from; i < Math.min(entries, from + 500); i++) {
        const at = first + i * 7_000
        const keyEvent = i % 50 === 49
        const headline = keyEvent || rand() < 0.3 ? sentence(rand, 6) : null
        const id = await repos.liveblogs.insertEntry({ articleId: article.id, headline, body: entryBody(rand, i), keyEvent, pinned: i === pinnedAt, at })
        await repos.liveblogs.setAuthors(id, i % 5 === 0 ? [authorIds[i % 4]!, authorIds[(i + 1) % 4]!] : [authorIds[i % 4]!])
        await repos.liveblogs.recordEvent(article.id, id, 'created', at)
        await repos.liveblogs.storeRevision((await repos.liveblogs.management(id))!, 'bench', at)
      }
      await repos.liveblogs.touchArticle(article.id, first + (entries - 1) * 7_000)
    })
  }
  const token = await createApiKey(store, { name: 'bench-liveblog', scopes: ['content:write'], now })
  return { id: article.id, slug: article.slug, token, ms: performance.now() - started }
}

interface PageRow { scenario: string, connections: number, rps: number, p50: number, p99: number, ceilingRps: number, ceilingP50: number, ceilingP99: number, ratio: number, cpuUsPerRequest: number, cpuRatio: number, loadGenCpu: number, requests: number, statuses: Record<string, number>, errors: number }

async function entryPages (options: LiveblogBenchOptions, env: Record<string, string>, slug: string): Promise<{ rows: PageRow[], bodyBytes: Record<string, number>, peakRssMb: number | null, startupMs: number }> {
  const { port, root } = options
  const server = await startProcess(['node', options.server ?? join(root, 'dist', 'server.js')], { ...env, RESPONSE_CACHE: 'false' }, port, 0)
  let ceiling: Server | undefined
  try {
    const base = `/v1/articles/${slug}/entries?limit=20`
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'user-agent': BROWSER } })
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
      return { text: await res.text(), cache: res.headers.get('x-cache') }
    }
    // page 101 (entries 2,001-2,020 from the newest), reached by following the cursors
    let later = base
    for (let page = 1; page <= 100; page++) {
      const { nextCursor } = (JSON.parse((await get(later)).text) as { page: { nextCursor: string | null } }).page
      if (!nextCursor) break
      later = `${base}&cursor=${encodeURIComponent(nextCursor)}`
    }
    const scenarios = [
      { name: 'newest page (pinned first)', path: base },
      { name: 'later page (cursor, page 101)', path: later },
      { name: 'oldest page', path: `/v1/articles/${slug}/entries?order=oldest&limit=20` },
    ]
    const bodyBytes: Record<string, number> = {}
    for (const s of scenarios) bodyBytes[s.name] = Buffer.byteLength((await get(s.path)).text)
    const bodyFile = join(mkdtempSync(join(tmpdir(), 'dateline-bench-ceiling-')), 'entries.json')
    writeFileSync(bodyFile, (await get(base)).text)
    ceiling = await startProcess(['node', '--import', 'tsx', join(root, 'bench', 'ceiling.ts')], { CEILING_BODY: bodyFile }, port + 1, 0)
    // both processes warmed up (JIT; the ceiling was just started on the server's core) before
    // the first measured row
    await load(ceiling, { method: 'GET', paths: ['/article'], seconds: 2, connections: 10 })
    await load(server, { method: 'GET', paths: scenarios.map((s) => s.path), seconds: 3, connections: 10 })
    const rows: PageRow[] = []
    const seconds = Math.max(1, options.duration / PAIRS)
    for (const connections of options.connections) {
      for (const s of scenarios) {
        await load(server, { method: 'GET', paths: [s.path], seconds: 1, connections })
        const ceilings: Load[] = []
        const slices: Load[] = []
        for (let i = 0; i < PAIRS; i++) {
          ceilings.push(await load(ceiling, { method: 'GET', paths: ['/article'], seconds, connections }))
          slices.push(await load(server, { method: 'GET', paths: [s.path], seconds, connections }))
        }
        const result = merge(slices)
        const top = merge(ceilings)
        rows.push({
          scenario: s.name,
          connections,
          rps: Math.round(result.rps),
          p50: result.p50,
          p99: result.p99,
          ceilingRps: Math.round(top.rps),
          ceilingP50: top.p50,
          ceilingP99: top.p99,
          ratio: median(slices.map((l, i) => l.rps / ceilings[i]!.rps)),
          cpuUsPerRequest: Math.round(result.cpuUsPerRequest),
          cpuRatio: median(slices.map((l, i) => ceilings[i]!.cpuUsPerRequest / l.cpuUsPerRequest)),
          loadGenCpu: result.loadGenCpu,
          requests: result.requests,
          statuses: result.statuses,
          errors: result.errors,
        })
        console.log(`  ${s.name}, ${connections} conn: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms (ceiling ${top.p50}/${top.p99} ms) ${JSON.stringify(result.statuses)}`)
      }
    }
    rmSync(join(bodyFile, '..'), { recursive: true, force: true })
    return { rows, bodyBytes, peakRssMb: peakRssMb(server.child.pid), startupMs: Math.round(server.startupMs) }
  } finally {
    if (ceiling) await stopProcess(ceiling)
    await stopProcess(server)
  }
}

// current and peak resident set of a process, in MB
function rssMb (pid: number | undefined): { rss: number, peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0)
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) }
}

function openFilesLimit (): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))
  return Number(line?.split(/\s+/)[3] ?? 1024)
}

// The readers' process, on the load generator's core, and a request/answer over its IPC channel
function startReaders (root: string): { child: ChildProcess, ask: <T>(message: object) => Promise<T> } {
  const args = ['node', '--import', 'tsx', join(root, 'bench', 'liveblog-readers.ts')]
  const child = spawn(hasTaskset ? 'taskset' : args[0]!, hasTaskset ? ['-c', '1', ...args] : args.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ask = <T>(message: object) => {
    const answer = once(child, 'message') as Promise<[T]>
    child.send(message)
    return answer.then(([value]) => value)
  }
  return { child, ask }
}

interface WriteResult { entryId: number, writeMs: number, reached: number, p50: number, p99: number, max: number, beforeResponse: number }

async function streams (options: LiveblogBenchOptions, env: Record<string, string>, blog: { id: number, slug: string, token: string }) {
  const { port, root } = options
  const limit = openFilesLimit()
  if (limit < options.streams + 500) throw new Error(`${options.streams} streams need more open files than ulimit -n ${limit} allows: raise it (ulimit -n ${options.streams + 1000})`)
  const server = await startProcess(['node', options.server ?? join(root, 'dist', 'server.js')], { ...env, LIVE_STREAM_LIMIT: String(options.streams) }, port, 0)
  const readers = startReaders(root)
  const rand = random(42)
  const postEntry = async (k: number) => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/articles/${blog.id}/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${blog.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ headline: sentence(rand, 6), body: entryBody(rand, k), authors: ['afp'] }),
    })
    if (res.status !== 201) throw new Error(`POST entry: ${res.status} ${await res.text()}`)
    return res
  }
  try {
    await once(readers.child, 'message')
    // one unmeasured write first: the write path's first run (API key's last-use write, JIT) is
    // not what a running server's readers wait for
    await (await postEntry(-1)).arrayBuffer()
    const idle = rssMb(server.child.pid)
    const opened = await readers.ask<{ opened: number, failed: number, statuses: Record<string, number>, retries: number, ms: number }>({ open: { port, path: `/v1/articles/${blog.slug}/entries/stream`, n: options.streams, parallel: 100 } })
    console.log(`  ${opened.opened} streams open in ${opened.ms} ms ${JSON.stringify(opened.statuses)}, ${opened.retries} 503s tried again`)
    // a moment for the sockets' buffers and the heap to settle
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const withStreams = rssMb(server.child.pid)
    console.log(`  server RSS ${idle.rss} MB idle, ${withStreams.rss} MB with ${opened.opened} streams open`)
    const writes: WriteResult[] = []
    const all: number[] = []
    for (let k = 0; k < options.writes; k++) {
      await new Promise((resolve) => setTimeout(resolve, 2000))
      const sent = performance.now()
      const res = await postEntry(k)
      const answered = performance.timeOrigin + performance.now()
      const writeMs = performance.now() - sent
      const entryId = (await res.json() as { id: number }).id
      const { arrivals } = await readers.ask<{ arrivals: Array<number | null> }>({ expect: { entryId, timeoutMs: 10_000 } })
      const got = arrivals.filter((t): t is number => t !== null).map((t) => t - answered)
      // an event can reach a reader before the write's response reaches the writer: 0 ms
      const latencies = got.map((ms) => Math.max(0, ms))
      all.push(...latencies)
      const { p50, p99 } = percentiles(latencies)
      writes.push({ entryId, writeMs: Math.round(writeMs * 10) / 10, reached: got.length, p50, p99, max: Math.round(Math.max(0, ...latencies)), beforeResponse: got.filter((ms) => ms < 0).length })
      console.log(`  write ${k + 1}: ${writeMs.toFixed(1)} ms; reached ${got.length}/${opened.opened}, p50 ${p50} ms, p99 ${p99} ms, max ${Math.round(Math.max(0, ...latencies))} ms`)
    }
    const after = rssMb(server.child.pid)
    return {
      requested: options.streams,
      ...opened,
      openFilesLimit: limit,
      rssMb: { idle: idle.rss, withStreams: withStreams.rss, afterWrites: after.rss, peak: after.peak },
      writes,
      overall: { ...percentiles(all), max: Math.round(Math.max(0, ...all)), deliveries: all.length, expected: opened.opened * options.writes },
    }
  } finally {
    readers.child.send({ close: true })
    await once(readers.child, 'exit')
    await stopProcess(server)
  }
}

export async function runLiveblogBench (options: LiveblogBenchOptions): Promise<void> {
  const loadBefore = loadAverages()
  console.log(`live blog bench (${options.engine}): ${options.entries} entries, ${options.streams} streams, load average ${loadBefore.join(' ')}`)
  const db = await freshDatabase(options)
  try {
    let blog: Awaited<ReturnType<typeof seed>>
    try {
      blog = await seed(db.store, options.entries)
    } finally {
      await db.store.close()
    }
    console.log(`${db.describe}: live blog "${blog.slug}" with ${options.entries} entries written in ${(blog.ms / 1000).toFixed(1)} s`)
    const env = { NODE_ENV: 'production', LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', HOST: '127.0.0.1', ...db.env }
    console.log('entry pages (RESPONSE_CACHE=false):')
    const pages = await entryPages(options, env, blog.slug)
    console.log(`streams (${options.streams}):`)
    const stream = await streams(options, env, blog)
    const loadAfter = loadAverages()

    printPages(pages.rows)
    const r = stream.rssMb
    console.log('| streams open | RSS idle MB | RSS with streams MB | RSS after writes MB | peak RSS MB | writes | reached | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    console.log(`| ${stream.opened}/${stream.requested} | ${r.idle} | ${r.withStreams} | ${r.afterWrites} | ${r.peak} | ${stream.writes.length} | ${stream.overall.deliveries}/${stream.overall.expected} | ${stream.overall.p50} | ${stream.overall.p99} | ${stream.overall.max} |\n`)
    console.log(`targets: entry page p99 < 10 ms at 1 connection: ${pages.rows.filter((row) => row.connections === 1).map((row) => `${row.p99} ms`).join(', ') || '-'}; ` +
      `${stream.opened} streams at ${r.withStreams} MB RSS (< 300 MB); delivery p99 ${stream.overall.p99} ms (< 1000 ms), ${stream.overall.deliveries} of ${stream.overall.expected} deliveries`)
    console.log(`load average ${loadBefore.join(' ')} at the start, ${loadAfter.join(' ')} at the end (${cpus().length} CPUs)`)

    const resultsDir = join(options.root, 'bench', 'results')
    mkdirSync(resultsDir, { recursive: true })
    const file = `${options.out}-liveblog${options.engine === 'postgres' ? '-postgres' : ''}.json`
    writeFileSync(join(resultsDir, file), `${JSON.stringify({
      date: new Date().toISOString(),
      commit: execSync('git rev-parse --short HEAD', { cwd: options.root }).toString().trim(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, pinned: hasTaskset, loadAverage: { start: loadBefore, end: loadAfter } },
      settings: { engine: options.engine, entries: options.entries, streams: options.streams, connections: options.connections, durationSeconds: options.duration, writes: options.writes, server: options.server ?? 'dist/server.js' },
      seedMs: Math.round(blog.ms),
      entryPages: { responseCache: false, bodyBytes: pages.bodyBytes, peakRssMb: pages.peakRssMb, startupMs: pages.startupMs, rows: pages.rows },
      streams: stream,
    }, null, 2)}\n`)
    console.log(`wrote bench/results/${file}`)
  } finally {
    await db.drop()
  }
}

function printPages (rows: PageRow[]) {
  const head = ['entry page (uncached)', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'ceiling req/s (paired)', 'ceiling p50/p99 ms', 'vs ceiling (req/s)', 'server CPU us/req', 'vs ceiling (CPU/req)', 'load generator CPU', 'note']
  console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`)
  for (const r of rows) {
    const note = Object.entries(r.statuses).filter(([code]) => !code.startsWith('2')).map(([code, n]) => `${n}x${code}`).join(' ') + (r.errors ? ` ${r.errors} errors` : '')
    console.log(`| ${[r.scenario, r.connections, r.rps, r.p50, r.p99, r.ceilingRps, `${r.ceilingP50}/${r.ceilingP99}`, r.ratio.toFixed(2), r.cpuUsPerRequest, r.cpuRatio.toFixed(2), `${Math.round(100 * r.loadGenCpu)}%`, note].join(' | ')} |`)
  }
  console.log('')
}
