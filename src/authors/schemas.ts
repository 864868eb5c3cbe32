// Author schemas (staff writers, contributors and wire agencies).
import { z } from 'zod'

export const AuthorKind = z.enum(['staff', 'contributor', 'agency']).meta({ id: 'AuthorKind' })

export const Author = z.object({
  slug: z.string(),
  name: z.string(),
  kind: AuthorKind,
  bio: z.string().nullable(),
  avatarUrl: z.string().nullable(),
}).meta({ id: 'Author', description: 'An author; a wire agency such as AFP is an author of kind `agency`.', example: { slug: 'afp', name: 'AFP', kind: 'agency', bio: 'Agence France-Presse, international news agency.', avatarUrl: null } })
export type Author = z.infer<typeof Author>
