// Tag schemas.
import { z } from 'zod'

export const TagType = z.enum(['topic', 'place', 'person', 'organisation']).meta({ id: 'TagType' })

export const Slug = z.string().min(1).max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single hyphens')

export const Tag = z.object({
  slug: z.string(),
  name: z.string(),
  type: TagType,
  description: z.string().nullable(),
}).meta({ id: 'Tag', description: 'A tag.', example: { slug: 'climate', name: 'Climate', type: 'topic', description: null } })
export type Tag = z.infer<typeof Tag>
