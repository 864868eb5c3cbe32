// npm run bench [-- --webhooks | --liveblog [--streams N] [--entries N] [--writes K]] [--articles N] [--quick] [--engine sqlite|postgres] [--nodes N] [--database-url URL] [--no-cache | --cache-only] [--only REGEX] [--duration S] [--connections C] [--fresh] [--no-build] [--env K=V] [--server PATH] [--generate-only]
// Builds (or reuses) a database of N articles, starts the real server in production mode pinned to
// core 0, loads each scenario with autocannon from core 1, each GET scenario right after the ceiling
// (bench/ceiling.ts) loaded the same way; prints req/s, p50, p99, ratio to that ceiling run and peak
// RSS; writes bench/results/latest.json. --engine postgres serves the same rows from PostgreSQL
// (bench/postgres.ts; the server of --database-url, default BENCH_DATABASE_URL or TEST_DATABASE_URL).
import Database from 'better-sqlite3'
import { execSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { closeDb, openDb } from '../src/db/connection.js'
import { runMigrations } from '../src/db/migrate.js'
import { generateDatabase, type Generated } from './generate.js'
import { runClusterBench } from './cluster.js'
import { postgresFacts, preparePostgres } from './postgres.js'
import { BROWSER, load as loadServer, median, merge, type Load, type Paths } from './load.js'
import { hasTaskset, peakRssMb, pinSelf, startProcess, stopProcess, type Server } from './processes.js'

const { values: opts } = parseArgs({
  options: {
    articles: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-cache': { type: 'boolean', default: false },
    'cache-only': { type: 'boolean', default: false },
    duration: { type: 'string' },
    // one number; with --liveblog a list (default 1,10,50)
    connections: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
    // another build's server entry (e.g. a checkout of an older commit), for before/after runs
    server: { type: 'string' },
    out: { type: 'string', default: 'latest' },
    env: { type: 'string', multiple: true, default: [] },
    // only the scenarios whose name matches this regular expression
    only: { type: 'string' },
    engine: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string' },
    // several nodes on one PostgreSQL database: the cluster bench (bench/cluster.ts)
    nodes: { type: 'string', default: '1' },
    // the webhook targets instead (bench/webhooks.ts): write-path cost of 10 endpoints, 1,000 deliveries
    webhooks: { type: 'boolean', default: false },
    // the live blog targets instead (bench/liveblog.ts): uncached entry pages, N open streams
    liveblog: { type: 'boolean', default: false },
    streams: { type: 'string' },
    entries: { type: 'string' },
    writes: { type: 'string' },
  },
})
const engine = opts.engine === 'postgres' ? 'postgres' : 'sqlite'
if (opts.engine !== engine) throw new Error('--engine is sqlite or postgres')
const serverUrl = opts['database-url'] ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
if (engine === 'postgres' && !serverUrl) throw new Error('--engine postgres needs --database-url (or BENCH_DATABASE_URL / TEST_DATABASE_URL): a role that may create databases')
// set by main() for --engine postgres: the bench database's URL
let pgUrl: string | undefined
const articles = Number(opts.articles ?? (opts.quick ? 10_000 : 100_000))
const duration = Number(opts.duration ?? (opts.quick ? 2 : 10))
const warmup = opts.quick ? 1 : 2
const connections = Number(opts.connections ?? 10)
const modes = opts['no-cache'] ? ['uncached'] : opts['cache-only'] ? ['cached'] : ['cached', 'uncached']
const root = join(import.meta.dirname, '..')
const dataDir = join(root, 'bench', 'data')
const PORT = 3901
// alternating (ceiling, scenario) slices per GET scenario
const PAIRS = opts.quick ? 1 : 3

// origin: report the database size before and after, and the response cache's hits (from /metrics)
interface Scenario { name: string, method?: 'GET' | 'POST', paths: Paths, warm?: boolean, origin?: boolean }

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!

// Every live article, newest first (read once per run, only when an origin scenario is selected).
let liveSlugs: string[] | undefined
function allLiveSlugs (path: string): string[] {
  if (liveSlugs) return liveSlugs
  const db = new Database(path, { readonly: true })
  try {
    liveSlugs = db.prepare("select slug from articles where status = 'published' and published_at <= ? order by published_at desc, id desc")
      .pluck().all(Date.now()) as string[]
  } finally {
    db.close()
  }
  return liveSlugs
}

// Each live article once, in a shuffled order (then the same order again: a run longer than the
// database cycles, and the response cache, far smaller than the database, holds none of them by then).
function coldReads (slugs: readonly string[]): () => string {
  const order = Uint32Array.from(slugs.keys())
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const t = order[i]!; order[i] = order[j]!; order[j] = t
  }
  let next = 0
  return () => `/v1/articles/${slugs[order[next++ % order.length]!]!}`
}

