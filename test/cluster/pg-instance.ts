// PostgreSQL servers of the test's own (initdb in a temp folder, a free port, trust logins on
// 127.0.0.1 only), so a cluster test may stop, restart and replicate them without touching the
// machine's server: a primary with wal_level=replica, and streaming replicas made with
// `pg_basebackup -R`. Run as root, the server commands run as the `postgres` user (PostgreSQL refuses
// root). `missingPostgresBinaries()` says why they cannot run here (the test then skips).
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, appendFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

function binDir (): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => Number(v) >= 15).sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0]!, 'bin') : undefined
}

const isRoot = process.getuid?.() === 0

export function missingPostgresBinaries (): string | undefined {
  const bin = binDir()
  if (!bin || !existsSync(join(bin, 'initdb'))) return 'no PostgreSQL 15+ server binaries (initdb) under /usr/lib/postgresql (set PG_BIN)'
  return undefined
}

async function postgresUid (): Promise<{ uid: number, gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres'])
  const { stdout: gid } = await run('id', ['-g', 'postgres'])
  return { uid: Number(uid), gid: Number(gid) }
}

// runs a server binary as postgres when we are root
async function pg (command: string, args: string[]): Promise<string> {
  const path = join(binDir()!, command)
  const { stdout } = isRoot
    ? await run('runuser', ['-u', 'postgres', '--', path, ...args], { maxBuffer: 16 * 1024 * 1024 })
    : await run(path, args, { maxBuffer: 16 * 1024 * 1024 })
  return stdout
}

export function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface PgInstance {
  port: number
  dir: string
  // a URL for a database on it (trust login as postgres)
  url: (database?: string) => string
  start: () => Promise<void>
  // `immediate` is a crash (kill -9 of the server processes); `fast` a clean shutdown
  stop: (mode?: 'fast' | 'immediate') => Promise<void>
  remove: () => Promise<void>
}

async function makeDir (prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  if (isRoot) {
    const { uid, gid } = await postgresUid()
    chownSync(dir, uid, gid)
  }
  return dir
}

function instance (dir: string, port: number): PgInstance {
  const data = join(dir, 'data')
  const inst: PgInstance = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: async () => { await pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']) },
    stop: async (mode = 'fast') => { await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']).catch(() => {}) },
    remove: async () => {
      await inst.stop('immediate')
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return inst
}

function settings (port: number, dir: string, extra: string[] = []): string {
  return [
    '',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'full_page_writes = off',
    'wal_level = replica',
    'max_wal_senders = 5',
    'max_connections = 100',
    'shared_buffers = 32MB',
    'jit = off',
    ...extra,
    '',
  ].join('\n')
}

export async function startPrimary (): Promise<PgInstance> {
  const dir = await makeDir('dateline-pg-primary-')
  const port = await freePort()
  await pg('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
  appendFileSync(join(dir, 'data', 'postgresql.conf'), settings(port, dir))
  const primary = instance(dir, port)
  await primary.start()
  return primary
}

// A streaming replica of `primary` that applies each change `applyDelayMs` after its commit.
export async function startReplica (primary: PgInstance, applyDelayMs = 0): Promise<PgInstance> {
  const dir = await makeDir('dateline-pg-replica-')
  const port = await freePort()
  await pg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', join(dir, 'data'), '-R', '-X', 'stream', '-c', 'fast', '--no-sync'])
  appendFileSync(join(dir, 'data', 'postgresql.conf'), settings(port, dir, [`recovery_min_apply_delay = '${applyDelayMs}ms'`, 'hot_standby = on']))
  const replica = instance(dir, port)
  await replica.start()
  return replica
}
