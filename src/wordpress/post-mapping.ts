// Maps one WordPress post item to the article Dateline will store: status and dates, headline,
// slug, standfirst, body blocks, hero image, and the terms and author it refers to.
import { countWords } from '../articles/word-count.js'
import { type Block, HeroImage } from '../articles/schemas.js'
import type { WxrItem } from './wxr-reader.js'
import { type Attachment, type ConversionContext, htmlToBlocks } from './html-to-blocks.js'
import { htmlToText, httpUrl, toSlug, truncate } from './text.js'

export interface PreparedArticle {
  externalId: string
  slug: string
  headline: string
  standfirst: string | null
  body: Block[]
  heroImage: HeroImage | null
  status: 'draft' | 'published'
  publishedAt: number | null
  createdAt: number
  updatedAt: number
  categories: string[]
  tags: string[]
  creator: string
  wordCount: number
}

export interface PostReport {
  warnings: string[]
  droppedShortcodes: Map<string, number>
}

export type PostOutcome = { article: PreparedArticle } | { skip: string }

const SKIPPED_STATUSES: Record<string, string> = { private: 'private', trash: 'trash', 'auto-draft': 'auto-draft', inherit: 'revision' }

// WXR dates are "YYYY-MM-DD HH:MM:SS"; post_date_gmt is UTC, "0000-00-00 00:00:00" means unset.
export function wxrDate (value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim())
  if (!m || m[1] === '0000') return null
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
  return Number.isFinite(ms) ? ms : null
}

function headlineOf (item: WxrItem, body: Block[], warn: (m: string) => void): string {
  const title = htmlToText(item.title)
  if (title.length > 300) {
    warn(`headline cut to 300 characters (was ${title.length})`)
    return truncate(title, 300)
  }
  if (title) return title
  const first = body.find((b): b is Extract<Block, { type: 'paragraph' | 'heading' }> => b.type === 'paragraph' || b.type === 'heading')
  warn(first ? 'no title: headline taken from the first paragraph' : 'no title and no text: headline "(untitled)"')
  return first ? truncate(first.text.replace(/\s+/g, ' '), 80) : '(untitled)'
}

function heroImageOf (item: WxrItem, attachment: ConversionContext['attachment'], baseUrl: string | null, warn: (m: string) => void): HeroImage | null {
  const id = Number.parseInt(item.meta.get('_thumbnail_id') ?? '', 10)
  if (!(id > 0)) return null
  const found: Attachment | undefined = attachment?.(id)
  if (!found) {
    warn(`featured image ${id} not found among the export's attachments`)
    return null
  }
  const parsed = HeroImage.safeParse({
    src: httpUrl(found.url, baseUrl) ?? '',
    alt: truncate(found.alt, 1000),
    caption: found.caption ? truncate(found.caption, 2000) : null,
    credit: null,
  })
  if (parsed.success) return parsed.data
  warn(`featured image ${id} dropped: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return null
}

export function preparePost (item: WxrItem, ctx: ConversionContext, now: number, report: PostReport): PostOutcome {
  const warn = (message: string) => report.warnings.push(`post ${item.postId}: ${message}`)
  const skipReason = SKIPPED_STATUSES[item.status]
  if (skipReason) return { skip: skipReason }
  if (!['publish', 'future', 'draft', 'pending'].includes(item.status)) return { skip: `unknown status "${item.status || '(none)'}"` }
  if (!(item.postId > 0)) return { skip: 'no post id' }

  const conversion = { droppedShortcodes: report.droppedShortcodes, warnings: [] as string[] }
  const { blocks } = htmlToBlocks(item.content, { ...ctx, postId: item.postId }, conversion)
  for (const w of conversion.warnings) warn(w)

  let status: PreparedArticle['status'] = item.status === 'publish' || item.status === 'future' ? 'published' : 'draft'
  if (status === 'published' && item.password) {
    warn('password-protected: imported as a draft so its content does not become public')
    status = 'draft'
  }
  const gmt = wxrDate(item.postDateGmt)
  const local = wxrDate(item.postDate)
  let date = gmt ?? local
  if (status === 'published' && gmt === null) {
    warn(local === null ? 'no publication date: published now' : 'no GMT date: local post_date read as UTC')
    date ??= now
  }
  const headline = headlineOf(item, blocks, warn)
  const standfirstText = htmlToText(item.excerpt)
  const standfirst = standfirstText ? truncate(standfirstText, 1000) : null
  const slug = toSlug(item.postName) || toSlug(headline) || `post-${item.postId}`
  return {
    article: {
      externalId: `wp:${item.postId}`,
      slug,
      headline,
      standfirst,
      body: blocks,
      heroImage: heroImageOf(item, ctx.attachment, ctx.baseUrl, warn),
      status,
      publishedAt: status === 'published' ? date : null,
      createdAt: date ?? now,
      updatedAt: wxrDate(item.modifiedGmt) ?? date ?? now,
      categories: item.terms.filter((t) => t.domain === 'category' && t.nicename).map((t) => t.nicename),
      tags: item.terms.filter((t) => t.domain === 'post_tag' && t.nicename).map((t) => t.nicename),
      creator: item.creator,
      wordCount: countWords(headline, standfirst, blocks),
    },
  }
}
