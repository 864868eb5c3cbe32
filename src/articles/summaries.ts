// Article summaries (the list item shape every module shares) and full articles built from the rows
// of either engine's repository (summaries.repository.sqlite.ts, repository.postgres.ts): one
// mapping, so both engines answer the same shape. "Live" is the one delivery invariant: status =
// 'published' and published_at <= now; callers cannot widen it except by passing preview = true
// for a content:preview request.
import type { Article, ArticleSummary, Block, HeroImage } from './schemas.js'
import { readingTimeMinutes } from './word-count.js'

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

// A summary row with its hero image as text (SQLite's JSON column).
export function toSummary (row: SummaryRow): ArticleSummary {
  return summaryOf(row, row.heroImage ? JSON.parse(row.heroImage) as HeroImage : null)
}

// A summary row with its hero image already parsed (and in schema order: PostgreSQL's jsonb).
export function summaryOf (row: Omit<SummaryRow, 'heroImage'>, heroImage: HeroImage | null): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    url: `/${row.sectionPath}/${row.slug}`,
    headline: row.headline,
    standfirst: row.standfirst,
    byline: row.byline,
    section: { slug: row.sectionSlug, name: row.sectionName, path: row.sectionPath },
    heroImage,
    // a draft seen in preview has no publication time yet: it shows its creation time
    publishedAt: iso(row.publishedAt ?? row.createdAt),
    updatedAt: iso(row.updatedAt),
  }
}

// The same summary from a raw row (better-sqlite3 `.raw()`: values in SUMMARY_COLUMNS order). Raw rows
// skip building one JS object per row inside the driver, which costs more than the query for a page.
export function toSummaryFromValues (v: readonly unknown[]): ArticleSummary {
  return summaryOf({
    id: v[0] as number,
    slug: v[1] as string,
    headline: v[2] as string,
    standfirst: v[3] as string | null,
    byline: v[4] as string | null,
    publishedAt: v[6] as number | null,
    createdAt: v[7] as number,
    updatedAt: v[8] as number,
    sectionSlug: v[9] as string,
    sectionName: v[10] as string,
    sectionPath: v[11] as string,
  }, v[5] ? JSON.parse(v[5] as string) as HeroImage : null)
}

export interface Visibility {
  now: number
  preview?: boolean
}

// A full delivery article: its summary and the parts each engine's statement gives (parsed).
export interface ArticleParts {
  body: Block[]
  wordCount: number
  authors: Article['authors']
  tags: Article['tags']
  breadcrumbs: Article['breadcrumbs']
  relatedIds: number[]
}

export function toArticle (summary: ArticleSummary, parts: ArticleParts): Article {
  return {
    id: summary.id,
    slug: summary.slug,
    url: summary.url,
    headline: summary.headline,
    standfirst: summary.standfirst,
    body: parts.body,
    byline: summary.byline,
    authors: parts.authors,
    section: summary.section,
    breadcrumbs: parts.breadcrumbs,
    tags: parts.tags,
    heroImage: summary.heroImage,
    publishedAt: summary.publishedAt,
    updatedAt: summary.updatedAt,
    wordCount: parts.wordCount,
    readingTimeMinutes: readingTimeMinutes(parts.wordCount),
    relatedIds: parts.relatedIds,
  }
}
