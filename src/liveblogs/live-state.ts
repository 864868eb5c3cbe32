// The `live` block of a live blog's full article (apart from schemas.ts, which needs the article
// schemas: articles/schemas.ts imports this file).
import { z } from 'zod'

const Timestamp = z.iso.datetime().describe('RFC 3339 UTC timestamp.')
const Id = z.number().int().meta({ format: 'int64' })

export const KeyEvent = z.object({
  id: Id,
  headline: z.string(),
  createdAt: Timestamp,
}).meta({ id: 'LiveKeyEvent' })

export const LiveState = z.object({
  isLive: z.boolean().describe('false once the blog was ended with `PATCH` `live: false` (its entries stay readable).'),
  entryCount: z.number().int().meta({ format: 'int32' }),
  lastEntryAt: Timestamp.nullable().describe('When the newest entry was posted; null before the first.'),
  keyEvents: z.array(KeyEvent).describe('Every key event, newest first.'),
}).meta({ id: 'LiveBlogState', description: 'Present on live blogs only: the state of the blog.' })
export type LiveState = z.infer<typeof LiveState>
