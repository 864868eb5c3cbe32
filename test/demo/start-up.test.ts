import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { seed } from '../../src/cli/seed.js'
import { loadConfig } from '../../src/config.js'
import { closeDb, openDb } from '../../src/db/connection.js'
import { referenceStorySlug } from '../../src/demo/seed.js'

const dirs: string[] = []
afterEach(() => {
  vi.restoreAllMocks()
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true })
})

function tempDatabasePath (): string {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-demo-'))
  dirs.push(dir)
  return join(dir, 'nested', 'dateline.db')
}

function articleSlugs (path: string): string[] {
  const db = openDb({ path })
  try {
    return db.$client.prepare('select slug from articles').pluck().all() as string[]
  } finally {
    closeDb(db)
  }
}

// Runs src/server.ts as `npm run dev` would, waits until it listens, then stops it with SIGTERM.
function startAndStopServer (env: Record<string, string>): Promise<{ code: number | null, output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Server listening')) child.kill('SIGTERM')
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    // a server that never listens must not outlive the test
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(guard)
      resolve({ code, output })
    })
  })
}

describe('loading the demo content', () => {
  it('seed CLI loads the demo content into a new database, and only once', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const config = loadConfig({ DATABASE_PATH: tempDatabasePath() })
    await seed([], { config })
    expect(log).toHaveBeenLastCalledWith(`demo content loaded into ${config.databasePath}`)
    const slugs = articleSlugs(config.databasePath)
    expect(slugs.length).toBeGreaterThanOrEqual(43)
    expect(slugs).toContain(referenceStorySlug)

    await seed([], { config })
    expect(log).toHaveBeenLastCalledWith('the database already has articles; nothing loaded')
    expect(articleSlugs(config.databasePath)).toHaveLength(slugs.length)
  })

  it('server start-up loads the demo content into an empty database', async () => {
    const path = tempDatabasePath()
    const { code, output } = await startAndStopServer({ DATABASE_PATH: path })
    expect(output).toContain('Server listening')
    expect(code).toBe(0)
    expect(articleSlugs(path)).toContain(referenceStorySlug)
  })

  it('server start-up loads nothing when DEMO_CONTENT=false', async () => {
    const path = tempDatabasePath()
    const { code, output } = await startAndStopServer({ DATABASE_PATH: path, DEMO_CONTENT: 'false' })
    expect(output).toContain('Server listening')
    expect(code).toBe(0)
    expect(articleSlugs(path)).toEqual([])
  })
})
