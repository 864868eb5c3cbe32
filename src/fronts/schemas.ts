// Front schemas: the modules of a home or section page in one document.
import { z } from 'zod'
import { ArticleSummary } from '../articles/schemas.js'
import { PreviewQuery } from '../http/auth.js'
import { SectionRef } from '../sections/schemas.js'
import { MostViewedItem } from '../views/schemas.js'

export const FrontSection = SectionRef.extend({
  description: z.string().nullable(),
  breadcrumbs: z.array(SectionRef).describe('From the top-level section down to this one.'),
}).meta({ id: 'FrontSection', description: 'The section a front belongs to.' })

export const Front = z.object({
  section: FrontSection.nullable().describe('The section, or null for the home front.'),
  selected: z.array(ArticleSummary).describe('Editors\' picks: the collection named by the section\'s `selectedCollection` setting, or `selected`.'),
  latest: z.array(ArticleSummary).describe('Newest first, from the section and all its descendants (the whole site on the home front).'),
  mostViewed: z.array(MostViewedItem).describe('Most viewed in the last 24 hours in the section (the whole site on the home front); `rank` counts from 1 over the items shown.'),
}).meta({
  id: 'Front',
  description: 'A home or section front. No article appears in more than one module: an article already in `selected` is left out of `latest` and `mostViewed`, and one in `latest` out of `mostViewed`; each module is filled up to `limit` from further down its own list.',
})
export type Front = z.infer<typeof Front>

export const FrontQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).meta({ format: 'int32' }).default(10).describe('Articles per module, 1 to 50.'),
  ...PreviewQuery.shape,
})
