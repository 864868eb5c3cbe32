// Loads live article summaries by id (the list item shape every module shares). "Live" is the one
// delivery invariant: status = 'published' and published_at <= now; callers cannot widen it
// except by passing preview = true for a content:preview request.
import { and, eq, lte, type SQL } from 'drizzle-orm'
import type { Db } from '../db/connection.js'
import { articles } from '../db/schema.js'
import { statement } from '../db/statements.js'
import type { ArticleSummary, HeroImage } from './schemas.js'

// toISOString costs about 0.4 us and a list page formats 40 times, mostly the same instants as the
// last request: a bounded memo of the strings (a pure function, so never stale)
const isoStrings = new Map<number, string>()
export function iso (ms: number): string {
  let text = isoStrings.get(ms)
  if (text === undefined) {
    if (isoStrings.size >= 20_000) isoStrings.clear()
    text = new Date(ms).toISOString()
    isoStrings.set(ms, text)
  }
  return text
}

export function liveArticle (now: number): SQL {
  return and(eq(articles.status, 'published'), lte(articles.publishedAt, now))!
}

export type SummaryRow = {
  id: number
  slug: string
  headline: string
  standfirst: string | null
  byline: string | null
  heroImage: string | null
  publishedAt: number | null
  createdAt: number
  updatedAt: number
  sectionSlug: string
  sectionName: string
  sectionPath: string
}

export function toSummary (row: SummaryRow): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    url: `/${row.sectionPath}/${row.slug}`,
    headline: row.headline,
    standfirst: row.standfirst,
    byline: row.byline,
    section: { slug: row.sectionSlug, name: row.sectionName, path: row.sectionPath },
    heroImage: row.heroImage ? JSON.parse(row.heroImage) as HeroImage : null,
    // a draft seen in preview has no publication time yet: it shows its creation time
    publishedAt: iso(row.publishedAt ?? row.createdAt),
    updatedAt: iso(row.updatedAt),
  }
}

// The same summary from a raw row (better-sqlite3 `.raw()`: values in SUMMARY_COLUMNS order). Raw rows
// skip building one JS object per row inside the driver, which costs more than the query for a page.
export function toSummaryFromValues (v: readonly unknown[]): ArticleSummary {
  return toSummary({
    id: v[0] as number,
    slug: v[1] as string,
    headline: v[2] as string,
    standfirst: v[3] as string | null,
    byline: v[4] as string | null,
    heroImage: v[5] as string | null,
    publishedAt: v[6] as number | null,
    createdAt: v[7] as number,
    updatedAt: v[8] as number,
    sectionSlug: v[9] as string,
    sectionName: v[10] as string,
    sectionPath: v[11] as string,
  })
}

export interface Visibility {
  now: number
  preview?: boolean
}

// The summary columns in raw SQL (articles as `a`, sections as `s`), named as SummaryRow.
export const SUMMARY_COLUMNS = 'a.id, a.slug, a.headline, a.standfirst, a.byline, a.hero_image as heroImage, ' +
  'a.published_at as publishedAt, a.created_at as createdAt, a.updated_at as updatedAt, ' +
  's.slug as sectionSlug, s.name as sectionName, s.path as sectionPath'

const SUMMARIES_BY_IDS = `select ${SUMMARY_COLUMNS} from articles a join sections s on s.id = a.section_id
  where a.id in (select value from json_each(:ids))`
// `+:now`: a bare parameter against an indexed column is re-planned at every run (see repository.ts)
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
