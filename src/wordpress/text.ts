// Plain-text helpers for the WordPress import: markup stripping, truncation, slugs and URLs.
import { parseDocument } from 'htmlparser2'
import type { ChildNode } from 'domhandler'
import slugify from '@sindresorhus/slugify'

const SKIPPED_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'head', 'object', 'iframe'])

export function nodeText (nodes: ChildNode[]): string {
  let out = ''
  for (const node of nodes) {
    if (node.type === 'text') out += node.data
    else if ('children' in node && 'name' in node) {
      if (SKIPPED_TEXT.has(node.name)) continue
      if (node.name === 'br') out += '\n'
      else out += nodeText(node.children)
    } else if (node.type === 'cdata' && 'children' in node) out += nodeText(node.children)
  }
  return out
}

export function collapseSpace (text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

// Decodes entities and drops every tag: titles and excerpts come as HTML fragments.
export function htmlToText (html: string): string {
  return collapseSpace(nodeText(parseDocument(html).children))
}

export function truncate (text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`
}

// Splits long text at sentence (or word) boundaries into pieces no longer than max.
export function splitLong (text: string, max: number): string[] {
  const pieces: string[] = []
  let rest = text
  while (rest.length > max) {
    const window = rest.slice(0, max)
    let at = Math.max(window.lastIndexOf('. '), window.lastIndexOf('\n'))
    if (at < max * 0.5) at = window.lastIndexOf(' ')
    if (at < max * 0.5) at = max - 1
    pieces.push(rest.slice(0, at + 1).trim())
    rest = rest.slice(at + 1).trim()
  }
  if (rest) pieces.push(rest)
  return pieces
}

// ASCII-folded lowercase slug (transliterating Latin, Greek and Cyrillic letters); '' when
// nothing is left, e.g. for a title written only in Chinese.
export function toSlug (value: string, max = 200): string {
  let decoded = value
  try { decoded = decodeURIComponent(value) } catch { /* not percent-encoded */ }
  const slug = slugify(decoded)
  return slug.slice(0, max).replace(/-$/, '')
}

// An absolute http(s) URL, resolving relative ones against the export's site URL; null otherwise.
export function httpUrl (raw: string | undefined, base: string | null): string | null {
  const value = (raw ?? '').trim()
  if (!value) return null
  let url: URL
  try {
    url = /^[a-z][a-z0-9+.-]*:/i.test(value) || !base ? new URL(value) : new URL(value, base)
  } catch {
    return null
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
}
