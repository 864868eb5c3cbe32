// Most-viewed schemas: the ranking and its query.
import { z } from 'zod'
import { ArticleSummary } from '../articles/schemas.js'
import { PreviewQuery } from '../http/auth.js'
import { SectionPath } from '../sections/schemas.js'

export const PERIOD_HOURS = { '1h': 1, '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const
export const Period = z.enum(['1h', '24h', '7d', '30d']).meta({ id: 'MostViewedPeriod' })

export const MostViewedItem = z.object({
  rank: z.number().int().meta({ format: 'int32' }).describe('1 for the most viewed.'),
  views: z.number().int().meta({ format: 'int64' }).describe('Page views counted in the period.'),
  article: ArticleSummary,
}).meta({ id: 'MostViewedItem' })
export type MostViewedItem = z.infer<typeof MostViewedItem>

export const MostViewedQuery = z.object({
  period: Period.default('24h').describe('The window: the last hour, day, week or 30 days (counted in whole clock hours).'),
  section: SectionPath.optional().describe('Only articles in this section or any of its descendants.'),
  limit: z.coerce.number().int().min(1).max(50).meta({ format: 'int32' }).default(10).describe('How many articles, 1 to 50.'),
  ...PreviewQuery.shape,
})

export const MostViewed = z.object({
  period: Period,
  section: z.string().nullable().describe('The section path filtered on, or null for the whole site.'),
  generatedAt: z.iso.datetime().describe('When this answer was made (the time of the request); the counts behind it may be up to MOST_VIEWED_CACHE_SECONDS older.'),
  data: z.array(MostViewedItem),
}).meta({ id: 'MostViewed' })
