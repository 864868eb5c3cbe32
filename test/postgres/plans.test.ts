// The plans PostgreSQL runs Dateline's statements with. Every pooled session forces generic plans
// (src/db/postgres/connection.ts): a statement is planned once per connection, without knowing its
// parameters, so each statement must be written so that plan suits every value. This file serves
// the delivery API (and a few writes) from one pooled connection, then reads back the statements that
// connection prepared and checks each one's generic plan: never parallel workers, never a whole big
// table read. The bad plans it stands for were measured at 1,000,000 articles (README, PostgreSQL).
import supertest from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { closePg, openPg } from '../../src/db/postgres/connection.js'
import { runPostgresMigrations } from '../../src/db/postgres/migrate.js'
import { PostgresStore } from '../../src/db/postgres/store.js'
import { createApiKey } from '../../src/keys/repository.js'
import { DAY, HOUR, insertArchive, insertAuthor, insertCollection, insertSectionTree, seedStore, T0 } from '../fixtures.js'
import { makeClock } from '../helpers.js'
import { createTestDatabase, testPostgresUrl } from '../postgres.js'

const serverUrl = await testPostgresUrl()

// tables that grow with the archive: reading one whole costs seconds at 1,000,000 articles
const BIG = ['articles', 'article_listings', 'article_tags', 'article_authors', 'article_related', 'articles_search', 'page_views', 'revisions', 'sync_log', 'changes']
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
// articles in the archive
const ARCHIVE = 50_000

// Renaming a section or a tag changes every story filed under it, and the sync log records each
// one: a share of the archive that only a whole read serves well. Rare, and never on a GET.
const WHOLE_BY_DESIGN = [/where a\.section_id in \(select id from sub\)/, /where a\.id in \(select article_id from article_tags where tag_id = \$\d+\)/]

interface PlanNode { 'Node Type': string, 'Relation Name'?: string, 'Index Cond'?: string, Plans?: PlanNode[] }

// The nodes of a plan that start parallel workers or read a big table whole: a sequential scan, or
// an index scan with no condition on the index.
function wholeReads (node: PlanNode): string[] {
  const type = node['Node Type']
  const table = node['Relation Name']
  const whole = table !== undefined && BIG.includes(table) && (type === 'Seq Scan' || (type.startsWith('Index') && node['Index Cond'] === undefined))
  return [
    ...type.startsWith('Gather') ? [type] : [],
    ...whole ? [`${type} on ${table}`] : [],
    ...(node.Plans ?? []).flatMap(wholeReads),
  ]
}

interface Prepared { name: string, statement: string, types: string[], generic: number, custom: number }

