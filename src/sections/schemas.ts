// Section schemas: the tree node served by delivery and the short reference used in articles.
import { z } from 'zod'

export const SectionPath = z.string().min(1).max(400)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/, 'must be lowercase slugs joined by "/"')
  .describe('Slash-joined section slugs from the top of the tree, e.g. `news/world-news`.')

export const SectionRef = z.object({
  slug: z.string(),
  name: z.string(),
  path: z.string(),
}).meta({ id: 'SectionRef', description: 'A short reference to a section.', example: { slug: 'world-news', name: 'World News', path: 'news/world-news' } })
export type SectionRef = z.infer<typeof SectionRef>

export interface SectionNode {
  slug: string
  name: string
  path: string
  description: string | null
  position: number
  parent: SectionRef | null
  children: SectionNode[]
  breadcrumbs: SectionRef[]
}

export const Section: z.ZodType<SectionNode> = z.object({
  slug: z.string(),
  name: z.string(),
  path: z.string(),
  description: z.string().nullable(),
  position: z.number().int().meta({ format: 'int32' }).describe('Orders siblings, lowest first.'),
  parent: SectionRef.nullable().describe('The parent section, or null for a top-level section.'),
  get children () { return z.array(Section).describe('Child sections in `position` order, each with its own children.') },
  breadcrumbs: z.array(SectionRef).describe('From the top-level section down to this one.'),
}).meta({
  id: 'Section',
  description: 'A node of the section tree.',
  example: {
    slug: 'world-news',
    name: 'World News',
    path: 'news/world-news',
    description: 'Reporting from around the world.',
    position: 0,
    parent: { slug: 'news', name: 'News', path: 'news' },
    children: [],
    breadcrumbs: [{ slug: 'news', name: 'News', path: 'news' }, { slug: 'world-news', name: 'World News', path: 'news/world-news' }],
  },
})
