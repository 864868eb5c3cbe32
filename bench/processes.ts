// Child processes for the benchmark: spawn (pinned to a core with taskset when present), wait for
// readiness, read peak RSS from /proc, stop gracefully.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

export const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0

export function pinSelf (core: number): void {
  if (hasTaskset) spawnSync('taskset', ['-cp', String(core), String(process.pid)], { stdio: 'ignore' })
}

export interface Server { child: ChildProcess, port: number, startupMs: number, stderr: () => string }

// Children still running when the bench ends for any reason (a thrown error, Ctrl-C) are killed, so
// that a crashed run leaves no server behind for the next run to measure by mistake.
const running = new Set<ChildProcess>()
process.on('exit', () => { for (const child of running) child.kill('SIGKILL') })
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code))

export async function startProcess (args: string[], env: Record<string, string>, port: number, core: number): Promise<Server> {
  const command = hasTaskset ? 'taskset' : args[0]!
  const argv = hasTaskset ? ['-c', String(core), ...args] : args.slice(1)
  const started = performance.now()
  const child = spawn(command, argv, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let stderr = ''
  child.stderr!.on('data', (chunk) => { stderr += String(chunk) })
  const deadline = started + 120_000
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (res.status === 200) return { child, port, startupMs: performance.now() - started, stderr: () => stderr }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  child.kill('SIGKILL')
  throw new Error('server did not become ready in 120 s')
}

// The process doing the work: with taskset the child is taskset's exec'd program (same pid).
export function peakRssMb (pid: number | undefined): number | null {
  const file = `/proc/${pid}/status`
  if (pid === undefined || !existsSync(file)) return null
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(file, 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : null
}

export async function stopProcess (server: Server): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)))
  server.child.kill('SIGTERM')
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000)
  const code = await exited
  clearTimeout(timer)
  return code
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100

// CPU time (user + system) a process has used so far, in milliseconds.
export function cpuMs (pid: number | undefined): number {
  const file = `/proc/${pid}/stat`
  if (pid === undefined || !existsSync(file)) return 0
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS
}
