// Minimal safe HTML for full-text feeds: every text and attribute escaped, only http(s) URLs.
// Stand-in until the shared renderer (articles/render.ts, renderBodyHtml) lands; same signature.
import escapeHtml from 'escape-html'
import type { Block } from '../articles/schemas.js'

export function safeHttpUrl (value: unknown): string | null {
  if (typeof value !== 'string') return null
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

const text = (value: unknown) => escapeHtml(typeof value === 'string' ? value : '')

function renderImage (block: Extract<Block, { type: 'image' }>): string {
  const src = safeHttpUrl(block.src)
  if (!src) return ''
  const size = (block.width ? ` width="${block.width}"` : '') + (block.height ? ` height="${block.height}"` : '')
  const credit = block.credit ? ` <small>${text(block.credit)}</small>` : ''
  const caption = block.caption || block.credit ? `<figcaption>${text(block.caption ?? '')}${credit}</figcaption>` : ''
  return `<figure><img src="${escapeHtml(src)}" alt="${text(block.alt)}"${size}>${caption}</figure>`
}

function renderBlock (block: Block): string {
  switch (block.type) {
    case 'paragraph': return `<p>${text(block.text)}</p>`
    case 'heading': return block.level === 3 ? `<h3>${text(block.text)}</h3>` : `<h2>${text(block.text)}</h2>`
    case 'image': return renderImage(block)
    case 'quote': return `<blockquote><p>${text(block.text)}</p>${block.attribution ? `<footer>${text(block.attribution)}</footer>` : ''}</blockquote>`
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul'
      return `<${tag}>${(Array.isArray(block.items) ? block.items : []).map((item) => `<li>${text(item)}</li>`).join('')}</${tag}>`
    }
    case 'embed': {
      const url = safeHttpUrl(block.url)
      return url ? `<p><a href="${escapeHtml(url)}">${text(block.title || url)}</a></p>` : ''
    }
    default: return ''
  }
}

// Stored bodies were validated on write; anything unexpected is skipped rather than trusted.
export function renderBodyHtml (blocks: readonly Block[]): string {
  return blocks.filter((block) => block !== null && typeof block === 'object').map(renderBlock).filter(Boolean).join('\n')
}
