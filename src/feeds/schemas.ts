// Feed schemas: the query (mode, limit), the feed file names, and the JSON Feed 1.1 document.
import { z } from 'zod'

export const FEED_FILES = {
  'rss.xml': 'rss',
  'atom.xml': 'atom',
  'feed.json': 'json',
} as const
export type FeedFile = keyof typeof FEED_FILES
export type FeedFormat = (typeof FEED_FILES)[FeedFile]

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
}

export function feedFormatOf (file: string): FeedFormat | undefined {
  return Object.hasOwn(FEED_FILES, file) ? FEED_FILES[file as FeedFile] : undefined
}

// Any other file name answers 404 (an unknown route), so the enum is documented, not validated.
export const FeedFileParam = z.string().max(100)
  .meta({ enum: Object.keys(FEED_FILES), description: 'The feed format: `rss.xml` (RSS 2.0), `atom.xml` (Atom 1.0) or `feed.json` (JSON Feed 1.1).' })

export const FeedQuery = z.object({
  mode: z.enum(['summary', 'full']).default('summary')
    .describe('`summary` (default): each entry carries the standfirst. `full`: each entry also carries the whole body as safe HTML (RSS `content:encoded`, Atom `content`, JSON Feed `content_html`).'),
  limit: z.coerce.number().int().min(1).max(100).meta({ format: 'int32' }).default(50).describe('Number of entries, 1 to 100 (default 50), latest first.'),
})
export type FeedQuery = z.infer<typeof FeedQuery>

const JsonFeedAuthor = z.object({ name: z.string() })

export const JsonFeedItem = z.object({
  id: z.string().describe('Stable `tag:` URI of the article; never changes when the slug or section does.'),
  url: z.url(),
  title: z.string(),
  content_html: z.string().optional().describe('Full mode: the body as safe HTML.'),
  content_text: z.string().optional().describe('Summary mode: the standfirst (or the headline when there is none).'),
  summary: z.string().optional(),
  image: z.url().optional().describe('The hero image.'),
  date_published: z.iso.datetime(),
  date_modified: z.iso.datetime(),
  authors: z.array(JsonFeedAuthor).optional(),
  tags: z.array(z.string()).optional(),
}).meta({ id: 'JsonFeedItem' })

export const JsonFeed = z.object({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string(),
  home_page_url: z.url(),
  feed_url: z.url(),
  description: z.string().optional(),
  language: z.string(),
  authors: z.array(JsonFeedAuthor),
  items: z.array(JsonFeedItem),
}).meta({ id: 'JsonFeed', description: 'A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/).' })
export type JsonFeed = z.infer<typeof JsonFeed>
