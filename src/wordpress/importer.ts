// Imports a WordPress export in two streaming passes: the first collects the small records
// (authors, categories, tags, attachments), the second converts and writes the posts in batches.
import { statSync } from 'node:fs'
import type { Store } from '../db/store.js'
import type { Attachment } from './html-to-blocks.js'
import { preparePost, type PreparedArticle } from './post-mapping.js'
import { toSlug } from './text.js'
import { DEFAULT_SECTION, type KindCounts, writeArticle, writeAuthors, writeSections, writeTags } from './writers.js'
import { readWxr, type WxrAuthor, type WxrCategory, WxrError, type WxrSite, type WxrTag } from './wxr-reader.js'
import { EVERYTHING } from '../db/changes.js'
import { logTaxonomy } from '../sync/log.js'

export interface ImportSummary {
  sections: KindCounts
  tags: KindCounts
  authors: KindCounts
  articles: KindCounts
  articleStatuses: { published: number, scheduled: number, draft: number }
  skipped: Record<string, number>
  otherItems: Record<string, number>
  droppedShortcodes: Record<string, number>
  blocks: { images: number, captions: number, embeds: number }
  extraCategoriesIgnored: number
  warnings: string[]
  warningsOmitted: number
}

export interface ImportOptions {
  now: () => number
  onProgress?: (phase: 'scan' | 'import', bytesRead: number, totalBytes: number) => void
  batchSize?: number
}

interface Scan {
  site: WxrSite
  authors: Map<string, WxrAuthor>
  categories: Map<string, WxrCategory>
  tags: Map<string, WxrTag>
  attachments: Map<number, Attachment>
  attachedTo: Map<number, number[]>
}

const MAX_WARNINGS = 1000
const counts = (): KindCounts => ({ created: 0, updated: 0, skipped: 0 })

