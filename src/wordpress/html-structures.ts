// Block conversion of the HTML structures that need more than one pass over their children:
// blockquotes (quotes, tweets, Instagram posts), lists and tables.
import type { ChildNode, Element } from 'domhandler'
import { embedForUrl } from './embeds.js'
import { BlockBuilder, isElement } from './html-to-blocks.js'
import { nodeText, truncate } from './text.js'

function descendants (nodes: ChildNode[], name: string, out: Element[] = []): Element[] {
  for (const node of nodes) {
    if (!isElement(node)) continue
    if (node.name === name) out.push(node)
    descendants(node.children, name, out)
  }
  return out
}

function clean (text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

// Twitter and Instagram paste their posts as a blockquote with a link to the post; the script
// that would render it is dropped, the link becomes an embed.
function socialEmbed (el: Element) {
  const cls = el.attribs.class ?? ''
  const provider = /\btwitter-tweet\b/.test(cls) ? 'twitter' : /\binstagram-media\b/.test(cls) ? 'instagram' : null
  if (!provider) return null
  const links = [el.attribs['data-instgrm-permalink'] ?? '', ...descendants(el.children, 'a').map((a) => a.attribs.href ?? '')]
  const pattern = provider === 'twitter' ? /\/status(es)?\/\d+/ : /instagram\.com\/(p|reel|tv)\//
  const url = links.filter((href) => pattern.test(href)).map((href) => embedForUrl(href)).find((e) => e?.provider === provider)
  return url ?? null
}

export function blockquoteToBlocks (builder: BlockBuilder, el: Element): void {
  const embed = socialEmbed(el)
  if (embed) {
    builder.blocks.push(embed)
    return
  }
  const attributionNodes = el.children.filter((c): c is Element => isElement(c) && (c.name === 'cite' || c.name === 'footer'))
  const nested = descendants(el.children.filter((c) => !attributionNodes.includes(c as Element)), 'cite')
  const attribution = clean([...attributionNodes, ...nested].map((c) => nodeText(c.children)).join(' ')).replace(/^[-—–]\s*/, '')
  const inner = new BlockBuilder(builder.ctx, builder.report)
  const content = el.children.filter((c) => !attributionNodes.includes(c as Element))
  for (const cite of nested) cite.children = []
  inner.walk(content)
  inner.flush()
  const texts: string[] = []
  for (const block of inner.blocks) {
    if (block.type === 'paragraph' || block.type === 'heading') texts.push(block.text)
    else if (block.type === 'list') texts.push(block.items.join('\n'))
    else if (block.type === 'quote') texts.push(block.text)
  }
  const text = texts.join('\n\n').trim()
  if (text) builder.blocks.push({ type: 'quote', text: truncate(text, 20_000), attribution: attribution ? truncate(attribution, 300) : null })
  else if (attribution) builder.blocks.push({ type: 'paragraph', text: attribution })
  builder.blocks.push(...inner.blocks.filter((b) => b.type === 'image' || b.type === 'embed'))
}

// Nested lists are flattened into the parent list, after the item that holds them.
function listItems (el: Element, out: string[]): void {
  for (const child of el.children) {
    if (!isElement(child)) continue
    if (child.name !== 'li') {
      if (child.name !== 'ul' && child.name !== 'ol') listItems(child, out)
      continue
    }
    const own = clean(nodeText(child.children.filter((c) => !(isElement(c) && (c.name === 'ul' || c.name === 'ol')))))
    if (own) out.push(truncate(own, 2000))
    for (const sub of child.children) if (isElement(sub) && (sub.name === 'ul' || sub.name === 'ol')) listItems(sub, out)
  }
}

export function listToBlocks (builder: BlockBuilder, el: Element): void {
  // The block editor's old galleries are lists of figures: their images are the content.
  if (descendants(el.children, 'img').length > 0 && /gallery/.test(el.attribs.class ?? '')) {
    builder.walk(el.children)
    builder.flush()
    return
  }
  const items: string[] = []
  listItems(el, items)
  for (let i = 0; i < items.length; i += 500) {
    builder.blocks.push({ type: 'list', ordered: el.name === 'ol', items: items.slice(i, i + 500) })
  }
  for (const img of descendants(el.children, 'img')) builder.pushImage(img.attribs.src, img.attribs.alt ?? '', null, img)
}

// Tables have no block type: each row becomes a paragraph with its cells joined by " | ".
export function tableToBlocks (builder: BlockBuilder, el: Element): void {
  for (const caption of descendants(el.children, 'caption')) {
    const text = clean(nodeText(caption.children))
    if (text) builder.blocks.push({ type: 'paragraph', text: truncate(text, 20_000) })
  }
  for (const row of descendants(el.children, 'tr')) {
    const cells = row.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'))
    const text = cells.map((c) => clean(nodeText(c.children))).filter(Boolean).join(' | ')
    if (text) builder.blocks.push({ type: 'paragraph', text: truncate(text, 20_000) })
  }
}
