// Harness for end-to-end tests against the real server process: spawn on a given database, wait
// for its listen line, kill it with a signal, inspect the database file afterwards.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import Database from 'better-sqlite3'

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams
  baseUrl: string
  logs: Array<Record<string, unknown>>
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  // resolves with the first log line (parsed) that matches
  waitForLog: (match: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>
}

export async function startServer (databasePath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // one process (no tsx CLI wrapper), so a signal reaches the server itself
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: databasePath, DEMO_CONTENT: 'false', LOG_LEVEL: 'info', ...env },
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

export interface AcknowledgedWrite { kind: 'article' | 'view', key: string }

// TODO(management API): create articles concurrently with POST /v1/articles (and publish some, and
// send POST /v1/articles/{slug}/views beacons) using `token`, returning every write that was
// answered 2xx; verifyWrites below must then find each of them after the crash.
export async function driveWrites (_baseUrl: string, _token: string | undefined): Promise<AcknowledgedWrite[]> {
  return []
}

// Returns the acknowledged writes missing from the database (must be empty).
export function missingWrites (databasePath: string, writes: AcknowledgedWrite[]): AcknowledgedWrite[] {
  const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const findArticle = sqlite.prepare('select 1 from articles where slug = ?')
    return writes.filter((w) => w.kind === 'article' && findArticle.get(w.key) === undefined)
  } finally {
    sqlite.close()
  }
}
