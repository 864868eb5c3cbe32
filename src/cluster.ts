// `npm run cluster -- --nodes 3`: several server processes on one PostgreSQL database
// (DATABASE_URL), on consecutive ports from PORT (default 3000), for a developer to see a cluster
// work: a write through one port is served by every other at once. Each node is `node
// dist/server.js` with the same environment; their JSON logs go to standard output, and the ports
// are printed on standard error once every node listens. SIGINT/SIGTERM stop every node gracefully.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

function fail (message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

const { values } = (() => {
  try {
    return parseArgs({ options: { nodes: { type: 'string', default: '3' }, port: { type: 'string' } }, strict: true })
  } catch (error) {
    return fail(`cluster: ${(error as Error).message} (usage: npm run cluster -- --nodes 3 [--port 3000])`)
  }
})()
const count = Number(values.nodes)
if (!Number.isInteger(count) || count < 1 || count > 32) fail('cluster: --nodes must be a whole number from 1 to 32')
const firstPort = Number(values.port ?? process.env.PORT ?? 3000)
if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort + count - 1 > 65535) fail('cluster: --port (or PORT) must be a port number')
if (!process.env.DATABASE_URL) fail('cluster: DATABASE_URL must name a PostgreSQL database: several nodes cannot share one SQLite file (README, "Running several nodes")')

const server = fileURLToPath(new URL('./server.js', import.meta.url))
const host = process.env.HOST ?? '127.0.0.1'
const children: ChildProcess[] = []
let listening = 0
let stopping = false

for (let i = 0; i < count; i++) {
  const port = firstPort + i
  const child = spawn(process.execPath, [server], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  let announced = false
  child.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk)
    if (!announced && chunk.includes('Server listening at')) {
      announced = true
      if (++listening === count) {
        process.stderr.write(`cluster: ${count} node(s) on one database:\n`)
        for (let n = 0; n < count; n++) process.stderr.write(`  node ${n + 1}: http://${host}:${firstPort + n}\n`)
      }
    }
  })
  child.on('exit', (code, signal) => {
    process.stderr.write(`cluster: node ${i + 1} (port ${port}) exited (${signal ?? code})\n`)
    // one node failing to start (a bad DATABASE_URL): stop the others too
    if (!stopping && code !== 0) stop('SIGTERM')
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(stopping ? 0 : 1)
  })
}

function stop (signal: NodeJS.Signals) {
  stopping = true
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal)
}
process.on('SIGINT', () => stop('SIGTERM'))
process.on('SIGTERM', () => stop('SIGTERM'))
