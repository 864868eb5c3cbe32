// Demo content: loaded on an empty database at start-up (unless DEMO_CONTENT=false) and by
// `npm run cli -- seed`. Everything goes in one transaction, with times relative to `now`.
import { countWords } from '../articles/word-count.js'
import { syncArticleListing } from '../articles/listing.js'
import type { Db } from '../db/connection.js'
import {
  articleAuthors, articleRelated, articles, articleTags, authors, collectionItems, collections,
  sections, tags,
} from '../db/schema.js'
import { demoAuthors, demoTags } from './people.js'
import { demoPageViews } from './page-views.js'
import { DemoAuthor, DemoCollection, DemoSection, DemoStory, DemoTag } from './schemas.js'
import { demoCollections, demoSections } from './sections.js'
import { demoStories } from './stories.js'

export const referenceStorySlug = 'ceasefire-talks-resume'

const HOUR = 3_600_000
const MINUTE = 60_000

export function loadDemoContent () {
  const content = {
    sections: demoSections.map((s) => DemoSection.parse(s)),
    tags: demoTags.map((t) => DemoTag.parse(t)),
    authors: demoAuthors.map((a) => DemoAuthor.parse(a)),
    stories: demoStories.map((s) => {
      const result = DemoStory.safeParse(s)
      if (!result.success) throw new Error(`demo story "${s.slug}" is invalid: ${result.error.message}`)
      return result.data
    }),
    collections: demoCollections.map((c) => DemoCollection.parse(c)),
  }
  checkReferences(content)
  return content
}

type DemoContent = ReturnType<typeof loadDemoContent>

function checkReferences ({ sections, tags, authors, stories, collections }: DemoContent): void {
  const unique = (what: string, keys: string[]) => {
    const seen = new Set<string>()
    for (const key of keys) {
      if (seen.has(key)) throw new Error(`demo content: duplicate ${what} "${key}"`)
      seen.add(key)
    }
    return seen
  }
  const sectionPaths = new Set<string>()
  for (const section of sections) {
    const parent = section.path.split('/').slice(0, -1).join('/')
    if (parent && !sectionPaths.has(parent)) throw new Error(`demo section "${section.path}" comes before its parent`)
    sectionPaths.add(section.path)
  }
  unique('section path', sections.map((s) => s.path))
  const tagSlugs = unique('tag', tags.map((t) => t.slug))
  const authorSlugs = unique('author', authors.map((a) => a.slug))
  const storySlugs = unique('story', stories.map((s) => s.slug))
  const published = new Set(stories.filter((s) => s.state === 'published').map((s) => s.slug))
  const missing = (what: string, story: string, key: string, known: Set<string>) => {
    if (!known.has(key)) throw new Error(`demo story "${story}" names unknown ${what} "${key}"`)
  }
  for (const story of stories) {
    missing('section', story.slug, story.section, sectionPaths)
    for (const tag of story.tags) missing('tag', story.slug, tag, tagSlugs)
    for (const author of story.authors) missing('author', story.slug, author, authorSlugs)
    for (const related of story.related) missing('related story', story.slug, related, storySlugs)
  }
  for (const collection of collections) {
    for (const item of collection.items) missing('published story', `collection ${collection.slug}`, item.story, published)
  }
}

function storyTimes (story: DemoStory, now: number) {
  const at = (ms: number) => Math.floor(ms / MINUTE) * MINUTE
  if (story.state === 'published') {
    const publishedAt = at(now - story.hoursAgo * HOUR)
    const updatedAt = Math.min(now, publishedAt + story.updatedMinutesLater * MINUTE)
    return { publishedAt, firstPublishedAt: publishedAt, createdAt: publishedAt - 40 * MINUTE, updatedAt }
  }
  const createdAt = at(now - story.hoursAgo * HOUR)
  const updatedAt = Math.min(now, createdAt + story.updatedMinutesLater * MINUTE)
  const publishedAt = story.state === 'scheduled' ? at(now + story.scheduledInHours! * HOUR) : null
  return { publishedAt, firstPublishedAt: null, createdAt, updatedAt }
}

