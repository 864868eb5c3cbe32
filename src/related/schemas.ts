// Related-articles schemas: a summary plus the reason it was chosen.
import { z } from 'zod'
import { ArticleSummary } from '../articles/schemas.js'
import { PreviewQuery } from '../http/auth.js'

export const RelatedReason = z.object({
  kind: z.enum(['editor', 'tags', 'section']).describe('`editor`: chosen by an editor; `tags`: shares tags with the story; `section`: from the same section (or its parent section).'),
  tags: z.array(z.string()).optional().describe('For `tags`: the shared tag slugs, the rarest (most telling) first.'),
  score: z.number().optional().describe('For automatic items: the relatedness score (shared tags weighted by rarity, plus section, scaled by closeness in publication time to the story).'),
}).meta({ id: 'RelatedReason' })
export type RelatedReason = z.infer<typeof RelatedReason>

export const RelatedArticle = ArticleSummary.extend({ reason: RelatedReason }).meta({ id: 'RelatedArticle' })
export type RelatedArticle = z.infer<typeof RelatedArticle>

export const RelatedArticles = z.object({
  data: z.array(RelatedArticle).describe('Editor-chosen articles first in their order, then automatic ones by score.'),
}).meta({ id: 'RelatedArticles' })

export const RelatedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(20).meta({ format: 'int32' }).default(6).describe('How many related articles, 1 to 20.'),
  ...PreviewQuery.shape,
})
