// Swagger UI as a developer uses it: the real server process, /docs in headless Chromium,
// "Try it out" on GET /v1/articles/{article}, and the 200 response with the article on the page.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeDb, openDb } from '../../src/db/connection.js'
import { runMigrations } from '../../src/db/migrate.js'
import { DATELINE_LOGO } from '../../src/http/openapi.js'
import { insertArticle, insertAuthor, insertSection } from '../fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const HEADLINE = 'Harbour reopens after the storm'
const TIMEOUT = 30_000

const hasChromium = existsSync(CHROMIUM)
const title = hasChromium
  ? 'Swagger UI at /docs (real server, headless Chromium)'
  : `Swagger UI at /docs: SKIPPED because ${CHROMIUM} is not installed (apt-get install chromium)`

function seedDatabase (path: string): void {
  const db = openDb({ path })
  try {
    runMigrations(db)
    insertSection(db, { slug: 'news', name: 'News' })
    insertAuthor(db, { slug: 'afp', name: 'AFP', kind: 'agency' })
    insertArticle(db, { slug: 'harbour-reopens', section: 'news', headline: HEADLINE, authors: ['afp'], byline: 'AFP', publishedAt: '2026-01-05T08:00:00.000Z' })
  } finally {
    closeDb(db)
  }
}

// Starts `tsx src/server.ts` in its own process group and resolves with the address it logs.
function startServer (databasePath: string): Promise<{ child: ChildProcess, base: string }> {
  const child = spawn('node_modules/.bin/tsx', ['src/server.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: databasePath, DEMO_CONTENT: 'false', LOG_LEVEL: 'info', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => { stderr += String(chunk) })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not log its address in time; stderr: ${stderr}`)), TIMEOUT)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}; stderr: ${stderr}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string }
      try { entry = JSON.parse(line) } catch { return }
      const address = /listening at (http:\/\/[^\s]+)/.exec(entry.msg ?? '')?.[1]
      if (address) {
        clearTimeout(timer)
        resolve({ child, base: address })
      }
    })
  })
}

async function stopServer (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(-child.pid, 'SIGTERM')
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, 10_000)
  await exited
  clearTimeout(timer)
}

describe.skipIf(!hasChromium)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-e2e-'))
  let server: { child: ChildProcess, base: string } | undefined
  let browser: BrowserContext | undefined

  beforeAll(async () => {
    const databasePath = join(dir, 'e2e.db')
    seedDatabase(databasePath)
    server = await startServer(databasePath)
    browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      timeout: TIMEOUT,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  }, 2 * TIMEOUT)

  afterAll(async () => {
    await browser?.close()
    if (server) await stopServer(server.child)
    rmSync(dir, { recursive: true, force: true })
  }, TIMEOUT)

  it('runs "Try it out" on GET /v1/articles/{article} and shows the 200 response with the article', async () => {
    const page = await browser!.newPage()
    page.setDefaultTimeout(TIMEOUT)
    await page.goto(`${server!.base}/docs`)

    // the top bar shows Dateline's name, not the Fastify logo @fastify/swagger-ui puts there by default
    const logo = page.locator('#swagger-ui .topbar .topbar-wrapper a.link img')
    const src = await logo.getAttribute('src')
    expect(src).toBe(`data:image/svg+xml;base64,${Buffer.from(DATELINE_LOGO).toString('base64')}`)
    expect(src).not.toContain(readFileSync('node_modules/@fastify/swagger-ui/static/logo.svg').toString('base64'))
    expect(await page.title()).toBe('Dateline API')

    const operation = page.locator('#operations-Articles-getArticle')
    await operation.locator('.opblock-summary').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.locator('tr[data-param-name="article"] input').fill('harbour-reopens')
    await operation.getByRole('button', { name: 'Execute' }).click()

    const response = operation.locator('.live-responses-table .response').first()
    await expect.poll(async () => (await response.locator('.response-col_status').textContent())?.trim(), { timeout: TIMEOUT }).toBe('200')
    const shown = await response.locator('.response-col_description').textContent()
    expect(shown).toContain(`"headline": "${HEADLINE}"`)
    expect(shown).toContain('"url": "/news/harbour-reopens"')
    const requestUrl = await operation.locator('.request-url pre').textContent()
    expect(requestUrl).toBe(`${server!.base}/v1/articles/harbour-reopens`)
  }, 2 * TIMEOUT)
})
