// Converts WordPress post HTML (classic wpautop text, shortcodes or block-editor markup) into
// Dateline body blocks. Only plain text and http(s) URLs leave this module; every block is
// validated against the Block schema, and whatever is dropped is reported.
import { parseDocument } from 'htmlparser2'
import type { ChildNode, Element } from 'domhandler'
import { Block, Body } from '../articles/schemas.js'
import { embedForIframe, embedForUrl, isBareUrl } from './embeds.js'
import { expandShortcodes } from './shortcodes.js'
import { httpUrl, nodeText, splitLong, truncate } from './text.js'
import { blockquoteToBlocks, listToBlocks, tableToBlocks } from './html-structures.js'

export interface Attachment { id: number, url: string, parentId: number | null, caption: string | null, alt: string }

export interface ConversionContext {
  baseUrl: string | null
  postId?: number
  attachment?: (id: number) => Attachment | undefined
  attachmentsOf?: (postId: number) => Attachment[]
}

export interface ConversionReport { droppedShortcodes: Map<string, number>, warnings: string[] }

type ImageBlock = Extract<Block, { type: 'image' }>

const MAX_TEXT = 20_000
const HARD_BREAK = '\uE000'
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'svg', 'math', 'canvas',
  'map', 'form', 'input', 'button', 'select', 'textarea', 'option', 'frame', 'frameset', 'applet', 'param', 'source', 'track'])
const MEDIA = new Set(['video', 'audio', 'object', 'embed'])
const BLOCK_LEVEL = new Set(['p', 'div', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav', 'address', 'center',
  'dl', 'dt', 'dd', 'details', 'summary', 'hgroup', 'li', 'fieldset', 'legend', 'body', 'html', 'caption'])
const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif|bmp|tiff?|svg)(\?|$)/i

export function isElement (node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style'
}

function classes (el: Element): string[] {
  return (el.attribs.class ?? '').split(/\s+/).filter(Boolean)
}

function dimension (value: string | undefined): number | undefined {
  const n = /^\d{1,6}$/.test(value ?? '') ? Number(value) : 0
  return n > 0 && n <= 100_000 ? n : undefined
}

export class BlockBuilder {
  readonly blocks: Block[] = []
  private inline = ''
  private pre = 0

  constructor (readonly ctx: ConversionContext, readonly report: ConversionReport) {}

  warn (message: string): void {
    this.report.warnings.push(message)
  }

  flush (): void {
    const text = this.inline.replace(/\s+/g, ' ').replace(new RegExp(` ?${HARD_BREAK} ?`, 'g'), '\n').trim()
    this.inline = ''
    if (!text) return
    for (const piece of splitLong(text, MAX_TEXT)) this.blocks.push({ type: 'paragraph', text: piece })
  }

  private atLineStart (): boolean {
    return /(^|\n|\uE000)[^\S\n]*$/.test(this.inline) || this.inline.trim() === ''
  }

  private addText (text: string): void {
    if (this.pre > 0) {
      this.inline += text.replace(/\r?\n/g, HARD_BREAK)
      return
    }
    // wpautop: a blank line separates paragraphs; a bare oEmbed URL on its own line is an embed.
    const paragraphs = text.split(/\r?\n[^\S\n]*\r?\n/)
    paragraphs.forEach((paragraph, p) => {
      if (p > 0) this.flush()
      const lines = paragraph.split('\n')
      lines.forEach((line, i) => {
        const embed = isBareUrl(line) && (i > 0 || this.atLineStart()) ? embedForUrl(line) : null
        if (embed) {
          this.flush()
          this.blocks.push(embed)
        } else {
          this.inline += (i > 0 ? '\n' : '') + line
        }
      })
    })
  }

  walk (nodes: ChildNode[]): void {
    let skipEmbedFigure = false
    for (const node of nodes) {
      if (node.type === 'text') {
        if (skipEmbedFigure && node.data.trim() === '') continue
        skipEmbedFigure = false
        this.addText(node.data)
      } else if (node.type === 'comment') {
        skipEmbedFigure = this.blockComment(node.data) || skipEmbedFigure
      } else if (isElement(node)) {
        if (skipEmbedFigure && node.name === 'figure' && classes(node).includes('wp-block-embed')) {
          skipEmbedFigure = false
          continue
        }
        skipEmbedFigure = false
        this.element(node)
      } else if ('children' in node) {
        this.walk(node.children)
      }
    }
  }

  // Block-editor embeds carry their URL in the comment ({"url": ...}); the figure that follows
  // holds the same URL as text and is skipped.
  private blockComment (data: string): boolean {
    const m = /^\s*wp:(?:core-)?embed(?:\/[\w-]+)?\s+(\{[\s\S]*\})\s*\/?\s*$/.exec(data)
    if (!m?.[1]) return false
    let url: unknown
    try { url = (JSON.parse(m[1]) as { url?: unknown }).url } catch { return false }
    if (typeof url !== 'string') return false
    const embed = embedForUrl(url) ?? embedForIframe(url)
    if (!embed) return false
    this.flush()
    this.blocks.push(embed)
    return true
  }

