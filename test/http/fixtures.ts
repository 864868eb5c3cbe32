// Test-only content and routes for the http/ plugins: article-, list-, collection- and
// most-viewed-shaped responses read from the real database, under /test/ (no real route clashes).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../../src/app.js'
import type { Db } from '../../src/db/connection.js'
import { iso } from '../../src/articles/summaries.js'
import { setLastModified } from '../../src/http/conditional.js'
import { notFound } from '../../src/http/problem.js'
import { timed } from '../../src/http/server-timing.js'

export const T0 = Date.parse('2026-11-24T12:00:00.000Z')

export function seedNewsroom (db: Db): void {
  const c = db.$client
  c.prepare(`insert into sections (id, slug, name, path, parent_id, position, created_at, updated_at) values
    (1, 'news', 'News', 'news', null, 0, 0, 0), (2, 'world-news', 'World News', 'news/world-news', 1, 0, 0, 0)`).run()
  c.prepare('insert into tags (id, slug, name, type, created_at, updated_at) values (1, \'climate\', \'Climate\', \'topic\', 0, 0)').run()
  c.prepare('insert into authors (id, slug, name, kind, created_at, updated_at) values (1, \'afp\', \'AFP\', \'agency\', 0, 0)').run()
  addArticle(db, { id: 1, slug: 'talks-resume', publishedAt: T0 - 3_600_000 })
  addArticle(db, { id: 2, slug: 'aid-convoys-wait', publishedAt: T0 - 7_200_000 })
  c.prepare('insert into article_tags (article_id, tag_id) values (1, 1)').run()
  c.prepare('insert into article_authors (article_id, author_id) values (1, 1)').run()
  c.prepare('insert into article_related (article_id, related_id) values (1, 2)').run()
  c.prepare('insert into collections (id, slug, name, created_at, updated_at) values (1, \'selected\', \'Selected\', 0, 0)').run()
  c.prepare('insert into collection_items (collection_id, position, article_id, expires_at) values (1, 0, 2, null)').run()
}

export function addArticle (db: Db, a: { id: number, slug: string, publishedAt: number, sectionId?: number, headline?: string }): void {
  db.$client.prepare(`insert into articles (id, slug, headline, body, section_id, status, published_at, created_at, updated_at)
    values (?, ?, ?, '[]', ?, 'published', ?, ?, ?)`)
    .run(a.id, a.slug, a.headline ?? `Headline ${a.slug}`, a.sectionId ?? 2, a.publishedAt, a.publishedAt, a.publishedAt)
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
  from articles a join sections s on s.id = a.section_id where a.status = 'published' and a.published_at <= ?`

export function registerTestRoutes (app: App): void {
  const db = app.db.$client
  app.get('/test/articles/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply) => {
    const row = timed(request, 'db', () => db.prepare(`${SUMMARY_SQL} and a.slug = ?`).get(app.clock(), request.params.slug) as Row | undefined)
    if (!row) throw notFound('article', request.params.slug)
    setLastModified(reply, row.updated_at)
    return {
      ...summary(row),
      breadcrumbs: [{ slug: 'news', name: 'News', path: 'news' }, summary(row).section],
      body: [{ type: 'paragraph', text: 'Text.' }, { type: 'image', src: 'https://x.example/a.png', alt: '', caption: null, credit: null }],
      tags: db.prepare('select t.slug, t.name, t.type, t.description from tags t join article_tags at on at.tag_id = t.id where at.article_id = ?').all(row.id),
      authors: db.prepare('select u.slug, u.name, u.kind, u.bio, u.avatar_url as avatarUrl from authors u join article_authors aa on aa.author_id = u.id where aa.article_id = ?').all(row.id),
      relatedIds: (db.prepare('select related_id as id from article_related where article_id = ?').all(row.id) as Array<{ id: number }>).map((r) => r.id),
    }
  })
  app.get('/test/latest', async (_request, reply) => {
    reply.surrogateKeys('articles:list')
    return { data: (db.prepare(`${SUMMARY_SQL} order by a.published_at desc`).all(app.clock()) as Row[]).map(summary) }
  })
  app.get('/test/collections/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>) => {
    const collection = db.prepare('select id, slug, name, description from collections where slug = ?').get(request.params.slug) as { id: number, slug: string, name: string, description: string | null }
    const rows = db.prepare(`${SUMMARY_SQL} and a.id in (select article_id from collection_items where collection_id = ? and (expires_at is null or expires_at > ?))`)
      .all(app.clock(), collection.id, app.clock()) as Row[]
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