describe.skipIf(!serverUrl)('PostgreSQL plans', () => {
  let url: string
  let store: PostgresStore
  let app: App

  beforeAll(async () => {
    url = await createTestDatabase(serverUrl!)
    const migrating = openPg({ url, max: 1 })
    try {
      await runPostgresMigrations(migrating, url)
    } finally {
      await closePg(migrating)
    }
    // one connection: every statement the app runs is prepared in the session read back below
    store = PostgresStore.open({ url, max: 1 })
    await seedStore(store, (s) => {
      insertSectionTree(s)
      insertAuthor(s, { slug: 'reuters', kind: 'agency' })
    })
    // an archive large enough for the planner to weigh reading a whole table against an index, as
    // it does at scale
    await insertArchive(store, { articles: ARCHIVE, newest: T0 })
    await seedStore(store, (s) => { insertCollection(s, 'picks', [ARCHIVE, ARCHIVE - 1, ARCHIVE - 2].map((articleId) => ({ articleId }))) })
    await store.repos.sql.run('analyze')
    const config = loadConfig({ DATABASE_URL: url, DEMO_CONTENT: 'false', OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', WEBHOOK_SECRET_KEY: 'plans-test-webhook-secret-key-0123456789' })
    app = await buildApp({ store, config, clock: makeClock(T0 + DAY) })
    await app.ready()
  }, 120_000)

  afterAll(async () => {
    await app?.close()
    await store?.close()
  })

  it('runs every pooled session with generic plans, no parallel workers and no JIT', async () => {
    const session = await store.repos.sql.get<Record<string, string>>(`select current_setting('plan_cache_mode') as plans,
      current_setting('max_parallel_workers_per_gather') as workers, current_setting('jit') as jit`)
    expect(session).toEqual({ plans: 'force_generic_plan', workers: '0', jit: 'off' })
  })

  it('plans every statement that reads and edits serve so that its generic plan walks indexes: never parallel workers, never a whole big table', async () => {
    const request = supertest(app.server)
    const key = await createApiKey(store, { name: 'plans', scopes: ['content:write', 'admin'], now: T0 })
    const auth = { authorization: `Bearer ${key}` }
    const gets = [
      `/v1/articles/story-${ARCHIVE}`, '/v1/articles/story-10', '/v1/articles?limit=20', '/v1/articles?section=news&limit=20',
      '/v1/articles?section=sport/football&limit=5', '/v1/articles?tag=tag-3&limit=10', '/v1/articles?author=reuters&limit=10',
      `/v1/articles?limit=10&since=${new Date(T0 - 100 * HOUR).toISOString()}&until=${new Date(T0 - 10 * HOUR).toISOString()}`,
      `/v1/articles/story-${ARCHIVE}/related?limit=5`, '/v1/articles/story-50000/related?limit=8',
      '/v1/search?q=harbour&limit=20', '/v1/search?q=harbour%20strike&limit=5', '/v1/search?q=%22town%2012345%22', '/v1/search?q=nothingmatches',
      '/v1/most-viewed?period=24h&limit=10', '/v1/most-viewed?period=7d&section=news&limit=5',
      '/v1/sections', '/v1/sections/news', '/v1/tags', '/v1/tags/tag-3', '/v1/authors', '/v1/authors/reuters',
      '/v1/collections/picks', '/v1/fronts', '/v1/fronts/news',
      '/v1/feeds/rss.xml', '/v1/feeds/sections/news/rss.xml', '/v1/feeds/tags/tag-3/atom.xml',
      '/v1/sitemaps/news.xml', '/v1/sitemaps/index.xml', '/v1/sitemaps/articles/2026-09.xml', '/v1/sync?limit=50',
    ]
    // with the next page of each, so that cursors are taken too
    for (const path of gets) {
      const res = await request.get(path)
      expect(res.status, path).toBe(200)
      const body = res.body as { page?: { nextCursor?: string | null }, nextPageToken?: string | null }
      const next = body.page?.nextCursor ? `${path}&cursor=${encodeURIComponent(body.page.nextCursor)}` : body.nextPageToken ? `/v1/sync?token=${encodeURIComponent(body.nextPageToken)}` : undefined
      if (next) expect((await request.get(next)).status, next).toBe(200)
    }
    for (let i = 0; i < 20; i++) await request.post(`/v1/articles/story-${ARCHIVE - (i % 10)}/views`).set('user-agent', BROWSER).expect(202)
    await app.views.flush()
    const created = await request.post('/v1/articles').set(auth).send({ headline: 'Harbour strike ends', body: [{ type: 'paragraph', text: 'Cranes move.' }], section: 'news/uk-news', tags: ['tag-3'], authors: ['reuters'] }).expect(201)
    const id = created.body.id as number
    await request.post(`/v1/articles/${id}/publish`).set(auth).set('if-match', String(created.headers.etag)).expect(200)
    // the writes an editor makes on an archive: edits, corrections to old stories, taxonomy
    await request.patch(`/v1/articles/${id}`).set(auth).send({ headline: 'Harbour strike over', tags: ['tag-4'], relatedIds: [ARCHIVE - 1] }).expect(200)
    await request.patch('/v1/articles/500').set(auth).send({ standfirst: 'Corrected.' }).expect(200)
    await request.post(`/v1/articles/${id}/unpublish`).set(auth).expect(200)
    await request.delete(`/v1/articles/${id}`).set(auth).expect(204)
    await request.patch('/v1/tags/tag-5').set(auth).send({ name: 'Renamed' }).expect(200)
    await request.patch('/v1/sections/news/world-news').set(auth).send({ name: 'World' }).expect(200)
    await request.put('/v1/collections/picks').set(auth).send({ name: 'Picks', items: [{ articleId: ARCHIVE - 3 }] }).expect(200)
    // a webhook endpoint (its deliveries fail: the host does not resolve) and a live blog
    const hook = await request.post('/v1/webhooks').set(auth).send({ url: 'https://hooks.example.com/dateline', events: ['article.published', 'article.updated'] }).expect(201)
    const live = await request.post('/v1/articles').set(auth).send({ headline: 'Storm live', body: [{ type: 'paragraph', text: 'Follow the storm.' }], section: 'news', live: true }).expect(201)
    await request.post(`/v1/articles/${live.body.id}/publish`).set(auth).expect(200)
    const entry = await request.post(`/v1/articles/${live.body.id}/entries`).set(auth).send({ body: [{ type: 'paragraph', text: 'Winds rise.' }] }).expect(201)
    await request.post(`/v1/articles/${live.body.id}/entries`).set(auth).send({ headline: 'Trees down', body: [{ type: 'paragraph', text: 'Across the city.' }], keyEvent: true }).expect(201)
    await request.patch(`/v1/articles/${live.body.id}/entries/${entry.body.id}`).set(auth).send({ pinned: true }).expect(200)
    const slug = live.body.slug as string
    for (const path of [`/v1/articles/${slug}`, `/v1/articles/${slug}/entries?limit=1`, `/v1/articles/${slug}/entries?order=oldest`,
      `/v1/articles/${slug}/entries?since=${new Date(T0).toISOString()}`, '/v1/webhooks', `/v1/webhooks/${hook.body.id}/deliveries`]) {
      const res = await request.get(path).set(auth)
      expect(res.status, path).toBe(200)
    }

    const prepared = await store.repos.sql.all<Prepared>(`select name, statement, parameter_types::text[] as types,
      generic_plans as generic, custom_plans as custom from pg_prepared_statements where not from_sql and statement not like '%pg_catalog%'`)
    expect(prepared.length).toBeGreaterThan(60)
    const custom = prepared.filter((p) => Number(p.custom) > 0).map((p) => p.statement)
    expect(custom).toEqual([])

    // each statement planned again with parallel plans made free, so that only the session's
    // setting keeps them out (a prepared statement keeps the plan it was made with)
    await store.tx(async ({ sql }) => {
      for (const setting of ['parallel_setup_cost', 'parallel_tuple_cost', 'min_parallel_table_scan_size', 'min_parallel_index_scan_size']) {
        await sql.run(`set local ${setting} = 0`)
      }
      const bad: Array<{ statement: string, reads: string[] }> = []
      for (const [i, p] of prepared.entries()) {
        if (/^\s*(commit|begin|rollback|set|listen|unlisten|analyze)\b/i.test(p.statement)) continue
        if (WHOLE_BY_DESIGN.some((pattern) => pattern.test(p.statement))) continue
        const types = p.types.length > 0 ? `(${p.types.join(', ')})` : ''
        await sql.run(`prepare checked${i}${types} as ${p.statement}`)
        const args = p.types.length > 0 ? `(${p.types.map(() => 'null').join(', ')})` : ''
        const [row] = await sql.all<{ 'QUERY PLAN': string | Array<{ Plan: PlanNode }> }>(`explain (format json) execute checked${i}${args}`)
        const value = row!['QUERY PLAN']
        const reads = wholeReads((typeof value === 'string' ? JSON.parse(value) as Array<{ Plan: PlanNode }> : value)[0]!.Plan)
        if (reads.length > 0) bad.push({ statement: p.statement, reads })
      }
      expect(bad).toEqual([])
    })
  }, 120_000)
})