function fileSize (path: string): number {
  let stat
  try {
    stat = statSync(path)
  } catch (error) {
    throw new WxrError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  if (!stat.isFile()) throw new WxrError(`cannot read ${path}: not a file`)
  return stat.size
}

async function scan (path: string, size: number, options: ImportOptions, summary: ImportSummary): Promise<Scan> {
  const result: Scan = { site: { baseSiteUrl: null, baseBlogUrl: null, title: '' }, authors: new Map(), categories: new Map(), tags: new Map(), attachments: new Map(), attachedTo: new Map() }
  const creators = new Set<string>()
  for await (const event of readWxr(path, { onBytes: (b) => options.onProgress?.('scan', b, size) })) {
    if (event.kind === 'site') result.site = event.site
    else if (event.kind === 'author') result.authors.set(event.author.login, event.author)
    else if (event.kind === 'category') result.categories.set(event.category.nicename, event.category)
    else if (event.kind === 'tag') result.tags.set(event.tag.slug, event.tag)
    else if (event.item.postType === 'attachment') {
      const { postId, postParent, attachmentUrl, guid, excerpt, meta } = event.item
      result.attachments.set(postId, { id: postId, url: attachmentUrl || guid, parentId: postParent, caption: excerpt || null, alt: meta.get('_wp_attachment_image_alt') ?? '' })
      if (postParent) result.attachedTo.set(postParent, [...(result.attachedTo.get(postParent) ?? []), postId])
    } else if (event.item.postType === 'post') {
      creators.add(event.item.creator)
      for (const term of event.item.terms) {
        if (term.domain === 'category' && term.nicename && !result.categories.has(term.nicename)) {
          summary.warnings.push(`category "${term.nicename}" used by posts but not declared in the export: created at the top level`)
          result.categories.set(term.nicename, { termId: null, nicename: term.nicename, parent: '', name: term.name || term.nicename, description: '' })
        } else if (term.domain === 'post_tag' && term.nicename && !result.tags.has(term.nicename)) {
          result.tags.set(term.nicename, { termId: null, slug: term.nicename, name: term.name || term.nicename, description: '' })
        }
      }
    }
  }
  // dc:creator should be an author_login; unknown ones still become authors.
  const loginBySlug = new Map([...result.authors.keys()].map((login) => [toSlug(login), login]))
  for (const creator of creators) {
    if (!creator || result.authors.has(creator)) continue
    const alias = loginBySlug.get(toSlug(creator))
    if (alias) {
      result.authors.set(creator, result.authors.get(alias)!)
    } else if (toSlug(creator)) {
      summary.warnings.push(`author "${creator}" used by posts but not declared in the export: created`)
      result.authors.set(creator, { login: creator, displayName: creator, email: '' })
    }
  }
  if (!result.categories.has(DEFAULT_SECTION)) {
    result.categories.set(DEFAULT_SECTION, { termId: null, nicename: DEFAULT_SECTION, parent: '', name: 'Uncategorized', description: '' })
  }
  return result
}

function countBlocks (summary: ImportSummary, article: PreparedArticle): void {
  for (const block of article.body) {
    if (block.type === 'image') {
      summary.blocks.images++
      if (block.caption) summary.blocks.captions++
    } else if (block.type === 'embed') summary.blocks.embeds++
  }
}

export async function importWordpress (store: Store, path: string, options: ImportOptions): Promise<ImportSummary> {
  const size = fileSize(path)
  const summary: ImportSummary = {
    sections: counts(),
    tags: counts(),
    authors: counts(),
    articles: counts(),
    articleStatuses: { published: 0, scheduled: 0, draft: 0 },
    skipped: {},
    otherItems: {},
    droppedShortcodes: {},
    blocks: { images: 0, captions: 0, embeds: 0 },
    extraCategoriesIgnored: 0,
    warnings: [],
    warningsOmitted: 0,
  }
  const warn = (message: string) => summary.warnings.push(message)
  const found = await scan(path, size, options, summary)

  const now = options.now()
  const ids = await store.tx(async (repos) => {
    // one author record may be known under several logins (aliases): write each once
    const uniqueAuthors = [...new Set(found.authors.values())]
    const byRecord = await writeAuthors(repos, uniqueAuthors, now, summary.authors)
    const written = {
      sections: await writeSections(repos, [...found.categories.values()], now, summary.sections, warn),
      tags: await writeTags(repos, [...found.tags.values()], now, summary.tags, warn),
      authors: new Map([...found.authors].map(([login, record]) => [login, byRecord.get(record.login)!])),
    }
    // sections, tags and authors may have been renamed: every process drops everything
    await logTaxonomy(repos, written, now)
    await repos.changes.record([EVERYTHING])
    return written
  })
  const names = new Map([...found.authors].map(([login, record]) => [login, record.displayName]))

  const ctx = {
    baseUrl: found.site.baseSiteUrl ?? found.site.baseBlogUrl,
    attachment: (id: number) => found.attachments.get(id),
    attachmentsOf: (postId: number) => (found.attachedTo.get(postId) ?? []).map((id) => found.attachments.get(id)!),
  }
  const dropped = new Map<string, number>()
  let batch: PreparedArticle[] = []
  const writeBatch = async () => {
    const current = batch
    batch = []
    await store.tx(async (repos) => {
      for (const article of current) {
        const [first, ...rest] = article.categories.filter((c) => ids.sections.has(c))
        summary.extraCategoriesIgnored += rest.length
        const authorId = ids.authors.get(article.creator)
        const outcome = await writeArticle(repos, article, {
          sectionId: ids.sections.get(first ?? DEFAULT_SECTION)!,
          tagIds: article.tags.map((t) => ids.tags.get(t)).filter((id): id is number => id !== undefined),
          authorIds: authorId ? [authorId] : [],
          byline: names.get(article.creator) ?? null,
        })
        summary.articles[outcome]++
        const scheduled = article.status === 'published' && article.publishedAt! > options.now()
        summary.articleStatuses[article.status === 'draft' ? 'draft' : scheduled ? 'scheduled' : 'published']++
        countBlocks(summary, article)
      }
      await repos.sync.logImported(current.map((a) => a.externalId), now)
      await repos.changes.record([EVERYTHING])
    })
  }
  for await (const event of readWxr(path, { onBytes: (b) => options.onProgress?.('import', b, size) })) {
    if (event.kind !== 'item') continue
    const { item } = event
    if (item.postType !== 'post') {
      summary.otherItems[item.postType || '(none)'] = (summary.otherItems[item.postType || '(none)'] ?? 0) + 1
      continue
    }
    const outcome = preparePost(item, ctx, now, { warnings: summary.warnings, droppedShortcodes: dropped })
    if ('skip' in outcome) {
      summary.articles.skipped++
      summary.skipped[outcome.skip] = (summary.skipped[outcome.skip] ?? 0) + 1
      continue
    }
    batch.push(outcome.article)
    if (batch.length >= (options.batchSize ?? 100)) await writeBatch()
    // keeps memory flat on an export that warns about every post
    if (summary.warnings.length > MAX_WARNINGS) summary.warningsOmitted += summary.warnings.splice(MAX_WARNINGS).length
  }
  if (batch.length > 0) await writeBatch()
  summary.droppedShortcodes = Object.fromEntries(dropped)
  return summary
}
