// Streams a WordPress export (WXR 1.1/1.2) and yields its authors, categories, tags and items one
// at a time, so memory stays flat however large the file is.
import { createReadStream } from 'node:fs'
import { SaxesParser } from 'saxes'

export class WxrError extends Error {}

export interface WxrSite { baseSiteUrl: string | null, baseBlogUrl: string | null, title: string }
export interface WxrAuthor { login: string, displayName: string, email: string }
export interface WxrCategory { termId: number | null, nicename: string, parent: string, name: string, description: string }
export interface WxrTag { termId: number | null, slug: string, name: string, description: string }
export interface WxrItemTerm { domain: string, nicename: string, name: string }

export interface WxrItem {
  postId: number
  title: string
  link: string
  guid: string
  creator: string
  content: string
  excerpt: string
  postDate: string
  postDateGmt: string
  modifiedGmt: string
  postName: string
  status: string
  postParent: number | null
  postType: string
  password: string
  attachmentUrl: string
  terms: WxrItemTerm[]
  meta: Map<string, string>
}

export type WxrEvent =
  | { kind: 'site', site: WxrSite }
  | { kind: 'author', author: WxrAuthor }
  | { kind: 'category', category: WxrCategory }
  | { kind: 'tag', tag: WxrTag }
  | { kind: 'item', item: WxrItem }

export interface ReadOptions { onBytes?: (bytesRead: number) => void }

const ITEM_FIELDS: Record<string, keyof WxrItem> = {
  title: 'title',
  link: 'link',
  guid: 'guid',
  'dc:creator': 'creator',
  'content:encoded': 'content',
  'excerpt:encoded': 'excerpt',
  'wp:post_date': 'postDate',
  'wp:post_date_gmt': 'postDateGmt',
  'wp:post_modified_gmt': 'modifiedGmt',
  'wp:post_name': 'postName',
  'wp:status': 'status',
  'wp:post_type': 'postType',
  'wp:post_password': 'password',
  'wp:attachment_url': 'attachmentUrl',
}
const CHANNEL_RECORDS = new Set(['wp:author', 'wp:category', 'wp:tag'])