export function seedDemoContentIfEmpty (db: Db, now = Date.now()): boolean {
  const content = loadDemoContent()
  return db.transaction((tx) => {
    if (tx.select({ id: articles.id }).from(articles).limit(1).get()) return false

    const sectionIds = new Map<string, number>()
    for (const section of content.sections) {
      const segments = section.path.split('/')
      const parentPath = segments.slice(0, -1).join('/')
      const row = tx.insert(sections).values({
        slug: segments.at(-1)!,
        name: section.name,
        path: section.path,
        parentId: parentPath ? sectionIds.get(parentPath)! : null,
        position: section.position,
        description: section.description,
        settings: JSON.stringify(section.settings),
        createdAt: now - 60 * 24 * HOUR,
        updatedAt: now - 60 * 24 * HOUR,
      }).returning({ id: sections.id }).get()
      sectionIds.set(section.path, row.id)
    }

    const since = now - 60 * 24 * HOUR
    const tagIds = new Map(tx.insert(tags)
      .values(content.tags.map((t) => ({ ...t, createdAt: since, updatedAt: since })))
      .returning({ id: tags.id, slug: tags.slug }).all().map((r) => [r.slug, r.id]))
    const authorIds = new Map(tx.insert(authors)
      .values(content.authors.map((a) => ({ ...a, createdAt: since, updatedAt: since })))
      .returning({ id: authors.id, slug: authors.slug }).all().map((r) => [r.slug, r.id]))

    const articleIds = new Map(tx.insert(articles).values(content.stories.map((story) => ({
      slug: story.slug,
      headline: story.headline,
      standfirst: story.standfirst,
      body: JSON.stringify(story.body),
      byline: story.byline,
      sectionId: sectionIds.get(story.section)!,
      heroImage: story.heroImage ? JSON.stringify(story.heroImage) : null,
      status: story.state === 'draft' ? 'draft' as const : 'published' as const,
      wordCount: countWords(story.headline, story.standfirst, story.body),
      revision: 1,
      ...storyTimes(story, now),
    }))).returning({ id: articles.id, slug: articles.slug }).all().map((r) => [r.slug, r.id]))

    const idOf = (slug: string) => articleIds.get(slug)!
    tx.insert(articleAuthors).values(content.stories.flatMap((story) => story.authors.map((slug, position) =>
      ({ articleId: idOf(story.slug), authorId: authorIds.get(slug)!, position })))).run()
    tx.insert(articleTags).values(content.stories.flatMap((story) => story.tags.map((slug, position) =>
      ({ articleId: idOf(story.slug), tagId: tagIds.get(slug)!, position })))).run()
    const related = content.stories.flatMap((story) => story.related.map((slug, position) =>
      ({ articleId: idOf(story.slug), relatedId: idOf(slug), position })))
    if (related.length > 0) tx.insert(articleRelated).values(related).run()
    for (const id of articleIds.values()) syncArticleListing(tx, id)

    for (const collection of content.collections) {
      const { id } = tx.insert(collections).values({
        slug: collection.slug,
        name: collection.name,
        description: collection.description,
        createdAt: now - 2 * HOUR,
        updatedAt: now - 2 * HOUR,
      }).returning({ id: collections.id }).get()
      tx.insert(collectionItems).values(collection.items.map((item, position) => ({
        collectionId: id,
        position,
        articleId: idOf(item.story),
        expiresAt: item.expiresInHours === undefined ? null : now + item.expiresInHours * HOUR,
      }))).run()
    }

    // thousands of rows: one prepared statement is ~50 times faster than drizzle's multi-row insert
    const insertView = db.$client.prepare('insert into page_views (article_id, hour, views) values (?, ?, ?)')
    for (const view of demoPageViews(content.stories, articleIds, referenceStorySlug, now)) {
      insertView.run(view.articleId, view.hour, view.views)
    }
    return true
  }, { behavior: 'immediate' })
}
