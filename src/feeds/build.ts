// Turns a feed scope and its entries into RSS 2.0, Atom 1.0 or JSON Feed 1.1 text. XML is built
// with xmlbuilder2 through xml.ts, which escapes every text and attribute value.
import escapeHtml from 'escape-html'
import type { Config } from '../config.js'
import { renderBodyHtml, safeHttpUrl } from '../articles/render.js'
import type { FeedEntry, FeedScope } from './repository.js'
import { FEED_CONTENT_TYPES, type FeedFormat, type JsonFeed } from './schemas.js'
import { add, newXmlDocument, serialize } from './xml.js'

interface FeedItem {
  guid: string
  url: string
  title: string
  standfirst: string | null
  contentHtml: string | null
  published: number
  updated: number
  byline: string | null
  authors: string[]
  categories: Array<{ term: string, label: string }>
  image: { url: string, type: string } | null
}

export interface FeedDocument {
  title: string
  description: string
  homeUrl: string
  selfUrl: Record<FeedFormat, string>
  language: string
  publisher: string
  updated: number
  items: FeedItem[]
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml',
}

export function imageType (url: string): string {
  const extension = new URL(url).pathname.split('.').at(-1)?.toLowerCase() ?? ''
  return IMAGE_TYPES[extension] ?? 'application/octet-stream'
}

// tag: URIs (RFC 4151) keyed on the article id and its creation date, so the GUID survives a new
// slug, a move to another section or a republication.
export function articleGuid (base: string, id: number, createdAt: number): string {
  return `tag:${new URL(base).hostname},${new Date(createdAt).toISOString().slice(0, 10)}:articles/${id}`
}

// a scheduled story goes live after its last edit: it changed when it appeared
const changedAt = (summary: FeedEntry['summary']) => Math.max(Date.parse(summary.updatedAt), Date.parse(summary.publishedAt))

export interface FeedContext {
  base: string
  feedPath: string
  mode: 'summary' | 'full'
  config: Pick<Config, 'publicationName' | 'publicationLanguage'>
}

export function toFeedDocument (scope: FeedScope, entries: FeedEntry[], { base, feedPath, mode, config }: FeedContext): FeedDocument {
  const query = mode === 'full' ? '?mode=full' : ''
  const publisher = config.publicationName
  const heading = scope.kind === 'site'
    ? { title: publisher, description: `The latest stories from ${publisher}.`, home: `${base}/` }
    : scope.kind === 'section'
      ? { title: `${scope.name} | ${publisher}`, description: scope.description ?? `The latest stories in ${scope.name}.`, home: `${base}/${scope.path}` }
      : { title: `${scope.name} | ${publisher}`, description: scope.description ?? `The latest stories tagged ${scope.name}.`, home: `${base}/` }
  const scopeUpdated = scope.kind === 'site' ? 0 : scope.updatedAt
  return {
    title: heading.title,
    description: heading.description,
    homeUrl: heading.home,
    selfUrl: { rss: `${base}${feedPath}rss.xml${query}`, atom: `${base}${feedPath}atom.xml${query}`, json: `${base}${feedPath}feed.json${query}` },
    language: config.publicationLanguage,
    publisher,
    updated: Math.max(scopeUpdated, ...entries.map((e) => changedAt(e.summary))),
    items: entries.map(({ summary, createdAt, authors, tags, body }) => {
      const image = summary.heroImage ? (safeHttpUrl(summary.heroImage.src) ?? null) : null
      return {
        guid: articleGuid(base, summary.id, createdAt),
        url: `${base}${summary.url}`,
        title: summary.headline,
        standfirst: summary.standfirst,
        contentHtml: mode === 'full' && body ? renderBodyHtml(body) : null,
        published: Date.parse(summary.publishedAt),
        updated: changedAt(summary),
        byline: summary.byline,
        authors,
        categories: tags.map((t) => ({ term: t.slug, label: t.name })),
        image: image ? { url: image, type: imageType(image) } : null,
      }
    }),
  }
}

const rfc822 = (ms: number) => new Date(ms).toUTCString()
const rfc3339 = (ms: number) => new Date(ms).toISOString()

