// Collection schemas: an editors' curated list as delivery serves it.
import { z } from 'zod'
import { ArticleSummary } from '../articles/schemas.js'

export const CollectionItem = z.object({
  position: z.number().int().meta({ format: 'int32' }).describe('0-based place in the list as delivered (renumbered after expired or unpublished items are left out).'),
  article: ArticleSummary,
}).meta({ id: 'CollectionItem' })

export const Collection = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  items: z.array(CollectionItem).describe('In the editors\' order; expired, unpublished and deleted articles are left out.'),
}).meta({
  id: 'Collection',
  description: 'A curated list of articles such as `selected` or `top-stories`.',
})
export type Collection = z.infer<typeof Collection>
