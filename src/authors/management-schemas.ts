// Management schemas for authors (staff, contributors, wire agencies): strict create and patch bodies.
import { z } from 'zod'
import { HttpUrl } from '../articles/schemas.js'
import { Slug } from '../tags/schemas.js'
import { AuthorKind } from './schemas.js'

const NOTE = 'Unknown fields and server-owned ones (`id`, `createdAt`, `updatedAt`) are refused with 400.'
const fields = {
  slug: Slug.describe('The author slug; generated from the name when left out. Must be unused.'),
  name: z.string().trim().min(1).max(200),
  kind: AuthorKind,
  bio: z.string().trim().max(5000).nullable(),
  avatarUrl: HttpUrl.nullable(),
}

export const AuthorCreate = z.strictObject({
  slug: fields.slug.optional(),
  name: fields.name,
  kind: fields.kind,
  bio: fields.bio.optional(),
  avatarUrl: fields.avatarUrl.optional(),
}).meta({ id: 'AuthorCreate', description: `A new author. ${NOTE}`, example: { slug: 'afp', name: 'AFP', kind: 'agency', bio: 'Agence France-Presse.' } })
export type AuthorCreate = z.infer<typeof AuthorCreate>

export const AuthorPatch = z.strictObject({
  slug: fields.slug.optional(),
  name: fields.name.optional(),
  kind: fields.kind.optional(),
  bio: fields.bio.optional(),
  avatarUrl: fields.avatarUrl.optional(),
}).meta({ id: 'AuthorPatch', description: `Fields to change. ${NOTE}` })
export type AuthorPatch = z.infer<typeof AuthorPatch>

export const AuthorSlugParams = z.object({ slug: Slug.describe('The author slug.') })
