// The feeds repository on PostgreSQL: the same reads as on SQLite in raw SQL (ids as a jsonb array).
import type { PgConn } from '../db/postgres/store.js'
import { parseBody, type FeedsRepository } from './repository.js'

const TOPIC = 'id, name, description, updated_at as "updatedAt"'
const IDS = 'select value::integer from jsonb_array_elements_text(:ids)'

export function postgresFeedsRepository ({ sql }: PgConn): FeedsRepository {
  return {
    findSection: (path) => sql.get(`select ${TOPIC}, path from sections where path = :path`, { path }),
    findTag: (slug) => sql.get(`select ${TOPIC}, slug from tags where slug = :slug`, { slug }),
    async extras (ids, withBody) {
      const params = { ids: [...ids] }
      const [rows, authors, tags] = await Promise.all([
        sql.all<{ id: number, createdAt: number, body: unknown }>(
          `select id, created_at as "createdAt", ${withBody ? 'body' : 'null'} as body from articles where id in (${IDS})`, params),
        sql.all<{ articleId: number, name: string }>(`select aa.article_id as "articleId", au.name from article_authors aa
          join authors au on au.id = aa.author_id where aa.article_id in (${IDS}) order by aa.position, aa.article_id`, params),
        sql.all<{ articleId: number, slug: string, name: string }>(`select at.article_id as "articleId", t.slug, t.name from article_tags at
          join tags t on t.id = at.tag_id where at.article_id in (${IDS}) order by at.position, at.article_id`, params),
      ])
      return {
        articles: rows.map((row) => ({ id: row.id, createdAt: row.createdAt, body: withBody ? parseBody(row.body) : null })),
        authors,
        tags,
      }
    },
  }
}
