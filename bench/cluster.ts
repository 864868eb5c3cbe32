// `npm run bench -- --engine postgres --nodes 3`: N server processes on the bench database.
// - Invalidation: under read load on node B (autocannon on B's cached hot articles), an article
//   is edited through node A K times; after each answer, B is polled until it serves the new
//   headline. Reports p50/p99/max of that delay.
// - Throughput of uncached random article reads (RESPONSE_CACHE=false) through one node, then
//   through all N at once (one autocannon per node, side by side), per node and in total, with the
//   CPU of every PostgreSQL process per 1,000 reads (what bounds a real cluster: the nodes scale
//   out, the primary does not).
// Node processes are not pinned: on a 2-core machine N nodes share the cores with PostgreSQL and
// the load generator, so N nodes are not faster than one here.
import autocannon from 'autocannon'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PostgresStore } from '../src/db/postgres/store.js'
import { createApiKey } from '../src/keys/repository.js'
import type { Generated } from './generate.js'
import { startProcess, stopProcess, type Server } from './processes.js'

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!

const TICKS = 100
// CPU (ms) of every process named postgres (the server and its backends) on this machine
function postgresCpuMs (): number {
  let total = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (!stat.includes('(postgres)')) continue
      const fields = stat.split(') ')[1]!.split(' ')
      total += (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS
    } catch {
      // gone
    }
  }
  return total
}

const percentile = (sorted: number[], q: number) => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

export interface ClusterOptions { url: string, generated: Generated, nodes: number, root: string, connections: number, duration: number, port: number, rounds?: number }

async function startNodes (options: ClusterOptions, env: Record<string, string>): Promise<Server[]> {
  const servers: Server[] = []
  for (let i = 0; i < options.nodes; i++) {
    // core -1: not pinned (startProcess pins only when given a core it can use)
    servers.push(await startProcess(['node', join(options.root, 'dist', 'server.js')], env, options.port + i, i % 2))
  }
  return servers
}

export async function runClusterBench (options: ClusterOptions): Promise<Record<string, unknown>> {
  const { url, generated, nodes, connections, duration } = options
  const rounds = options.rounds ?? 100
  const baseEnv = { NODE_ENV: 'production', LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', HOST: '127.0.0.1', DATABASE_URL: url, VIEWS_RATE_LIMIT: '1000000000' }
  const store = PostgresStore.open({ url, max: 1 })
  let token: string
  try {
    token = await createApiKey(store, { name: `bench-cluster-${Date.now()}`, scopes: ['admin'], now: Date.now() })
  } finally {
    await store.close()
  }
  const result: Record<string, unknown> = { nodes, connections }

  // 1. invalidation delay under read load
  {
    const servers = await startNodes(options, { ...baseEnv, RESPONSE_CACHE: 'true' })
    try {
      const [a, b] = servers as [Server, Server]
      const slug = generated.hotSlugs[0]!
      const article = await (await fetch(`http://127.0.0.1:${a.port}/v1/articles/${slug}`)).json() as { id: number }
      let instance: { stop: () => void } | undefined
      const reads = new Promise<autocannon.Result>((resolve, reject) => {
        instance = autocannon({
          url: `http://127.0.0.1:${b.port}`,
          connections,
          duration: 3600,
          requests: generated.hotSlugs.slice(1).map((s) => ({ method: 'GET', path: `/v1/articles/${s}` })),
          headers: { 'accept-encoding': 'gzip, br', 'user-agent': BROWSER },
        }, (error, done) => { if (error) reject(error); else resolve(done) }) as unknown as { stop: () => void }
      })
      const delays: number[] = []
      let polls = 0
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${b.port}/v1/articles/${slug}`)).arrayBuffer()
        const headline = `Bench edit ${round} ${Date.now()}`
        const res = await fetch(`http://127.0.0.1:${a.port}/v1/articles/${article.id}`, {
          method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ headline }),
        })
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`)
        const answered = performance.now()
        for (;;) {
          polls++
          const seen = await (await fetch(`http://127.0.0.1:${b.port}/v1/articles/${slug}`)).json() as { headline: string }
          if (seen.headline === headline) break
          if (performance.now() - answered > 10_000) throw new Error('node B never served the edit')
        }
        delays.push(performance.now() - answered)
      }
      instance!.stop()
      const load = await reads
      const sorted = delays.sort((x, y) => x - y)
      result.invalidation = {
        rounds,
        p50Ms: Math.round(percentile(sorted, 0.5) * 10) / 10,
        p99Ms: Math.round(percentile(sorted, 0.99) * 10) / 10,
        maxMs: Math.round(sorted.at(-1)! * 10) / 10,
        pollsPerRound: Math.round(polls / rounds * 10) / 10,
        readLoadOnB: { rps: Math.round(load.requests.average), non2xx: load.non2xx },
      }
      console.log(`invalidation A -> B under ${Math.round(load.requests.average)} req/s on B: p50 ${result.invalidation && (result.invalidation as { p50Ms: number }).p50Ms} ms, p99 ${(result.invalidation as { p99Ms: number }).p99Ms} ms, max ${(result.invalidation as { maxMs: number }).maxMs} ms over ${rounds} edits`)
    } finally {
      for (const s of servers) await stopProcess(s)
    }
  }

  // 2. uncached reads: one node, then every node at once
  {
    const servers = await startNodes(options, { ...baseEnv, RESPONSE_CACHE: 'false' })
    try {
      const readsThrough = async (targets: Server[]) => {
        const pgBefore = postgresCpuMs()
        const runs = await Promise.all(targets.map((s) => autocannon({
          url: `http://127.0.0.1:${s.port}`,
          connections,
          duration,
          requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/articles/${pick(generated.publishedSlugs)}` }) }],
          headers: { 'accept-encoding': 'gzip, br', 'user-agent': BROWSER },
        })))
        const total = runs.reduce((sum, r) => sum + r.requests.total, 0)
        return {
          nodes: targets.length,
          totalRps: Math.round(runs.reduce((sum, r) => sum + r.requests.average, 0)),
          perNodeRps: runs.map((r) => Math.round(r.requests.average)),
          p99Ms: Math.max(...runs.map((r) => r.latency.p99)),
          postgresCpuMsPer1000Reads: Math.round((postgresCpuMs() - pgBefore) / Math.max(1, total) * 1000),
          non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
        }
      }
      // warm every node's connections and PostgreSQL's buffers
      await readsThrough(servers.slice(0, 1))
      const one = await readsThrough(servers.slice(0, 1))
      const all = await readsThrough(servers)
      result.uncachedArticleReads = { one, all, allOverOne: Math.round(all.totalRps / one.totalRps * 100) / 100 }
      console.log(`uncached article reads, ${connections} connections per node: 1 node ${one.totalRps} req/s (PostgreSQL ${one.postgresCpuMsPer1000Reads} ms CPU / 1,000 reads); ${nodes} nodes ${all.totalRps} req/s in total (${all.perNodeRps.join(' + ')}), ${all.postgresCpuMsPer1000Reads} ms / 1,000`)
    } finally {
      for (const s of servers) await stopProcess(s)
    }
  }
  return result
}
