// Management schemas for sections: create and patch bodies (strict) and the management view.
import { z } from 'zod'
import { Slug } from '../tags/schemas.js'
import { SectionPath, SectionRef } from './schemas.js'

const STRICT_NOTE = 'Unknown fields and server-owned ones (`path`, `createdAt`, `updatedAt`) are refused with 400.'

const SectionSettings = z.strictObject({
  selectedCollection: Slug.nullable().optional().describe('The collection the section front shows as `selected` (default: `selected`).'),
}).meta({ id: 'SectionSettings' })

const fields = {
  slug: Slug.describe('The section slug; generated from the name when left out. Must be unused among its siblings.'),
  name: z.string().trim().min(1).max(200),
  parent: SectionPath.nullable().describe('The path of the parent section; null or absent for a top-level section.'),
  description: z.string().trim().max(2000).nullable(),
  position: z.number().int().min(0).max(100_000).meta({ format: 'int32' }).describe('Orders siblings, lowest first.'),
  settings: SectionSettings,
}

export const SectionCreate = z.strictObject({
  slug: fields.slug.optional(),
  name: fields.name,
  parent: fields.parent.optional(),
  description: fields.description.optional(),
  position: fields.position.optional(),
  settings: fields.settings.optional(),
}).meta({ id: 'SectionCreate', description: `A new section. ${STRICT_NOTE}`, example: { slug: 'world-news', name: 'World News', parent: 'news' } })
export type SectionCreate = z.infer<typeof SectionCreate>

export const SectionPatch = z.strictObject({
  slug: fields.slug.optional(),
  name: fields.name.optional(),
  parent: fields.parent.optional().describe('Move under another section (null: to the top). Paths of the section and everything under it follow.'),
  description: fields.description.optional(),
  position: fields.position.optional(),
  settings: fields.settings.optional(),
}).meta({ id: 'SectionPatch', description: `Fields to change. ${STRICT_NOTE}` })
export type SectionPatch = z.infer<typeof SectionPatch>

export const ManagedSection = z.object({
  slug: z.string(),
  name: z.string(),
  path: z.string(),
  description: z.string().nullable(),
  position: z.number().int().meta({ format: 'int32' }),
  parent: SectionRef.nullable(),
  settings: z.object({ selectedCollection: z.string().nullable() }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).meta({ id: 'ManagedSection', description: 'A section as the newsroom manages it.' })
export type ManagedSection = z.infer<typeof ManagedSection>

export const SectionPathParams = z.object({
  '*': SectionPath.describe('The section path, slashes included, e.g. `news/world-news`.'),
})
