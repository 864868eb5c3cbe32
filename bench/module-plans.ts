// Prints EXPLAIN QUERY PLAN for the page modules' real queries (related, search, most viewed,
// section listing) on a generated database: `npx tsx bench/module-plans.ts [articles]`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listArticles, sectionDescendantIds } from '../src/articles/list.repository.sqlite.js'
import { SYNC_LISTING } from '../src/articles/listing.repository.js'
import { openDb, closeDb } from '../src/db/connection.js'
import { runMigrations } from '../src/db/migrate.js'
import { articles, articleTags, pageViews, sections, tags } from '../src/db/schema.js'
import { findRelated, findStory } from '../src/related/repository.sqlite.js'
import { parseSearchQuery } from '../src/search/query.js'
import { searchPage } from '../src/search/service.js'
import { SqliteStore } from '../src/db/sqlite/store.js'
import { rankMostViewed, windowStartHour } from '../src/views/ranking.js'

const count = Number(process.argv[2] ?? 5000)
const dir = mkdtempSync(join(tmpdir(), 'dateline-plans-'))
const db = openDb({ path: join(dir, 'plans.db') })
runMigrations(db)
const now = Date.parse('2026-11-24T12:00:00.000Z')
const words = ['harbour', 'election', 'flood', 'council', 'market', 'storm', 'school', 'border', 'talks', 'energy', 'rail', 'court']

db.transaction((tx) => {
  const top = ['news', 'sport', 'culture'].map((slug, i) => tx.insert(sections).values({ slug, name: slug, path: slug, position: i, createdAt: 0, updatedAt: 0 }).returning().get())
  const subs = top.flatMap((parent) => ['a', 'b', 'c'].map((s) => tx.insert(sections).values({ slug: `${parent.slug}-${s}`, name: s, path: `${parent.path}/${parent.slug}-${s}`, parentId: parent.id, createdAt: 0, updatedAt: 0 }).returning().get()))
  const tagIds = Array.from({ length: 60 }, (_, i) => tx.insert(tags).values({ slug: `tag-${i}`, name: `Tag ${i}`, type: 'topic', createdAt: 0, updatedAt: 0 }).returning().get().id)
  for (let i = 0; i < count; i++) {
    const publishedAt = now - (count - i) * 600_000
    const w = (k: number) => words[(i * 7 + k * 3) % words.length]
    const id = tx.insert(articles).values({
      slug: `story-${i}`,
      headline: `${w(0)} ${w(1)} report ${i}`,
      standfirst: `The ${w(2)} and the ${w(3)}.`,
      body: JSON.stringify([{ type: 'paragraph', text: `Body about ${w(4)} ${w(5)} ${w(6)} number ${i}.` }]),
      sectionId: subs[i % subs.length]!.id,
      status: i % 10 === 0 ? 'draft' : 'published',
      publishedAt,
      createdAt: publishedAt,
      updatedAt: publishedAt,
    }).returning().get().id
    // skewed tags: low ids are common, high ids rare
    for (const t of new Set([i % 5, 5 + (i % 17), 22 + (i % 38)])) tx.insert(articleTags).values({ articleId: id, tagId: tagIds[t]!, position: 0 }).run()
    for (const text of SYNC_LISTING) db.$client.prepare(text).run({ id })
    for (let h = 0; h < 3; h++) tx.insert(pageViews).values({ articleId: id, hour: Math.floor(publishedAt / 3_600_000) + h, views: (i * 31 + h) % 97 }).run()
  }
})
db.$client.exec('analyze')

const recorded: Array<{ source: string, params: unknown[] }> = []
const prepare = db.$client.prepare.bind(db.$client)
db.$client.prepare = ((source: string) => {
  const statement = prepare(source)
  for (const method of ['all', 'get', 'run'] as const) {
    const original = statement[method].bind(statement) as (...args: unknown[]) => unknown
    ;(statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      recorded.push({ source, params: args })
      return original(...args)
    }
  }
  return statement
}) as typeof db.$client.prepare

async function plans (title: string, run: () => unknown) {
  recorded.length = 0
  const started = performance.now()
  await run()
  const ms = performance.now() - started
  const seen = [...recorded]
  console.log(`\n### ${title} (${ms.toFixed(1)} ms, ${seen.length} statements)`)
  for (const { source, params } of seen) {
    console.log(`\n${source.replace(/\s+/g, ' ').trim().slice(0, 400)}`)
    for (const row of prepare(`explain query plan ${source}`).all(...(params as unknown[])) as Array<{ detail: string }>) console.log(`  ${row.detail}`)
  }
}

const visibility = { now }
const middle = `story-${Math.floor(count / 2) + 1}`
await plans('related', () => findRelated(db, findStory(db, middle, visibility)!, 6, visibility))
const store = new SqliteStore(db)
await plans('search', () => searchPage(store, parseSearchQuery('harbour "election report"'), {}, { limit: 20 }, visibility))
const news = db.$client.prepare("select id from sections where path = 'news'").get() as { id: number }
await plans('most viewed (24h, section news)', () => rankMostViewed(store, { fromHour: windowStartHour(now, '24h'), sectionId: news.id, limit: 10, now }))
await plans('most viewed (7d, site)', () => rankMostViewed(store, { fromHour: windowStartHour(now, '7d'), limit: 10, now }))
await plans('section listing (section=news, with descendants)', () => listArticles(db, { sectionIds: { root: news.id, all: sectionDescendantIds(db, news.id) } }, { limit: 20 }, visibility))

closeDb(db)
rmSync(dir, { recursive: true, force: true })
