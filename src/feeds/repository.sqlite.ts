// The feeds repository on SQLite: the drizzle queries the feeds have always run, behind the async
// interface.
import { asc, eq, inArray, sql } from 'drizzle-orm'
import type { SqliteConn } from '../db/repositories.js'
import { articleAuthors, articles, articleTags, authors, sections, tags } from '../db/schema.js'
import { parseBody, type FeedsRepository } from './repository.js'

export function sqliteFeedsRepository ({ db }: SqliteConn): FeedsRepository {
  return {
    async findSection (path) {
      const section = db.select().from(sections).where(eq(sections.path, path)).get()
      return section && { id: section.id, path: section.path, name: section.name, description: section.description, updatedAt: section.updatedAt }
    },
    async findTag (slug) {
      const tag = db.select().from(tags).where(eq(tags.slug, slug)).get()
      return tag && { id: tag.id, slug: tag.slug, name: tag.name, description: tag.description, updatedAt: tag.updatedAt }
    },
    async extras (ids, withBody) {
      const list = [...ids]
      const body = withBody ? articles.body : sql<string>`'[]'`
      return {
        articles: db.select({ id: articles.id, createdAt: articles.createdAt, body }).from(articles)
          .where(inArray(articles.id, list)).all()
          .map((row) => ({ id: row.id, createdAt: row.createdAt, body: withBody ? parseBody(row.body) : null })),
        authors: db.select({ articleId: articleAuthors.articleId, name: authors.name })
          .from(articleAuthors).innerJoin(authors, eq(authors.id, articleAuthors.authorId))
          .where(inArray(articleAuthors.articleId, list)).orderBy(asc(articleAuthors.position)).all(),
        tags: db.select({ articleId: articleTags.articleId, slug: tags.slug, name: tags.name })
          .from(articleTags).innerJoin(tags, eq(tags.id, articleTags.tagId))
          .where(inArray(articleTags.articleId, list)).orderBy(asc(articleTags.position)).all(),
      }
    },
  }
}
