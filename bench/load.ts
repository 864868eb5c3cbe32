// Loading a server with autocannon (bench/run.ts, bench/liveblog.ts): req/s, p50/p99 over every
// response, and the server's CPU time per request read from /proc.
import autocannon from 'autocannon'
import { cpuMs, type Server } from './processes.js'

// a browser's User-Agent: fetch's own ("node") is a bot to isbot, and a bot's view is answered 202 but not counted
export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'

// A scenario's URLs: a fixed list (each connection cycles through it; autocannon builds each
// request once, as it does for the ceiling) or a function drawing one per request (random reads
// over the whole database, where building every request costs the load generator more).
export type Paths = readonly string[] | (() => string)

// loadGenCpu: the load generator's CPU use during the run (1 = a whole core: it, not the server, was the limit)
export interface Load { rps: number, p50: number, p99: number, latencies: number[], requests: number, cpuUsPerRequest: number, loadGenCpu: number, statuses: Record<string, number>, errors: number }

// autocannon appends every response body to a string (for its onResponse/expectBody features,
// unused here), so it decodes each body as UTF-8. For compressed bodies (binary) that decoding
// was most of the load generator's time (9 us of its ~23 us per response, profiled), so the load
// generator, not the server, set the req/s of compressed scenarios, while the ceiling's plain ASCII
// body decodes cheaply. Counting the bytes without decoding them keeps the comparison about the
// servers. (pipelinedRequests is autocannon 9's internal queue; if it changes, bodies are decoded
// again and only the numbers move.)
function skipBodyDecoding (client: autocannon.Client): void {
  const queue = (client as unknown as { pipelinedRequests?: { addBody?: unknown } }).pipelinedRequests
  if (queue && typeof queue.addBody === 'function') queue.addBody = () => {}
}

export interface LoadOptions {
  method: 'GET' | 'POST'
  paths: Paths
  seconds: number
  connections: number
  // send exactly that many requests (every answer is counted; with a duration, the requests in
  // flight when it ends reach the server but not the statistics)
  amount?: number | undefined
}

// Loads the server and measures its CPU time per request (independent of the load generator's limits).
export async function load (server: Server, { method, paths, seconds, connections, amount }: LoadOptions): Promise<Load> {
  const cpuBefore = cpuMs(server.child.pid)
  const ownBefore = process.cpuUsage()
  const started = performance.now()
  // every response's latency, so that slices of one scenario give one exact p50/p99
  const latencies: number[] = []
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    requests: typeof paths === 'function'
      ? [{ method, setupRequest: (req) => ({ ...req, path: paths() }) }]
      : paths.map((path) => ({ method, path })),
    headers: { 'accept-encoding': 'gzip, br', 'user-agent': BROWSER },
    setupClient: (client) => {
      skipBodyDecoding(client)
      ;(client as unknown as NodeJS.EventEmitter).on('response', (_status: number, _bytes: number, ms: number) => { latencies.push(ms) })
    },
  })
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]))
  const cpuUsPerRequest = (cpuMs(server.child.pid) - cpuBefore) * 1000 / Math.max(1, result.requests.total)
  const own = process.cpuUsage(ownBefore)
  const loadGenCpu = (own.user + own.system) / 1000 / (performance.now() - started)
  return { rps: result.requests.average, ...percentiles(latencies), latencies, requests: result.requests.total, cpuUsPerRequest, loadGenCpu, statuses, errors: result.errors + result.timeouts }
}

// p50 and p99 in ms (one decimal) over every response
export function percentiles (latencies: ArrayLike<number>): { p50: number, p99: number } {
  const sorted = Float64Array.from(latencies).sort()
  const at = (q: number) => sorted.length === 0 ? 0 : Math.round(10 * sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!) / 10
  return { p50: at(0.5), p99: at(0.99) }
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

// One scenario loaded in several slices: req/s averaged, CPU per request and p50/p99 over all requests.
export function merge (loads: Load[]): Load {
  const requests = loads.reduce((sum, l) => sum + l.requests, 0)
  const statuses: Record<string, number> = {}
  for (const l of loads) for (const [code, n] of Object.entries(l.statuses)) statuses[code] = (statuses[code] ?? 0) + n
  return {
    rps: loads.reduce((sum, l) => sum + l.rps, 0) / loads.length,
    ...percentiles(loads.flatMap((l) => l.latencies)),
    latencies: loads.flatMap((l) => l.latencies),
    requests,
    cpuUsPerRequest: loads.reduce((sum, l) => sum + l.cpuUsPerRequest * l.requests, 0) / Math.max(1, requests),
    loadGenCpu: loads.reduce((sum, l) => sum + l.loadGenCpu, 0) / loads.length,
    statuses,
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
  }
}
