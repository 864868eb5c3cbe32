// Renders body blocks as safe semantic HTML (`format=html`) or plain text (`format=text`).
// Every text field and attribute goes through escape-html; URLs are re-checked to be http(s), and a
// block whose URL is not is left out (images) or rendered without a link (embeds).
import escapeHtml from 'escape-html'
import type { Block } from './schemas.js'

export function safeHttpUrl (raw: string): string | undefined {
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

const esc = (value: string | number) => escapeHtml(String(value))

function imageHtml (block: Extract<Block, { type: 'image' }>): string {
  const src = safeHttpUrl(block.src)
  if (!src) return ''
  const size = (block.width ? ` width="${esc(block.width)}"` : '') + (block.height ? ` height="${esc(block.height)}"` : '')
  const caption = [block.caption ? esc(block.caption) : '', block.credit ? `<small>${esc(block.credit)}</small>` : '']
    .filter(Boolean).join(' ')
  return `<figure><img src="${esc(src)}" alt="${esc(block.alt)}"${size} loading="lazy">` +
    (caption ? `<figcaption>${caption}</figcaption>` : '') + '</figure>'
}

function embedHtml (block: Extract<Block, { type: 'embed' }>): string {
  const href = safeHttpUrl(block.url)
  const label = esc(block.title ?? block.url)
  const inner = href ? `<a href="${esc(href)}" rel="noopener noreferrer nofollow">${label}</a>` : label
  return `<figure class="embed embed-${esc(block.provider)}">${inner}</figure>`
}

function blockHtml (block: Block): string {
  switch (block.type) {
    case 'paragraph': return `<p>${esc(block.text)}</p>`
    case 'heading': return `<h${block.level === 3 ? 3 : 2}>${esc(block.text)}</h${block.level === 3 ? 3 : 2}>`
    case 'image': return imageHtml(block)
    case 'quote': return `<blockquote><p>${esc(block.text)}</p>` +
      (block.attribution ? `<footer>${esc(block.attribution)}</footer>` : '') + '</blockquote>'
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul'
      return `<${tag}>${block.items.map((item) => `<li>${esc(item)}</li>`).join('')}</${tag}>`
    }
    case 'embed': return embedHtml(block)
  }
}

export function renderBodyHtml (blocks: readonly Block[]): string {
  return blocks.map(blockHtml).filter(Boolean).join('\n')
}

function blockText (block: Block): string {
  switch (block.type) {
    case 'paragraph': case 'heading': return block.text
    case 'image': {
      const label = block.caption || block.alt
      const credit = block.credit ? ` (${block.credit})` : ''
      return label || credit ? `[Image: ${label || 'untitled'}${credit}]` : '[Image]'
    }
    case 'quote': return `“${block.text}”` + (block.attribution ? `\n— ${block.attribution}` : '')
    case 'list': return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${item}`).join('\n')
    case 'embed': return `[Embed: ${block.title || block.provider}] ${block.url}`
  }
}

// Blocks separated by a blank line; see the `bodyText` description in schemas.ts for the conventions.
export function renderBodyText (blocks: readonly Block[]): string {
  return blocks.map(blockText).join('\n\n')
}
