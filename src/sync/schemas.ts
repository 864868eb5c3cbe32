// GET /v1/sync: the query, the page and its items.
import { z } from 'zod'
import { Article } from '../articles/schemas.js'
import { SectionPath } from '../sections/schemas.js'
import { Slug } from '../tags/schemas.js'

export const SyncQuery = z.object({
  section: SectionPath.optional().describe('First call only: sync the articles of this section and every section under it (fixed for the whole sync: it travels in the tokens).'),
  tag: Slug.optional().describe('First call only: sync the articles with this tag (fixed for the whole sync).'),
  limit: z.coerce.number().int().min(1).max(500).meta({ format: 'int32' }).optional()
    .describe('Items per page, 1 to 500 (default 100; with a token, the first call\'s unless given).'),
  token: z.string().min(1).max(2000).optional()
    .describe('`nextPageToken` or `nextSyncToken` of a previous response; leave it out to start an initial sync.'),
})
export type SyncQuery = z.infer<typeof SyncQuery>

export const SyncArticleItem = z.object({
  type: z.literal('article'),
  article: Article,
}).meta({ id: 'SyncArticleItem', description: 'An article in the synced set, as it is now (store or replace it by `id`).' })

export const SyncTombstone = z.object({
  type: z.literal('tombstone'),
  id: z.number().int().meta({ format: 'int32' }),
  slug: z.string(),
  removedAt: z.iso.datetime().describe('When it left the set (the last write that touched it).'),
}).meta({
  id: 'SyncTombstone',
  description: 'The article is not in the synced set now (unpublished, deleted, moved out of the section or tag filter): delete it by `id` if you have it.',
})

export const SyncItem = z.discriminatedUnion('type', [SyncArticleItem, SyncTombstone]).meta({ id: 'SyncItem' })
export type SyncItem = z.infer<typeof SyncItem>

export const SyncPage = z.object({
  items: z.array(SyncItem),
  nextPageToken: z.string().nullable().describe('More pages follow: call again with it as `token`.'),
  nextSyncToken: z.string().nullable().describe('The last page: store it and call with it as `token` later to get what changed since.'),
}).meta({ id: 'SyncPage', description: 'One page of a sync; exactly one of the two tokens is non-null.' })
export type SyncPage = z.infer<typeof SyncPage>