// What reaches the origin behind a CDN: reads Zipf-distributed (s = 1) over every live article by
// recency rank (rank 1 the newest), the hottest 1% of ranks answered by the CDN and never sent. For
// s = 1, P(rank <= k) ~ ln(k + 1) / ln(N + 1), so rank = (N + 1)^u - 1 with u uniform, drawn above the
// hottest 1%.
function behindCdn (slugs: readonly string[]): () => string {
  const n = slugs.length
  const logN = Math.log(n + 1)
  const low = Math.log(Math.ceil(n / 100) + 1) / logN
  return () => {
    const u = low + Math.random() * (1 - low)
    const rank = Math.min(n - 1, Math.floor(Math.exp(u * logN)) - 1)
    return `/v1/articles/${slugs[rank]!}`
  }
}

function scenarios (g: Generated, path: string): Scenario[] {
  const all: Scenario[] = [
    { name: 'article by slug (hot 10)', paths: g.hotSlugs.map((slug) => `/v1/articles/${slug}`) },
    { name: 'article by slug (random)', paths: () => `/v1/articles/${pick(g.publishedSlugs)}` },
    { name: 'article by slug (cold)', paths: () => '', origin: true },
    { name: 'origin behind a CDN', paths: () => '', origin: true },
    { name: 'latest list', paths: ['/v1/articles?limit=20'] },
    { name: 'section list (descendants)', paths: g.sectionPaths.map((path) => `/v1/articles?section=${path}&limit=20`) },
    { name: 'search', paths: g.searchTerms.map((term) => `/v1/search?q=${encodeURIComponent(term)}&limit=20`) },
    // each term in each section: the newest SEARCH_RANK_LIMIT matches that pass the filter
    { name: 'search (section)', paths: g.searchTerms.flatMap((term) => g.sectionPaths.map((path) => `/v1/search?q=${encodeURIComponent(term)}&section=${path}&limit=20`)) },
    { name: 'related', paths: g.hotSlugs.map((slug) => `/v1/articles/${slug}/related?limit=5`) },
    { name: 'most-viewed', paths: ['/v1/most-viewed?period=24h&limit=10'] },
    { name: 'view beacons', method: 'POST', paths: () => `/v1/articles/${pick(g.publishedSlugs)}/views`, warm: false },
  ]
  const only = opts.only ? new RegExp(opts.only, 'i') : undefined
  const chosen = only ? all.filter((s) => only.test(s.name)) : all
  // the live slugs are read only when an origin scenario runs (1,000,000 of them take a second)
  for (const s of chosen) {
    if (s.name === 'article by slug (cold)') s.paths = coldReads(allLiveSlugs(path))
    if (s.name === 'origin behind a CDN') s.paths = behindCdn(allLiveSlugs(path))
  }
  return chosen
}

// The database's bytes on disk: SQLite's main file and its write-ahead log, or pg_database_size.
async function databaseBytes (path: string): Promise<number> {
  if (pgUrl) return (await postgresFacts(pgUrl)).bytes
  return [path, `${path}-wal`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0)
}