export function buildRss (feed: FeedDocument): string {
  const doc = newXmlDocument()
  const channel = add(add(doc, 'rss', null, {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  }), 'channel')
  add(channel, 'title', feed.title)
  add(channel, 'link', feed.homeUrl)
  add(channel, 'description', feed.description)
  add(channel, 'language', feed.language)
  add(channel, 'lastBuildDate', rfc822(feed.updated))
  add(channel, 'generator', 'Dateline')
  add(channel, 'atom:link', null, { href: feed.selfUrl.rss, rel: 'self', type: FEED_CONTENT_TYPES.rss })
  for (const item of feed.items) {
    const el = add(channel, 'item')
    add(el, 'title', item.title)
    add(el, 'link', item.url)
    add(el, 'guid', item.guid, { isPermaLink: 'false' })
    add(el, 'pubDate', rfc822(item.published))
    // description is HTML in RSS: the plain standfirst is escaped once for HTML, then for XML
    if (item.standfirst) add(el, 'description', escapeHtml(item.standfirst))
    if (item.contentHtml !== null) add(el, 'content:encoded', item.contentHtml)
    const creator = item.byline ?? (item.authors.length > 0 ? item.authors.join(', ') : null)
    if (creator) add(el, 'dc:creator', creator)
    for (const category of item.categories) add(el, 'category', category.label)
    // the image size is not stored; RSS readers accept length="0" for unknown
    if (item.image) add(el, 'enclosure', null, { url: item.image.url, length: '0', type: item.image.type })
  }
  return serialize(doc)
}

export function buildAtom (feed: FeedDocument): string {
  const doc = newXmlDocument()
  const root = add(doc, 'feed', null, { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': feed.language })
  add(root, 'id', feed.selfUrl.atom)
  add(root, 'title', feed.title)
  add(root, 'subtitle', feed.description)
  add(root, 'updated', rfc3339(feed.updated))
  add(root, 'link', null, { rel: 'alternate', type: 'text/html', href: feed.homeUrl })
  add(root, 'link', null, { rel: 'self', type: FEED_CONTENT_TYPES.atom, href: feed.selfUrl.atom })
  add(add(root, 'author'), 'name', feed.publisher)
  add(root, 'generator', 'Dateline')
  for (const item of feed.items) {
    const entry = add(root, 'entry')
    add(entry, 'id', item.guid)
    add(entry, 'title', item.title, { type: 'text' })
    add(entry, 'link', null, { rel: 'alternate', type: 'text/html', href: item.url })
    add(entry, 'published', rfc3339(item.published))
    add(entry, 'updated', rfc3339(item.updated))
    const names = item.authors.length > 0 ? item.authors : item.byline ? [item.byline] : []
    for (const name of names) add(add(entry, 'author'), 'name', name)
    for (const category of item.categories) add(entry, 'category', null, { term: category.term, label: category.label })
    if (item.standfirst) add(entry, 'summary', item.standfirst, { type: 'text' })
    if (item.contentHtml !== null) add(entry, 'content', item.contentHtml, { type: 'html' })
    if (item.image) add(entry, 'link', null, { rel: 'enclosure', type: item.image.type, href: item.image.url, length: '0' })
  }
  return serialize(doc)
}

export function buildJsonFeed (feed: FeedDocument): JsonFeed {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrl.json,
    description: feed.description,
    language: feed.language,
    authors: [{ name: feed.publisher }],
    items: feed.items.map((item) => {
      const names = item.authors.length > 0 ? item.authors : item.byline ? [item.byline] : []
      return {
        id: item.guid,
        url: item.url,
        title: item.title,
        ...(item.contentHtml !== null ? { content_html: item.contentHtml } : { content_text: item.standfirst ?? item.title }),
        ...(item.standfirst ? { summary: item.standfirst } : {}),
        ...(item.image ? { image: item.image.url } : {}),
        date_published: rfc3339(item.published),
        date_modified: rfc3339(item.updated),
        ...(names.length > 0 ? { authors: names.map((name) => ({ name })) } : {}),
        ...(item.categories.length > 0 ? { tags: item.categories.map((c) => c.label) } : {}),
      }
    }),
  }
}

export function buildFeed (feed: FeedDocument, format: FeedFormat): string {
  if (format === 'rss') return buildRss(feed)
  if (format === 'atom') return buildAtom(feed)
  return JSON.stringify(buildJsonFeed(feed))
}