function toInt (value: string | undefined): number | null {
  const n = Number.parseInt((value ?? '').trim(), 10)
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

function emptyItem (): WxrItem {
  return {
    postId: 0,
    title: '',
    link: '',
    guid: '',
    creator: '',
    content: '',
    excerpt: '',
    postDate: '',
    postDateGmt: '',
    modifiedGmt: '',
    postName: '',
    status: '',
    postParent: null,
    postType: '',
    password: '',
    attachmentUrl: '',
    terms: [],
    meta: new Map(),
  }
}

function recordToEvent (name: string, r: Record<string, string>): WxrEvent | null {
  const get = (key: string) => (r[key] ?? '').trim()
  if (name === 'wp:author') {
    const login = get('wp:author_login')
    return login ? { kind: 'author', author: { login, displayName: get('wp:author_display_name') || login, email: get('wp:author_email') } } : null
  }
  if (name === 'wp:category') {
    const nicename = get('wp:category_nicename')
    return nicename
      ? { kind: 'category', category: { termId: toInt(r['wp:term_id']), nicename, parent: get('wp:category_parent'), name: get('wp:cat_name') || nicename, description: get('wp:category_description') } }
      : null
  }
  const slug = get('wp:tag_slug')
  return slug ? { kind: 'tag', tag: { termId: toInt(r['wp:term_id']), slug, name: get('wp:tag_name') || slug, description: get('wp:tag_description') } } : null
}

// Builds events from saxes callbacks. Only the fields Dateline uses are buffered; comments
// (wp:comment) and everything else inside an item are skipped.
class WxrCollector {
  readonly queue: WxrEvent[] = []
  private readonly stack: string[] = []
  private text: string | null = null
  private item: WxrItem | null = null
  private record: Record<string, string> | null = null
  private meta: { key: string, value: string } | null = null
  private term: WxrItemTerm | null = null
  private readonly channel: Record<string, string> = {}
  private siteSent = false
  sawWxrVersion = false
  sawRoot = false

  open (name: string, attributes: Record<string, string>): void {
    const depth = this.stack.length
    if (depth === 0) {
      if (name !== 'rss') throw new WxrError(`not a WordPress export: the root element is <${name}>, expected <rss>`)
      this.sawRoot = true
    }
    this.stack.push(name)
    const parent = this.stack[depth - 1]
    if (parent === 'channel') {
      if (name === 'item') this.item = emptyItem()
      else if (CHANNEL_RECORDS.has(name)) this.record = {}
      else this.text = ''
    } else if (this.item && parent === 'item') {
      if (name === 'category') {
        this.term = { domain: attributes.domain ?? '', nicename: attributes.nicename ?? '', name: '' }
        this.text = ''
      } else if (name === 'wp:postmeta') {
        this.meta = { key: '', value: '' }
      } else if (name in ITEM_FIELDS || name === 'wp:post_id' || name === 'wp:post_parent') {
        this.text = ''
      }
    } else if (this.meta && parent === 'wp:postmeta') {
      this.text = ''
    } else if (this.record && CHANNEL_RECORDS.has(parent ?? '')) {
      this.text = ''
    }
  }

  addText (chunk: string): void {
    if (this.text !== null) this.text += chunk
  }

  close (name: string): void {
    this.stack.pop()
    const parent = this.stack[this.stack.length - 1]
    const value = this.text ?? ''
    if (parent === 'channel') {
      this.text = null
      if (name === 'item' && this.item) {
        this.emit({ kind: 'item', item: this.item })
        this.item = null
      } else if (this.record) {
        const event = recordToEvent(name, this.record)
        this.record = null
        if (event) this.emit(event)
      } else {
        if (name === 'wp:wxr_version') this.sawWxrVersion = true
        this.channel[name] = value.trim()
      }
    } else if (this.item && parent === 'item') {
      this.text = null
      if (name === 'category' && this.term) {
        this.term.name = value.trim()
        this.item.terms.push(this.term)
        this.term = null
      } else if (name === 'wp:postmeta' && this.meta) {
        if (this.meta.key) this.item.meta.set(this.meta.key, this.meta.value)
        this.meta = null
      } else if (name === 'wp:post_id') {
        this.item.postId = toInt(value) ?? 0
      } else if (name === 'wp:post_parent') {
        this.item.postParent = toInt(value)
      } else if (ITEM_FIELDS[name]) {
        (this.item as unknown as Record<string, string>)[ITEM_FIELDS[name]] = name === 'content:encoded' ? value : value.trim()
      }
    } else if (this.meta && parent === 'wp:postmeta') {
      this.text = null
      if (name === 'wp:meta_key') this.meta.key = value.trim()
      if (name === 'wp:meta_value') this.meta.value = value
    } else if (this.record && CHANNEL_RECORDS.has(parent ?? '')) {
      this.text = null
      this.record[name] = value
    }
  }

  private emit (event: WxrEvent): void {
    if (!this.sawWxrVersion) throw new WxrError('not a WordPress export: no <wp:wxr_version> before the first record')
    if (!this.siteSent) {
      this.siteSent = true
      this.queue.push({ kind: 'site', site: this.site() })
    }
    this.queue.push(event)
  }

  site (): WxrSite {
    return { baseSiteUrl: this.channel['wp:base_site_url'] || null, baseBlogUrl: this.channel['wp:base_blog_url'] || null, title: this.channel.title ?? '' }
  }
}

export async function * readWxr (path: string, options: ReadOptions = {}): AsyncGenerator<WxrEvent> {
  const collector = new WxrCollector()
  const parser = new SaxesParser({ position: true })
  let fatal: Error | null = null
  parser.on('opentag', (tag) => {
    try { collector.open(tag.name, tag.attributes as Record<string, string>) } catch (error) { fatal ??= error as Error }
  })
  parser.on('text', (t) => collector.addText(t))
  parser.on('cdata', (t) => collector.addText(t))
  parser.on('closetag', (tag) => {
    try { collector.close(tag.name) } catch (error) { fatal ??= error as Error }
  })
  // An undefined entity (e.g. &nbsp; outside CDATA) is not worth aborting a migration; a broken
  // structure is, because the rest of the file can no longer be trusted.
  parser.on('error', (error) => {
    if (!/undefined entity|disallowed character/i.test(error.message)) fatal ??= new WxrError(`invalid XML: ${error.message}`)
  })
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  try {
    for await (const chunk of stream) {
      parser.write(chunk as string)
      if (fatal) throw fatal
      options.onBytes?.(stream.bytesRead)
      yield * collector.queue.splice(0)
    }
    parser.close()
    if (fatal) throw fatal
  } finally {
    stream.destroy()
  }
  if (!collector.sawRoot) throw new WxrError('not a WordPress export: the file is empty')
  if (!collector.sawWxrVersion) throw new WxrError('not a WordPress export: no <wp:wxr_version> found')
  yield * collector.queue.splice(0)
}
