// SQLite internals of the articles repository (repository.sqlite.ts) and of other SQLite
// repositories that list articles: summaries by id, the summary columns and the live condition.
// Convention: a file named `*.repository.sqlite.ts` holds SQLite SQL used by repositories only;
// SQL lives nowhere else outside src/db/ and migrations (test/architecture.test.ts).
import { and, eq, lte, type SQL } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articles } from '../db/schema.js'
import { statement } from '../db/statements.js'
import type { ArticleSummary } from './schemas.js'
import { toSummary, type SummaryRow, type Visibility } from './summaries.js'

export function liveArticle (now: number): SQL {
  return and(eq(articles.status, 'published'), lte(articles.publishedAt, now))!
}

// The summary columns in raw SQL (articles as `a`, sections as `s`), named as SummaryRow.
export const SUMMARY_COLUMNS = 'a.id, a.slug, a.headline, a.standfirst, a.byline, a.hero_image as heroImage, ' +
  'a.published_at as publishedAt, a.created_at as createdAt, a.updated_at as updatedAt, ' +
  's.slug as sectionSlug, s.name as sectionName, s.path as sectionPath'

const SUMMARIES_BY_IDS = `select ${SUMMARY_COLUMNS} from articles a join sections s on s.id = a.section_id
  where a.id in (select value from json_each(:ids))`
// `+:now`: a bare parameter against an indexed column is re-planned at every run (see article.repository.sqlite.ts)
const LIVE_SUMMARIES_BY_IDS = `${SUMMARIES_BY_IDS} and a.status = 'published' and a.published_at <= +:now`

// Summaries for the given ids, in the order of `ids`; ids that are not live are left out.
export function findSummariesByIds (db: Db, ids: readonly number[], { now, preview = false }: Visibility): ArticleSummary[] {
  if (ids.length === 0) return []
  const rows = (preview
    ? statement(db, SUMMARIES_BY_IDS).all({ ids: JSON.stringify(ids) })
    : statement(db, LIVE_SUMMARIES_BY_IDS).all({ ids: JSON.stringify(ids), now })) as SummaryRow[]
  const byId = new Map(rows.map((row) => [row.id, toSummary(row)]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}
