// Live blog schemas: an entry (delivery and management views), the create and patch bodies
// (the same Body blocks as articles), entry pages, the `live` block of a live blog's article and the
// stream's events.
import { z } from 'zod'
import { Page } from '../articles/list-query.js'
import { Body } from '../articles/schemas.js'
import { Author } from '../authors/schemas.js'
import { Slug } from '../tags/schemas.js'

const Timestamp = z.iso.datetime().describe('RFC 3339 UTC timestamp.')
const Id = z.number().int().meta({ format: 'int64' })

export const EntryIdParam = z.string().max(15).regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer entry id')
  .transform(Number).describe('The entry id (a positive integer).')

const entryExample = {
  id: 7,
  createdAt: '2026-11-24T09:42:00.000Z',
  updatedAt: '2026-11-24T09:45:00.000Z',
  headline: 'Aid convoy crosses the border',
  body: [{ type: 'paragraph', text: 'The first twelve lorries crossed at 09:40 local time.' }],
  authors: [{ slug: 'afp', name: 'AFP', kind: 'agency', bio: null, avatarUrl: null }],
  keyEvent: true,
  pinned: false,
}

export const Entry = z.object({
  id: Id,
  createdAt: Timestamp,
  updatedAt: Timestamp.describe('Moves at every change of the entry.'),
  headline: z.string().nullable().describe('Optional for ordinary entries; every key event has one.'),
  body: Body,
  authors: z.array(Author).describe('In credit order.'),
  keyEvent: z.boolean().describe('Listed in the article\'s `live.keyEvents`.'),
  pinned: z.boolean().describe('Shown first on the first `order=newest` page.'),
  bodyHtml: z.string().optional().describe('Present with `format=html`: safe, escaped HTML rendered from the blocks (as for articles).'),
}).meta({ id: 'LiveEntry', description: 'One timestamped entry of a live blog.', example: entryExample })
export type Entry = z.infer<typeof Entry>

export const EntryList = z.object({
  data: z.array(Entry),
  page: Page,
}).meta({ id: 'LiveEntryList', description: 'One page of a live blog\'s entries.' })

export const EntryManagement = Entry.omit({ bodyHtml: true }).extend({
  articleId: Id,
  revision: z.number().int().meta({ format: 'int32' }).describe('Goes up by one at every change; the `ETag` is `"entry-<id>-<revision>"`.'),
}).meta({ id: 'LiveEntryManagement', description: 'An entry as the newsroom sees it.' })
export type EntryManagement = z.infer<typeof EntryManagement>

export const EntryRevision = z.object({
  revision: z.number().int().meta({ format: 'int32' }),
  keyName: z.string().nullable().describe('The name of the API key that saved this revision.'),
  savedAt: z.iso.datetime().describe('RFC 3339 UTC timestamp.'),
  entry: EntryManagement.describe('The entry as saved in this revision.'),
}).meta({ id: 'LiveEntryRevision' })
export type EntryRevision = z.infer<typeof EntryRevision>

export const EntryRevisionList = z.object({ data: z.array(EntryRevision) })
  .meta({ id: 'LiveEntryRevisionList', description: 'Saved revisions of an entry, newest first.' })

const fields = {
  headline: z.string().trim().min(1).max(300).nullable().describe('Short title of the entry; required for a key event.'),
  body: Body.min(1).describe('The entry as blocks, validated as article bodies are.'),
  authors: z.array(Slug).max(20).describe('Slugs of existing authors, in credit order.'),
  keyEvent: z.boolean().describe('A key event: listed in the article\'s `live.keyEvents` (needs a headline).'),
  pinned: z.boolean().describe('Pinned entries come first on the first newest-first page.'),
}

const STRICT_NOTE = 'Unknown fields and fields the server owns (`id`, `createdAt`, `revision`...) are refused with 400.'

export const EntryCreate = z.strictObject({
  headline: fields.headline.optional(),
  body: fields.body,
  authors: fields.authors.default([]),
  keyEvent: fields.keyEvent.default(false),
  pinned: fields.pinned.default(false),
}).meta({
  id: 'LiveEntryCreate',
  description: `A new entry, timestamped now. ${STRICT_NOTE}`,
  example: { headline: 'Aid convoy crosses the border', body: [{ type: 'paragraph', text: 'The first twelve lorries crossed at 09:40 local time.' }], authors: ['afp'], keyEvent: true },
})
export type EntryCreate = z.infer<typeof EntryCreate>

export const EntryPatch = z.strictObject({
  headline: fields.headline.optional(),
  body: fields.body.optional(),
  authors: fields.authors.optional(),
  keyEvent: fields.keyEvent.optional(),
  pinned: fields.pinned.optional(),
}).meta({
  id: 'LiveEntryPatch',
  description: `Fields to change; those left out keep their value. ${STRICT_NOTE}`,
  example: { pinned: true },
})
export type EntryPatch = z.infer<typeof EntryPatch>

export { KeyEvent, LiveState } from './live-state.js'

// The stream's events (documented for OpenAPI; the wire format is text/event-stream)
export const DeletedEvent = z.object({ id: Id.describe('The deleted entry\'s id.') }).meta({ id: 'LiveEntryDeleted' })

export const EntryQuery = z.object({
  order: z.enum(['newest', 'oldest']).default('newest').describe('`newest` (default) or `oldest` first.'),
  since: z.iso.datetime({ offset: true }).max(40).optional()
    .describe('Only entries created or changed after this RFC 3339 time (for polling clients), in the chosen order; no pinned-first.'),
  format: z.enum(['html']).optional().describe('`html` adds `bodyHtml` to every entry.'),
})
