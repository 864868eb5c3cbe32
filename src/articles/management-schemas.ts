// Management schemas for articles: the create and patch bodies (strict: server-owned fields and
// unknown keys are refused), publish options, and the management representation with revisions.
import { z } from 'zod'
import { Author } from '../authors/schemas.js'
import { SectionPath, SectionRef } from '../sections/schemas.js'
import { Slug, Tag } from '../tags/schemas.js'
import { Body, HeroImage } from './schemas.js'

const Timestamp = z.iso.datetime().describe('RFC 3339 UTC timestamp.')
const ArticleId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ format: 'int64' })

export const ArticleIdParam = z.string().max(15).regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer article id')
  .transform(Number).describe('The article id (a positive integer).')

const STRICT_NOTE = 'Unknown fields, and fields the server owns (`id`, `status`, `revision`, `createdAt`, ' +
  '`updatedAt`, `publishedAt`, `wordCount`...), are refused with 400.'

const fields = {
  slug: Slug.describe('The URL slug; generated from the headline (ASCII-folded, made unique) when left out. Must be unused.'),
  headline: z.string().trim().min(1).max(300),
  standfirst: z.string().trim().max(1000).nullable().describe('The summary line under the headline.'),
  body: Body.describe('The body as blocks; each block is validated by its `type`.'),
  byline: z.string().trim().max(300).nullable().describe('The printed credit line, e.g. `AFP` or `By Jane Doe in Kyiv`.'),
  section: SectionPath.describe('The path of an existing section, e.g. `news/world-news`.'),
  tags: z.array(Slug).max(50).describe('Slugs of existing tags, in display order.'),
  authors: z.array(Slug).max(20).describe('Slugs of existing authors, in credit order.'),
  heroImage: HeroImage.nullable(),
  relatedIds: z.array(ArticleId).max(20).describe('Ids of existing articles the editors relate to this one, in order.'),
  live: z.boolean().describe('`true` makes the article a live blog (entries at `/v1/articles/{id}/entries`); `false` ends a live blog (its entries stay readable).'),
}

export const ArticleCreate = z.strictObject({
  slug: fields.slug.optional(),
  headline: fields.headline,
  standfirst: fields.standfirst.optional(),
  body: fields.body,
  byline: fields.byline.optional(),
  section: fields.section,
  tags: fields.tags.default([]),
  authors: fields.authors.default([]),
  heroImage: fields.heroImage.optional(),
  relatedIds: fields.relatedIds.default([]),
  live: fields.live.optional(),
}).meta({
  id: 'ArticleCreate',
  description: `A new article; it starts as a draft. ${STRICT_NOTE}`,
  example: {
    headline: 'Ceasefire talks resume as aid convoys wait at the border',
    standfirst: 'Negotiators meet again after a week of delays.',
    body: [{ type: 'paragraph', text: 'The talks resumed on Monday.' }],
    byline: 'AFP',
    section: 'news/world-news',
    tags: ['middle-east'],
    authors: ['afp'],
  },
})
export type ArticleCreate = z.infer<typeof ArticleCreate>

export const ArticlePatch = z.strictObject({
  slug: fields.slug.optional(),
  headline: fields.headline.optional(),
  standfirst: fields.standfirst.optional(),
  body: fields.body.optional(),
  byline: fields.byline.optional(),
  section: fields.section.optional(),
  tags: fields.tags.optional(),
  authors: fields.authors.optional(),
  heroImage: fields.heroImage.optional(),
  relatedIds: fields.relatedIds.optional(),
  live: fields.live.optional(),
}).meta({
  id: 'ArticlePatch',
  description: `Fields to change; those left out keep their value, lists given replace the whole list. ${STRICT_NOTE}`,
  example: { headline: 'Ceasefire talks resume in Cairo' },
})
export type ArticlePatch = z.infer<typeof ArticlePatch>

export const PublishOptions = z.strictObject({
  at: Timestamp.optional().describe('When to publish, in the future; left out = now. The article is `scheduled` until then.'),
}).meta({ id: 'PublishOptions' })

export const ArticleStatus = z.enum(['draft', 'scheduled', 'published']).meta({
  id: 'ArticleStatus',
  description: '`scheduled` is published with a `publishedAt` still in the future: it goes live at that second.',
})

export const ArticleManagement = z.object({
  id: z.number().int().meta({ format: 'int64' }),
  slug: z.string(),
  url: z.string().describe('The site path of the story: `/<section path>/<slug>`.'),
  headline: z.string(),
  standfirst: z.string().nullable(),
  body: Body,
  byline: z.string().nullable(),
  authors: z.array(Author),
  section: SectionRef,
  breadcrumbs: z.array(SectionRef),
  tags: z.array(Tag),
  heroImage: HeroImage.nullable(),
  status: ArticleStatus,
  revision: z.number().int().meta({ format: 'int32' }).describe('Goes up by one at every save; the `ETag` is `"<id>-<revision>"`.'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  publishedAt: Timestamp.nullable().describe('When it went (or goes) live; null for a draft. The first publication time is kept on later publishes.'),
  scheduledAt: Timestamp.nullable().describe('The future publication time of a scheduled article, otherwise null.'),
  wordCount: z.number().int().meta({ format: 'int32' }),
  readingTimeMinutes: z.number().int().meta({ format: 'int32' }).describe('At 230 words a minute, rounded up, at least 1 (the same as delivery).'),
  relatedIds: z.array(z.number().int().meta({ format: 'int64' })),
  live: z.boolean().optional().describe('Present on live blogs only: `true` while running, `false` once ended.'),
}).meta({ id: 'ArticleManagement', description: 'An article as the newsroom sees it, drafts included.' })
export type ArticleManagement = z.infer<typeof ArticleManagement>

export const RevisionSummary = z.object({
  revision: z.number().int().meta({ format: 'int32' }),
  keyName: z.string().nullable().describe('The name of the API key that saved this revision.'),
  savedAt: Timestamp,
  status: ArticleStatus,
  headline: z.string(),
}).meta({ id: 'RevisionSummary' })
export type RevisionSummary = z.infer<typeof RevisionSummary>

export const RevisionList = z.object({ data: z.array(RevisionSummary) }).meta({ id: 'RevisionList', description: 'Saved revisions, newest first.' })

export const Revision = RevisionSummary.extend({
  article: ArticleManagement.describe('The complete article as saved in this revision.'),
}).meta({ id: 'Revision' })
export type Revision = z.infer<typeof Revision>
