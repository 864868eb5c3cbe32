// Expands the WordPress shortcodes Dateline understands into HTML the block converter reads
// ([caption] -> <figure>, [gallery] -> <wp-gallery>, [embed] and friends -> <wp-embed>) and drops
// the rest, counting them by name.
import { escapeAttribute } from 'entities'

// Shortcodes WordPress core and common plugins register; anything else only counts as a shortcode
// when it looks like one (attributes, a closing tag or a hyphenated name), so "[sic]" survives.
const KNOWN = new Set(['caption', 'wp_caption', 'gallery', 'embed', 'audio', 'video', 'playlist', 'wpvideo', 'youtube',
  'vimeo', 'tweet', 'instagram', 'soundcloud', 'spotify', 'facebook', 'googlemaps', 'contact-form', 'contact-form-7',
  'gravityform', 'ninja_form', 'vc_row', 'vc_column', 'vc_column_text', 'et_pb_section', 'fusion_builder_container'])
const URL_SHORTCODES = new Set(['embed', 'youtube', 'vimeo', 'tweet', 'instagram', 'soundcloud', 'spotify', 'facebook'])

const OPENING = /\[(\[?)([a-zA-Z][\w-]*)((?:\s[^[\]]*?)?)(\/?)\](\]?)/g
const ATTRIBUTE = /([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)/g

export type ShortcodeAttributes = { named: Record<string, string>, positional: string[] }

export function parseAttributes (text: string): ShortcodeAttributes {
  const named: Record<string, string> = {}
  const positional: string[] = []
  for (const m of text.replace(/[\u00a0\u200b]/g, ' ').matchAll(ATTRIBUTE)) {
    if (m[1]) named[m[1].toLowerCase()] = m[2] ?? ''
    else if (m[3]) named[m[3].toLowerCase()] = m[4] ?? ''
    else if (m[5]) named[m[5].toLowerCase()] = m[6] ?? ''
    else positional.push(m[7] ?? m[8] ?? m[9] ?? '')
  }
  return { named, positional }
}

function looksLikeShortcode (name: string, attrs: string, closed: boolean): boolean {
  return KNOWN.has(name.toLowerCase()) || closed || /[-_]/.test(name) || /\s[\w-]+\s*=|\s["']|\shttps?:/.test(attrs)
}

function caption (attrs: ShortcodeAttributes, content: string): string {
  const m = /^\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(content)
  const image = m ? m[1] : content
  const text = (m?.[2] ?? '').trim() || (attrs.named.caption ?? '').trim()
  return `<figure class="wp-caption">${image}${text ? `<figcaption>${text}</figcaption>` : ''}</figure>`
}

function expand (name: string, attrs: ShortcodeAttributes, content: string | null, dropped: Map<string, number>): string {
  const lower = name.toLowerCase()
  if (lower === 'caption' || lower === 'wp_caption') return caption(attrs, content ?? '')
  if (lower === 'gallery') {
    const ids = attrs.named.ids ?? attrs.named.include ?? ''
    return `<wp-gallery data-ids="${escapeAttribute(ids)}"></wp-gallery>`
  }
  if (URL_SHORTCODES.has(lower)) {
    const url = [content ?? '', attrs.named.url ?? '', attrs.named.src ?? '', ...attrs.positional]
      .map((v) => v.trim().replace(/^=/, '')).find((v) => /^https?:\/\//i.test(v))
    if (url) return `<wp-embed data-url="${escapeAttribute(url)}"></wp-embed>`
  }
  dropped.set(lower, (dropped.get(lower) ?? 0) + 1)
  // An unknown enclosing shortcode keeps its content: it is usually the text being styled.
  return content ? expandShortcodes(content, dropped) : ''
}

export function expandShortcodes (html: string, dropped: Map<string, number>): string {
  let out = ''
  let from = 0
  const opening = new RegExp(OPENING)
  for (let m = opening.exec(html); m; m = opening.exec(html)) {
    const [whole, open = '', name = '', attrText = '', selfClose, close = ''] = m
    if (open && close) { // [[name]] is WordPress's escape for a literal [name]
      out += html.slice(from, m.index) + whole.slice(1, -1)
      from = m.index + whole.length
      continue
    }
    const start = m.index + open.length
    const afterOpening = m.index + whole.length - close.length
    const closingTag = `[/${name}]`
    const closeAt = selfClose ? -1 : html.indexOf(closingTag, afterOpening)
    if (!looksLikeShortcode(name, attrText, closeAt >= 0)) continue
    const content = closeAt >= 0 ? html.slice(afterOpening, closeAt) : null
    out += html.slice(from, start) + expand(name, parseAttributes(attrText), content, dropped)
    from = closeAt >= 0 ? closeAt + closingTag.length : afterOpening
    opening.lastIndex = from
  }
  return out + html.slice(from)
}
