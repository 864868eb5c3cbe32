// Management schemas for tags: strict create and patch bodies.
import { z } from 'zod'
import { Slug, TagType } from './schemas.js'

const NOTE = 'Unknown fields and server-owned ones (`id`, `createdAt`, `updatedAt`) are refused with 400.'
const fields = {
  slug: Slug.describe('The tag slug; generated from the name when left out. Must be unused.'),
  name: z.string().trim().min(1).max(200),
  type: TagType,
  description: z.string().trim().max(2000).nullable(),
}

export const TagCreate = z.strictObject({
  slug: fields.slug.optional(),
  name: fields.name,
  type: fields.type,
  description: fields.description.optional(),
}).meta({ id: 'TagCreate', description: `A new tag. ${NOTE}`, example: { slug: 'climate', name: 'Climate', type: 'topic' } })
export type TagCreate = z.infer<typeof TagCreate>

export const TagPatch = z.strictObject({
  slug: fields.slug.optional(),
  name: fields.name.optional(),
  type: fields.type.optional(),
  description: fields.description.optional(),
}).meta({ id: 'TagPatch', description: `Fields to change. ${NOTE}` })
export type TagPatch = z.infer<typeof TagPatch>

export const TagSlugParams = z.object({ slug: Slug.describe('The tag slug.') })
