// Article schemas: body blocks (the discriminated union validated on the way in and out),
// the full delivery article, the list summary, and the list query and page.
import { z } from 'zod'
import { Author } from '../authors/schemas.js'
import { SectionRef } from '../sections/schemas.js'
import { Tag } from '../tags/schemas.js'
import { LiveState } from '../liveblogs/live-state.js'
import { articleExample } from './examples.js'

const MAX_TEXT = 20_000
const text = (max = MAX_TEXT) => z.string().trim().min(1).max(max)

export const HttpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain })
  .max(2048)
  .describe('An absolute `http:` or `https:` URL.')

export const ParagraphBlock = z.strictObject({
  type: z.literal('paragraph'),
  text: text().describe('The plain text of the paragraph.'),
}).meta({ id: 'ParagraphBlock', example: { type: 'paragraph', text: 'The talks resumed on Monday.' } })

export const HeadingBlock = z.strictObject({
  type: z.literal('heading'),
  level: z.union([z.literal(2), z.literal(3)]),
  text: text(300),
}).meta({ id: 'HeadingBlock', example: { type: 'heading', level: 2, text: 'What happens next' } })

export const ImageBlock = z.strictObject({
  type: z.literal('image'),
  src: HttpUrl,
  alt: z.string().trim().max(1000).describe('Text alternative for screen readers; empty only for decorative images.'),
  caption: z.string().trim().max(2000).nullable().default(null),
  credit: z.string().trim().max(300).nullable().default(null),
  width: z.number().int().min(1).max(100_000).meta({ format: 'int32' }).optional(),
  height: z.number().int().min(1).max(100_000).meta({ format: 'int32' }).optional(),
}).meta({ id: 'ImageBlock', example: { type: 'image', src: 'https://media.dateline.example/2026/maps/raqqa.png', alt: 'Map of the region', caption: 'The front line as of Monday.', credit: 'Dateline graphics', width: 1200, height: 800 } })

export const QuoteBlock = z.strictObject({
  type: z.literal('quote'),
  text: text(),
  attribution: z.string().trim().max(300).nullable().optional(),
}).meta({ id: 'QuoteBlock', example: { type: 'quote', text: 'We will rebuild.', attribution: 'The mayor' } })

export const ListBlock = z.strictObject({
  type: z.literal('list'),
  ordered: z.boolean(),
  items: z.array(text(2000)).min(1).max(500),
}).meta({ id: 'ListBlock', example: { type: 'list', ordered: false, items: ['First point', 'Second point'] } })

export const EmbedProvider = z.enum(['twitter', 'youtube', 'instagram', 'facebook', 'other']).meta({ id: 'EmbedProvider' })

export const EmbedBlock = z.strictObject({
  type: z.literal('embed'),
  provider: EmbedProvider,
  url: HttpUrl.describe('The URL of the third-party post or video; raw embed HTML is never accepted.'),
  title: z.string().trim().max(300).nullable().optional(),
}).meta({ id: 'EmbedBlock', example: { type: 'embed', provider: 'twitter', url: 'https://twitter.com/example/status/1', title: 'Statement from the ministry' } })

export const Block = z.discriminatedUnion('type', [ParagraphBlock, HeadingBlock, ImageBlock, QuoteBlock, ListBlock, EmbedBlock])
  .meta({ id: 'Block', description: 'One block of an article body, discriminated by `type`.' })
export type Block = z.infer<typeof Block>

export const Body = z.array(Block).max(2000)

export const HeroImage = z.strictObject({
  src: HttpUrl,
  alt: z.string().trim().max(1000),
  caption: z.string().trim().max(2000).nullable().default(null),
  credit: z.string().trim().max(300).nullable().default(null),
  width: z.number().int().min(1).max(100_000).meta({ format: 'int32' }).optional(),
  height: z.number().int().min(1).max(100_000).meta({ format: 'int32' }).optional(),
}).meta({ id: 'HeroImage', description: 'The lead picture of an article.', example: articleExample.heroImage })
export type HeroImage = z.infer<typeof HeroImage>

const Timestamp = z.iso.datetime().describe('RFC 3339 UTC timestamp.')

export const ArticleSummary = z.object({
  id: z.number().int().meta({ format: 'int64' }),
  slug: z.string(),
  url: z.string().describe('The site path of the story: `/<section path>/<slug>`.'),
  headline: z.string(),
  standfirst: z.string().nullable(),
  byline: z.string().nullable().describe('The printed credit line.'),
  section: SectionRef,
  heroImage: HeroImage.nullable(),
  publishedAt: Timestamp,
  updatedAt: Timestamp,
}).meta({
  id: 'ArticleSummary',
  description: 'An article as it appears in lists.',
  example: {
    id: 42,
    slug: 'ceasefire-talks-resume',
    url: '/news/world-news/middle-east/ceasefire-talks-resume',
    headline: 'Ceasefire talks resume as aid convoys wait at the border',
    standfirst: 'Negotiators meet again after a week of delays.',
    byline: 'AFP',
    section: { slug: 'middle-east', name: 'Middle East', path: 'news/world-news/middle-east' },
    heroImage: null,
    publishedAt: '2026-11-24T09:30:00.000Z',
    updatedAt: '2026-11-24T10:02:00.000Z',
  },
})
export type ArticleSummary = z.infer<typeof ArticleSummary>

export const Article = z.object({
  id: z.number().int().meta({ format: 'int64' }),
  slug: z.string(),
  url: z.string().describe('The site path of the story: `/<section path>/<slug>`.'),
  headline: z.string(),
  standfirst: z.string().nullable(),
  body: z.array(Block),
  byline: z.string().nullable().describe('The printed credit line.'),
  authors: z.array(Author).describe('In credit order.'),
  section: SectionRef,
  breadcrumbs: z.array(SectionRef).describe('From the top-level section down to the article\'s section.'),
  tags: z.array(Tag),
  heroImage: HeroImage.nullable(),
  publishedAt: Timestamp,
  updatedAt: Timestamp,
  wordCount: z.number().int().meta({ format: 'int32' }).describe('Words in the headline, standfirst and body text.'),
  readingTimeMinutes: z.number().int().meta({ format: 'int32' }).describe('At 230 words a minute, rounded up, at least 1.'),
  relatedIds: z.array(z.number().int().meta({ format: 'int64' })).describe('Editor-chosen related article ids, in order.'),
  live: LiveState.optional(),
  bodyHtml: z.string().optional().describe('Present with `format=html`: safe, escaped HTML rendered from the blocks.'),
  bodyText: z.string().optional().describe('Present with `format=text`: the body as plain text. Blocks are separated by a blank line; ' +
    'a heading is a line of its own; list items start with `- ` or `1. `; a quote is `“text”` then a line `— attribution`; ' +
    'an image is `[Image: caption (credit)]` (the alt text when there is no caption); an embed is `[Embed: title] url`.'),
}).meta({ id: 'Article', description: 'A full article.', example: articleExample })
export type Article = z.infer<typeof Article>
