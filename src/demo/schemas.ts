// Shapes of the demo content, checked when it loads so a broken story fails loudly in tests.
import { z } from 'zod'
import { Body, HeroImage, HttpUrl } from '../articles/schemas.js'
import { AuthorKind } from '../authors/schemas.js'
import { SectionPath } from '../sections/schemas.js'
import { Slug, TagType } from '../tags/schemas.js'

const Text = z.string().trim().min(1)

// Sections are listed parents first; the slug is the last segment of the path.
export const DemoSection = z.strictObject({
  path: SectionPath,
  name: Text,
  description: Text,
  position: z.number().int().min(0),
  settings: z.record(z.string(), z.unknown()).default({}),
})
export type DemoSectionInput = z.input<typeof DemoSection>

export const DemoTag = z.strictObject({
  slug: Slug,
  name: Text,
  type: TagType,
  description: Text.nullable().default(null),
})
export type DemoTagInput = z.input<typeof DemoTag>

export const DemoAuthor = z.strictObject({
  slug: Slug,
  name: Text,
  kind: AuthorKind,
  bio: Text.nullable(),
  avatarUrl: HttpUrl.nullable(),
})
export type DemoAuthorInput = z.input<typeof DemoAuthor>

// Times are relative to the moment of loading: a published story appeared `hoursAgo` hours
// before it; a draft or scheduled story was created `hoursAgo` hours before it, and a scheduled
// one goes live `scheduledInHours` hours after it.
export const DemoStory = z.strictObject({
  slug: Slug,
  headline: Text.max(300),
  standfirst: Text.max(1000),
  section: SectionPath,
  byline: Text,
  authors: z.array(Slug).min(1).max(3),
  tags: z.array(Slug).min(2).max(4),
  heroImage: HeroImage.nullable().default(null),
  body: Body.min(4).max(12),
  state: z.enum(['published', 'draft', 'scheduled']).default('published'),
  hoursAgo: z.number().positive().max(24 * 31),
  updatedMinutesLater: z.number().int().min(0).default(0),
  scheduledInHours: z.number().positive().optional(),
  related: z.array(Slug).default([]),
}).refine((story) => (story.state === 'scheduled') === (story.scheduledInHours !== undefined), {
  message: 'scheduledInHours is required for a scheduled story and only for one',
  path: ['scheduledInHours'],
})
export type DemoStory = z.output<typeof DemoStory>
export type DemoStoryInput = z.input<typeof DemoStory>

export const DemoCollection = z.strictObject({
  slug: Slug,
  name: Text,
  description: Text,
  items: z.array(z.strictObject({
    story: Slug,
    // negative: the item already expired that many hours ago
    expiresInHours: z.number().optional(),
  })).min(1),
})
export type DemoCollectionInput = z.input<typeof DemoCollection>
