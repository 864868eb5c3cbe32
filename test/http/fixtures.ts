// Test-only content and routes for the http/ plugins: article-, list-, collection- and
// most-viewed-shaped responses read from the real database, under /test/ (no real route clashes).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../src/app.js'
import { iso } from '../../src/articles/summaries.js'
import { setLastModified } from '../../src/http/conditional.js'
import { notFound } from '../../src/http/problem.js'
import { insertArticle, insertAuthor, insertCollection, insertSection, insertTag, type Seed } from '../fixtures.js'

// the test clock's start (makeClock's default)
export const T0 = Date.parse('2026-11-24T12:00:00.000Z')

// News > World News, a tag, an agency, two live stories (1 related to 2) and a `selected` collection.
export function seedNewsroom (db: Seed): void {
  insertSection(db, { slug: 'news', name: 'News' })
  insertSection(db, { slug: 'world-news', name: 'World News', parent: 'news' })
  insertTag(db, { slug: 'climate', name: 'Climate' })
  insertAuthor(db, { slug: 'afp', name: 'AFP', kind: 'agency' })
  insertArticle(db, { id: 2, slug: 'aid-convoys-wait', headline: 'Headline aid-convoys-wait', section: 'news/world-news', publishedAt: T0 - 7_200_000 })
  insertArticle(db, { id: 1, slug: 'talks-resume', headline: 'Headline talks-resume', section: 'news/world-news', publishedAt: T0 - 3_600_000, tags: ['climate'], authors: ['afp'], related: [2] })
  insertCollection(db, 'selected', [{ articleId: 2 }])
}

interface Row { id: number, slug: string, headline: string, updated_at: number, section_slug: string, section_name: string, section_path: string }

function summary (r: Row) {
  return {
    id: r.id,
    slug: r.slug,
    url: `/${r.section_path}/${r.slug}`,
    headline: r.headline,
    section: { slug: r.section_slug, name: r.section_name, path: r.section_path },
    updatedAt: iso(r.updated_at),
  }
}

const SUMMARY_SQL = `select a.id, a.slug, a.headline, a.updated_at, s.slug as section_slug, s.name as section_name, s.path as section_path
  from articles a join sections s on s.id = a.section_id where a.status = 'published' and a.published_at <= :now`

// Read with the store's engine-neutral runner, so they answer the same on SQLite and PostgreSQL.
export function registerTestRoutes (app: App): void {
  const sql = app.store.repos.sql
  app.get('/test/articles/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply) => {
    const row = await sql.get<Row>(`${SUMMARY_SQL} and a.slug = :slug`, { now: app.clock(), slug: request.params.slug })
    if (!row) throw notFound('article', request.params.slug)
    setLastModified(reply, row.updated_at)
    return {
      ...summary(row),
      breadcrumbs: [{ slug: 'news', name: 'News', path: 'news' }, summary(row).section],
      body: [{ type: 'paragraph', text: 'Text.' }, { type: 'image', src: 'https://x.example/a.png', alt: '', caption: null, credit: null }],
      tags: await sql.all('select t.slug, t.name, t.type, t.description from tags t join article_tags at on at.tag_id = t.id where at.article_id = :id order by at.position', { id: row.id }),
      authors: await sql.all('select u.slug, u.name, u.kind, u.bio, u.avatar_url as "avatarUrl" from authors u join article_authors aa on aa.author_id = u.id where aa.article_id = :id order by aa.position', { id: row.id }),
      relatedIds: (await sql.all<{ id: number }>('select related_id as id from article_related where article_id = :id order by position', { id: row.id })).map((r) => r.id),
    }
  })
  app.get('/test/latest', async (_request, reply) => {
    reply.surrogateKeys('articles:list')
    return { data: (await sql.all<Row>(`${SUMMARY_SQL} order by a.published_at desc`, { now: app.clock() })).map(summary) }
  })
  app.get('/test/collections/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>) => {
    const collection = (await sql.get<{ id: number, slug: string, name: string, description: string | null }>('select id, slug, name, description from collections where slug = :slug', { slug: request.params.slug }))!
    const rows = await sql.all<Row>(`${SUMMARY_SQL} and a.id in (select article_id from collection_items where collection_id = :id and (expires_at is null or expires_at > :now)) order by a.id`,
      { now: app.clock(), id: collection.id })
    return { slug: collection.slug, name: collection.name, description: collection.description, items: rows.map((r, position) => ({ position, article: summary(r) })) }
  })
  app.get('/test/most-viewed', async (_request, reply) => {
    reply.surrogateKeys('most-viewed')
    return { generatedAt: iso(app.clock()), data: [] }
  })
  app.get('/test/text', async (request: FastifyRequest<{ Querystring: { size?: string } }>) =>
    ({ text: 'news '.repeat(Number(request.query.size ?? 10) / 5) }))
  app.get('/test/private', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store')
    return { secret: app.clock() }
  })
  app.post('/test/write', async (_request, reply) => reply.code(201).send({ ok: true }))
}