  private element (el: Element): void {
    const name = el.name
    if (DROPPED.has(name)) return
    if (MEDIA.has(name)) {
      this.flush()
      this.warn(`<${name}> element dropped (no matching block type)`)
      return
    }
    if (name === 'br') { this.inline += HARD_BREAK; return }
    if (name === 'img') { this.flush(); this.image(el); return }
    if (name === 'iframe') { this.flush(); this.iframe(el); return }
    if (/^h[1-6]$/.test(name)) { this.flush(); this.heading(el); return }
    if (name === 'figure') { this.flush(); this.figure(el); return }
    if (name === 'blockquote') { this.flush(); blockquoteToBlocks(this, el); return }
    if (name === 'ul' || name === 'ol') { this.flush(); listToBlocks(this, el); return }
    if (name === 'table') { this.flush(); tableToBlocks(this, el); return }
    if (name === 'hr') { this.flush(); return }
    if (name === 'wp-gallery') { this.flush(); this.gallery(el.attribs['data-ids'] ?? ''); return }
    if (name === 'wp-embed') { this.flush(); this.embedUrl(el.attribs['data-url'] ?? ''); return }
    if (name === 'pre') {
      this.flush()
      this.pre++
      this.walk(el.children)
      this.pre--
      this.flush()
      return
    }
    const block = BLOCK_LEVEL.has(name)
    if (block) this.flush()
    this.walk(el.children)
    if (block) this.flush()
  }

  pushImage (raw: string | undefined, alt: string, caption: string | null, el?: Element): void {
    const src = httpUrl(raw, this.ctx.baseUrl)
    if (!src) {
      this.warn(`image dropped: ${raw ? `unsafe or invalid src "${truncate(raw, 80)}"` : 'no src'}`)
      return
    }
    const image: ImageBlock = { type: 'image', src, alt: truncate(alt.replace(/\s+/g, ' ').trim(), 1000), caption, credit: null }
    const width = dimension(el?.attribs.width)
    const height = dimension(el?.attribs.height)
    if (width) image.width = width
    if (height) image.height = height
    this.blocks.push(image)
  }

  private image (el: Element): void {
    this.pushImage(el.attribs.src || el.attribs['data-src'], el.attribs.alt ?? '', null, el)
  }

  private iframe (el: Element): void {
    const embed = embedForIframe(el.attribs.src ?? '')
    if (embed) this.blocks.push(embed)
    else this.warn(`iframe dropped: ${el.attribs.src ? `unsafe or invalid src "${truncate(el.attribs.src, 80)}"` : 'no src'}`)
  }

  private embedUrl (url: string): void {
    const embed = embedForUrl(url) ?? embedForIframe(url)
    if (embed) this.blocks.push(embed)
    else this.warn(`embed dropped: invalid URL "${truncate(url, 80)}"`)
  }

  private heading (el: Element): void {
    const text = nodeText(el.children).replace(/\s+/g, ' ').trim()
    if (!text) return
    if (text.length > 300) {
      this.blocks.push({ type: 'paragraph', text: truncate(text, MAX_TEXT) })
      return
    }
    this.blocks.push({ type: 'heading', level: el.name === 'h1' || el.name === 'h2' ? 2 : 3, text })
  }

  private figure (el: Element): void {
    const figcaption = el.children.find((c): c is Element => isElement(c) && c.name === 'figcaption')
    const caption = figcaption ? nodeText(figcaption.children).replace(/\s+/g, ' ').trim() : ''
    const start = this.blocks.length
    this.walk(el.children.filter((c) => c !== figcaption))
    this.flush()
    if (!caption) return
    const produced = this.blocks.slice(start)
    const images = produced.filter((b): b is ImageBlock => b.type === 'image')
    const embeds = produced.filter((b) => b.type === 'embed')
    if (images.length === 1 && images[0] && !images[0].caption) images[0].caption = truncate(caption, 2000)
    else if (images.length === 0 && embeds.length === 1 && embeds[0]) embeds[0].title = truncate(caption, 300)
    else this.blocks.push({ type: 'paragraph', text: truncate(caption, MAX_TEXT) })
  }

  private gallery (ids: string): void {
    const { attachment, attachmentsOf, postId } = this.ctx
    const wanted = ids.split(/[\s,]+/).map((id) => Number.parseInt(id, 10)).filter((id) => id > 0)
    let items: Attachment[]
    if (wanted.length > 0) {
      items = []
      for (const id of wanted) {
        const found = attachment?.(id)
        if (found) items.push(found)
        else this.warn(`gallery image ${id} not found among the export's attachments`)
      }
    } else {
      items = postId && attachmentsOf ? attachmentsOf(postId) : []
      if (items.length === 0) this.warn('gallery without ids and without attached images dropped')
    }
    for (const item of items) {
      if (IMAGE_FILE.test(item.url)) this.pushImage(item.url, item.alt, item.caption ? truncate(item.caption, 2000) : null)
    }
  }
}

export function htmlToBlocks (html: string, ctx: ConversionContext, report: ConversionReport = { droppedShortcodes: new Map(), warnings: [] }): { blocks: Block[], report: ConversionReport } {
  const builder = new BlockBuilder(ctx, report)
  builder.walk(parseDocument(expandShortcodes(html, report.droppedShortcodes)).children)
  builder.flush()
  const blocks: Block[] = []
  for (const raw of builder.blocks) {
    const parsed = Block.safeParse(raw)
    if (parsed.success) blocks.push(parsed.data)
    else report.warnings.push(`${raw.type} block dropped: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`)
  }
  if (blocks.length > 2000) {
    report.warnings.push(`body cut at 2000 blocks (had ${blocks.length})`)
    blocks.length = 2000
  }
  return { blocks: Body.parse(blocks), report }
}
