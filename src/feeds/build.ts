// Turns a feed scope and its entries into RSS 2.0, Atom 1.0 or JSON Feed 1.1 text. XML is built
// with xmlbuilder2, which escapes every text and attribute; characters XML cannot carry are dropped.
import escapeHtml from 'escape-html'
import { create } from 'xmlbuilder2'
import type { Config } from '../config.js'
import { renderBodyHtml, safeHttpUrl } from './render.js'
import type { FeedEntry, FeedScope } from './repository.js'
import { FEED_CONTENT_TYPES, type FeedFormat, type JsonFeed } from './schemas.js'

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
      const image = summary.heroImage ? safeHttpUrl(summary.heroImage.src) : null
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

const newXml = () => create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' })
const rfc822 = (ms: number) => new Date(ms).toUTCString()
const rfc3339 = (ms: number) => new Date(ms).toISOString()

export function buildRss (feed: FeedDocument): string {
  const doc = newXml()
  const channel = doc.ele('rss', {
    version: '2.0',
    'xmlns:atom': 'http://www.w3.org/2005/Atom',
    'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  }).ele('channel')
  channel.ele('title').txt(feed.title)
  channel.ele('link').txt(feed.homeUrl)
  channel.ele('description').txt(feed.description)
  channel.ele('language').txt(feed.language)
  channel.ele('lastBuildDate').txt(rfc822(feed.updated))
  channel.ele('generator').txt('Dateline')
  channel.ele('atom:link', { href: feed.selfUrl.rss, rel: 'self', type: FEED_CONTENT_TYPES.rss })
  for (const item of feed.items) {
    const el = channel.ele('item')
    el.ele('title').txt(item.title)
    el.ele('link').txt(item.url)
    el.ele('guid', { isPermaLink: 'false' }).txt(item.guid)
    el.ele('pubDate').txt(rfc822(item.published))
    // description is HTML in RSS: the plain standfirst is escaped once for HTML, then for XML
    if (item.standfirst) el.ele('description').txt(escapeHtml(item.standfirst))
    if (item.contentHtml !== null) el.ele('content:encoded').txt(item.contentHtml)
    const creator = item.byline ?? (item.authors.length > 0 ? item.authors.join(', ') : null)
    if (creator) el.ele('dc:creator').txt(creator)
    for (const category of item.categories) el.ele('category').txt(category.label)
    // the image size is not stored; RSS readers accept length="0" for unknown
    if (item.image) el.ele('enclosure', { url: item.image.url, length: '0', type: item.image.type })
  }
  return doc.end({ prettyPrint: true })
}

export function buildAtom (feed: FeedDocument): string {
  const doc = newXml()
  const root = doc.ele('feed', { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': feed.language })
  root.ele('id').txt(feed.selfUrl.atom)
  root.ele('title').txt(feed.title)
  root.ele('subtitle').txt(feed.description)
  root.ele('updated').txt(rfc3339(feed.updated))
  root.ele('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl })
  root.ele('link', { rel: 'self', type: FEED_CONTENT_TYPES.atom, href: feed.selfUrl.atom })
  root.ele('author').ele('name').txt(feed.publisher)
  root.ele('generator').txt('Dateline')
  for (const item of feed.items) {
    const entry = root.ele('entry')
    entry.ele('id').txt(item.guid)
    entry.ele('title', { type: 'text' }).txt(item.title)
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: item.url })
    entry.ele('published').txt(rfc3339(item.published))
    entry.ele('updated').txt(rfc3339(item.updated))
    const names = item.authors.length > 0 ? item.authors : item.byline ? [item.byline] : []
    for (const name of names) entry.ele('author').ele('name').txt(name)
    for (const category of item.categories) entry.ele('category', { term: category.term, label: category.label })
    if (item.standfirst) entry.ele('summary', { type: 'text' }).txt(item.standfirst)
    if (item.contentHtml !== null) entry.ele('content', { type: 'html' }).txt(item.contentHtml)
    if (item.image) entry.ele('link', { rel: 'enclosure', type: item.image.type, href: item.image.url, length: '0' })
  }
  return doc.end({ prettyPrint: true })
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