// The response cache's hit and miss counters from the server's /metrics.
async function cacheCounters (port: number): Promise<{ hits: number, misses: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return { hits: read('dateline_response_cache_hits_total'), misses: read('dateline_response_cache_misses_total') }
}

const firstPath = (paths: Paths) => typeof paths === 'function' ? paths() : paths[0]!

// the loads of this run: `connections` at a time (bench/load.ts)
const load = (server: Server, method: 'GET' | 'POST', paths: Paths, seconds: number, amount?: number) => loadServer(server, { method, paths, seconds, connections, amount })

function migrationNames () {
  return readdirSync(join(root, 'migrations', 'sqlite')).filter((f) => f.endsWith('.sql')).sort()
}

function prepareDatabase (): { path: string, generated: Generated, generateMs: number } {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, `bench-${articles}.db`)
  const metaPath = `${path}.json`
  const migrations = migrationNames()
  if (!opts.fresh && existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { migrations: string[], generated: Generated }
    // a database built before newer migrations is reused, migrated here (not in the server's
    // measured start-up: an index on 1,000,000 articles takes seconds, once)
    if (meta.migrations.every((name, i) => migrations[i] === name)) {
      if (meta.migrations.length < migrations.length) {
        const started = performance.now()
        const db = openDb({ path })
        runMigrations(db)
        closeDb(db)
        writeFileSync(metaPath, JSON.stringify({ ...meta, migrations }))
        console.log(`database: applied ${migrations.length - meta.migrations.length} newer migrations in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      }
      return { path, generated: meta.generated, generateMs: 0 }
    }
  }
  const started = performance.now()
  const generated = generateDatabase(path, articles)
  const generateMs = performance.now() - started
  writeFileSync(metaPath, JSON.stringify({ migrations, generated }))
  return { path, generated, generateMs }
}

// The stored views of `fromHour` and later. A beacon is counted in its arrival hour, while the
// server's first flush of each hour prunes the generated views that have fallen out of the 30-day
// retention (~81,000 an hour at 1,000,000 articles): a total over every hour made a run that
// crossed an hour read as views lost.
const storedViews = async (path: string, fromHour: number) => {
  if (pgUrl) return (await postgresFacts(pgUrl, fromHour)).views
  const db = new Database(path, { readonly: true })
  try {
    return (db.prepare('select coalesce(sum(views), 0) as n from page_views where hour >= ?').get(fromHour) as { n: number }).n
  } finally {
    db.close()
  }
}

interface Row { scenario: string, mode: string, status: 'ok' | 'skipped (route missing)', pairedCeiling?: Load, pairRatios?: number[], pairCpuRatios?: number[], rps?: number, p50?: number, p99?: number, cpuUsPerRequest?: number, loadGenCpu?: number, ratio?: number, cpuRatio?: number, peakRssMb?: number | null, statuses?: Record<string, number>, note?: string }

async function main () {
  if (opts.webhooks) {
    await import('./webhooks.js')
    return
  }
  pinSelf(1)
  if (!opts['no-build']) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('npm run build failed')
  }
  if (opts.liveblog) {
    const { runLiveblogBench } = await import('./liveblog.js')
    await runLiveblogBench({
      root,
      engine,
      serverUrl,
      port: PORT,
      entries: Number(opts.entries ?? 5000),
      streams: Number(opts.streams ?? (opts.quick ? 1000 : 10_000)),
      connections: (opts.connections ?? '1,10,50').split(',').map(Number),
      duration: Number(opts.duration ?? (opts.quick ? 2 : 4)),
      writes: Number(opts.writes ?? 5),
      out: opts.out,
      server: opts.server,
    })
    return
  }
  const { path, generated, generateMs } = prepareDatabase()
  let dbMb = Math.round(statSync(path).size / 1024 / 1024)
  console.log(`database: ${articles} articles, ${dbMb} MB${generateMs ? `, generated in ${(generateMs / 1000).toFixed(1)} s` : ' (reused)'}`)
  if (engine === 'postgres') {
    const { url, loadMs } = await preparePostgres(path, generated, serverUrl!, articles, opts.fresh)
    pgUrl = url
    dbMb = Math.round(await databaseBytes(path) / 1024 / 1024)
    console.log(`postgres: ${new URL(url).pathname.slice(1)}, ${dbMb} MB${loadMs ? `, loaded in ${(loadMs / 1000).toFixed(1)} s` : ' (reused)'}`)
  }
  if (opts['generate-only']) return
  const nodeCount = Number(opts.nodes)
  if (nodeCount > 1) {
    if (!pgUrl) throw new Error('--nodes needs --engine postgres: several nodes share one PostgreSQL database')
    const cluster = await runClusterBench({ url: pgUrl, generated, nodes: nodeCount, root, connections, duration, port: PORT })
    mkdirSync(join(root, 'bench', 'results'), { recursive: true })
    writeFileSync(join(root, 'bench', 'results', `${opts.out}-cluster.json`), `${JSON.stringify({ settings: { articles, duration, connections }, ...cluster }, null, 2)}\n`)
    return
  }
  const extraEnv = Object.fromEntries(opts.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  const rows: Row[] = []
  const startups: Record<string, number> = {}
  const bodyFile = join(dataDir, 'ceiling-article.json')
  const ceilingRuns: Load[] = []
  let ceiling: Server | undefined
  const loadCeiling = async (seconds = duration, warm = true) => {
    if (warm) await load(ceiling!, 'GET', ['/article'], warmup)
    const run = await load(ceiling!, 'GET', ['/article'], seconds)
    ceilingRuns.push(run)
    return run
  }

  for (const mode of modes) {
    // the view-beacon scenario sends far more than a reader's VIEWS_RATE_LIMIT from one address
    const env = { NODE_ENV: 'production', LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', DATABASE_PATH: path, HOST: '127.0.0.1', RESPONSE_CACHE: String(mode === 'cached'), VIEWS_RATE_LIMIT: '1000000000', ...(pgUrl ? { DATABASE_URL: pgUrl } : {}), ...extraEnv }
    const server = await startProcess(['node', opts.server ?? join(root, 'dist', 'server.js')], env, PORT, 0)
    startups[mode] = Math.round(server.startupMs)
    console.log(`${mode}: server ready in ${startups[mode]} ms`)
    if (!ceiling) {
      // the ceiling answers with the same article JSON as the real server (or a stand-in before that route exists)
      const probe = await fetch(`http://127.0.0.1:${PORT}/v1/articles/${generated.hotSlugs[0]}`)
      writeFileSync(bodyFile, probe.status === 200 ? await probe.text() : standInArticle(path, generated.hotSlugs[0]!))
      ceiling = await startProcess(['node', '--import', 'tsx', join(root, 'bench', 'ceiling.ts')], { CEILING_BODY: bodyFile }, PORT + 1, 0)
      await loadCeiling()
    }
    let views: { before: number, hour: number, accepted: number } | undefined
    for (const s of scenarios(generated, path)) {
      const method = s.method ?? 'GET'
      const bytesBefore = s.origin ? await databaseBytes(path) : 0
      const countersBefore = s.origin ? await cacheCounters(PORT) : undefined
      // read before the probe: the probe's view may be flushed at any moment after it is answered
      const viewsHour = Math.floor(Date.now() / 3_600_000)
      const viewsBefore = method === 'POST' ? await storedViews(path, viewsHour) : 0
      // a server that stopped answering says why (its stderr), not only the client's "fetch failed"
      const probe = await fetch(`http://127.0.0.1:${PORT}${firstPath(s.paths)}`, { method, headers: { 'user-agent': BROWSER } }).catch((error: unknown) => {
        throw new Error(`${mode} ${s.name}: the first request failed (${String((error as Error).cause ?? error)}); the server's stderr: ${server.stderr().slice(-2000) || '(empty)'}`)
      })
      if (probe.status === 404 && (await probe.text()).includes('No route')) {
        rows.push({ scenario: s.name, mode, status: 'skipped (route missing)' })
        continue
      }
      if (method === 'POST') views = { before: viewsBefore, hour: viewsHour, accepted: probe.status === 202 ? 1 : 0 }
      if (s.warm !== false) await load(server, method, s.paths, warmup)
      let result: Load
      let paired: Pick<Row, 'pairedCeiling' | 'pairRatios' | 'pairCpuRatios'> = {}
      if (method === 'GET') {
        // Each GET scenario alternates with the ceiling in PAIRS slices (ceiling, then scenario) and
        // its ratios are the median over the pairs. This machine's speed drifts by up to 20% within
        // a minute (the same ceiling, reloaded), which a single reference taken at the start and
        // the end of the run turned into error in every ratio.
        const seconds = Math.max(1, duration / PAIRS)
        const ceilings: Load[] = []
        const slices: Load[] = []
        for (let i = 0; i < PAIRS; i++) {
          ceilings.push(await loadCeiling(seconds, false))
          slices.push(await load(server, method, s.paths, seconds))
        }
        result = merge(slices)
        paired = {
          pairedCeiling: merge(ceilings),
          pairRatios: slices.map((l, i) => l.rps / ceilings[i]!.rps),
          pairCpuRatios: slices.map((l, i) => ceilings[i]!.cpuUsPerRequest / l.cpuUsPerRequest),
        }
      } else {
        // beacons: a fixed count (20,000 a second of duration) so that every accepted view is counted
        result = await load(server, method, s.paths, duration, 20_000 * duration)
      }
      if (method === 'POST') views!.accepted += result.statuses['202'] ?? 0
      let note: string | undefined
      if (s.origin) {
        const counters = await cacheCounters(PORT)
        const hits = counters.hits - countersBefore!.hits
        const lookups = hits + counters.misses - countersBefore!.misses
        const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
        const bytesAfter = await databaseBytes(path)
        note = `database ${mb(bytesBefore)} -> ${mb(bytesAfter)} MB (${(100 * (bytesAfter - bytesBefore) / bytesBefore).toFixed(2)} %), response cache hits ${lookups > 0 ? (100 * hits / lookups).toFixed(1) : '-'} %`
      }
      rows.push({ scenario: s.name, mode, status: 'ok', ...result, ...paired, peakRssMb: peakRssMb(server.child.pid), ...(note ? { note } : {}) })
      console.log(`  ${s.name}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.cpuUsPerRequest.toFixed(1)} us CPU/req ${JSON.stringify(result.statuses)}${note ? ` ${note}` : ''}`)
    }
    const exit = await stopProcess(server)
    if (exit !== 0) console.log(`  server exit code ${exit}: ${server.stderr().slice(-2000)}`)
    if (views) {
      const stored = await storedViews(path, views.hour) - views.before
      const row = rows.findLast((r) => r.mode === mode && r.scenario === 'view beacons')!
      row.note = `${views.accepted} accepted (202), ${stored} stored${stored === views.accepted ? '' : ' - MISMATCH'}`
    }
  }
  // the ceiling is loaded before the server runs, before each GET scenario and at the end; the
  // mean is the reference for scenarios without a paired run (beacons)
  await loadCeiling()
  const ceilingPeak = peakRssMb(ceiling!.child.pid)
  await stopProcess(ceiling!)
  const mean = (pick: (l: Load) => number) => ceilingRuns.reduce((sum, l) => sum + pick(l), 0) / ceilingRuns.length
  const top: Load = { ...ceilingRuns.at(-1)!, rps: mean((l) => l.rps), cpuUsPerRequest: mean((l) => l.cpuUsPerRequest), loadGenCpu: mean((l) => l.loadGenCpu) }
  const ceilingRow: Row = { scenario: 'ceiling: bare Fastify, article from memory', mode: '-', status: 'ok', ...top, peakRssMb: ceilingPeak, note: `${ceilingRuns.length} runs, ${Math.round(Math.min(...ceilingRuns.map((l) => l.rps)))}-${Math.round(Math.max(...ceilingRuns.map((l) => l.rps)))} req/s; each GET scenario's ratios are medians over ${PAIRS} alternating pairs` }
  for (const row of rows) {
    if (row.rps === undefined) continue
    row.ratio = row.pairRatios ? median(row.pairRatios) : row.rps / top.rps
    row.cpuRatio = row.pairCpuRatios ? median(row.pairCpuRatios) : top.cpuUsPerRequest / row.cpuUsPerRequest!
  }
  rows.push(ceilingRow)

  printTable(rows)
  console.log(`start-up (spawn to first /readyz 200): ${Object.entries(startups).map(([m, ms]) => `${m} ${ms} ms`).join(', ')}`)
  const resultsDir = join(root, 'bench', 'results')
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${opts.out}.json`), JSON.stringify({
    date: new Date().toISOString(),
    commit: execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, pinned: hasTaskset },
    settings: { engine, articles, durationSeconds: duration, connections, quick: opts.quick, databaseMb: dbMb, server: opts.server ?? 'dist/server.js' },
    startupMs: startups,
    rows,
  }, (key, value: unknown) => key === 'latencies' ? undefined : value, 2))
  console.log(`wrote bench/results/${opts.out}.json`)
}

function standInArticle (path: string, slug: string): string {
  const db = new Database(path, { readonly: true })
  const a = db.prepare('select a.*, s.slug as s_slug, s.name as s_name, s.path as s_path from articles a join sections s on s.id = a.section_id where a.slug = ?').get(slug) as Record<string, string | number>
  db.close()
  const section = { slug: a.s_slug, name: a.s_name, path: a.s_path }
  return JSON.stringify({
    id: a.id,
    slug: a.slug,
    url: `/${a.s_path}/${a.slug}`,
    headline: a.headline,
    standfirst: a.standfirst,
    body: JSON.parse(String(a.body)),
    byline: a.byline,
    authors: [],
    section,
    breadcrumbs: [section],
    tags: [],
    heroImage: a.hero_image ? JSON.parse(String(a.hero_image)) : null,
    publishedAt: new Date(Number(a.published_at)).toISOString(),
    updatedAt: new Date(Number(a.updated_at)).toISOString(),
    wordCount: a.word_count,
    readingTimeMinutes: Math.ceil(Number(a.word_count) / 230),
    relatedIds: [],
  })
}

function printTable (rows: Row[]) {
  const head = ['scenario', 'cache', 'req/s', 'p50 ms', 'p99 ms', 'ceiling req/s (paired)', 'vs ceiling (req/s)', 'server CPU us/req', 'vs ceiling (CPU/req)', 'load generator CPU', 'peak RSS MB', 'note']
  const lines = rows.map((r) => r.status !== 'ok'
    ? [r.scenario, r.mode, '-', '-', '-', '-', '-', '-', '-', '-', '-', r.status]
    : [r.scenario, r.mode, String(Math.round(r.rps!)), String(r.p50), String(r.p99), r.pairedCeiling ? String(Math.round(r.pairedCeiling.rps)) : '-', (r.ratio ?? 1).toFixed(2), r.cpuUsPerRequest!.toFixed(1), (r.cpuRatio ?? 1).toFixed(2), `${Math.round(100 * r.loadGenCpu!)}%`, String(r.peakRssMb ?? '-'),
        r.note ?? Object.entries(r.statuses ?? {}).filter(([code]) => !code.startsWith('2')).map(([code, n]) => `${n}x${code}`).join(' ')])
  console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`)
  for (const line of lines) console.log(`| ${line.join(' | ')} |`)
  console.log('')
}

await main()
