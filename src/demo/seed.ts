// Demo content: loaded on an empty database at start-up (unless DEMO_CONTENT=false) and by
// `npm run cli -- seed`. Everything goes in one transaction, with times relative to `now`.
import { countWords } from '../articles/word-count.js'
import type { Store } from '../db/store.js'
import { demoAuthors, demoTags } from './people.js'
import { demoPageViews } from './page-views.js'
import { DemoAuthor, DemoCollection, DemoSection, DemoStory, DemoTag } from './schemas.js'
import { demoCollections, demoSections } from './sections.js'
import { demoStories } from './stories.js'
import { EVERYTHING } from '../db/changes.js'
import type { Repositories } from '../db/repositories.js'
import { Body } from '../articles/schemas.js'
import { liveEntries, liveStorySlug } from './stories-live.js'

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

// Loads the demo content in one transaction when the database has no article yet; true when it did.
// Two processes starting on one empty database load it once (the repository's lock).
export async function seedDemoContentIfEmpty (store: Store, now = Date.now()): Promise<boolean> {
  const content = loadDemoContent()
  return await store.tx(async (repos) => {
    const demo = repos.demo
    await demo.lock()
    if (await demo.hasArticles()) return false

    const sectionIds = new Map<string, number>()
    for (const section of content.sections) {
      const segments = section.path.split('/')
      const parentPath = segments.slice(0, -1).join('/')
      sectionIds.set(section.path, await demo.insertSection({
        slug: segments.at(-1)!,
        name: section.name,
        path: section.path,
        parentId: parentPath ? sectionIds.get(parentPath)! : null,
        position: section.position,
        description: section.description,
        settings: section.settings,
        at: now - 60 * 24 * HOUR,
      }))
    }

    const since = now - 60 * 24 * HOUR
    const tagIds = new Map<string, number>()
    for (const t of content.tags) tagIds.set(t.slug, await demo.insertTag({ ...t, at: since }))
    const authorIds = new Map<string, number>()
    for (const a of content.authors) authorIds.set(a.slug, await demo.insertAuthor({ ...a, at: since }))

    const articleIds = new Map<string, number>()
    for (const story of content.stories) {
      articleIds.set(story.slug, await demo.insertArticle({
        slug: story.slug,
        headline: story.headline,
        standfirst: story.standfirst,
        body: story.body,
        byline: story.byline,
        sectionId: sectionIds.get(story.section)!,
        heroImage: story.heroImage,
        status: story.state === 'draft' ? 'draft' : 'published',
        wordCount: countWords(story.headline, story.standfirst, story.body),
        ...storyTimes(story, now),
      }))
    }

    const idOf = (slug: string) => articleIds.get(slug)!
    for (const story of content.stories) {
      for (const [position, slug] of story.authors.entries()) await demo.link('article_authors', idOf(story.slug), authorIds.get(slug)!, position)
    }
    for (const story of content.stories) {
      for (const [position, slug] of story.tags.entries()) await demo.link('article_tags', idOf(story.slug), tagIds.get(slug)!, position)
    }
    for (const story of content.stories) {
      for (const [position, slug] of story.related.entries()) await demo.link('article_related', idOf(story.slug), idOf(slug), position)
    }
    for (const id of articleIds.values()) await repos.articles.syncListing(id)

    for (const collection of content.collections) {
      const id = await demo.insertCollection({ slug: collection.slug, name: collection.name, description: collection.description, at: now - 2 * HOUR })
      for (const [position, item] of collection.items.entries()) {
        await demo.insertCollectionItem({
          collectionId: id,
          position,
          articleId: idOf(item.story),
          expiresAt: item.expiresInHours === undefined ? null : now + item.expiresInHours * HOUR,
        })
      }
    }

    await seedLiveBlog(repos, idOf(liveStorySlug), authorIds, storyTimes(content.stories.find((s) => s.slug === liveStorySlug)!, now).publishedAt!)
    await demo.insertPageViews(demoPageViews(content.stories, articleIds, referenceStorySlug, now))
    await repos.sync.logArticles([...articleIds.values()], now)
    await repos.changes.record([EVERYTHING])
    return true
  })
}

// The demo live blog: the story becomes a running live blog with its entries (and their stored
// events, so a stream's Last-Event-ID replay covers them); its updatedAt is the newest entry's.
async function seedLiveBlog (repos: Repositories, articleId: number, authorIds: ReadonlyMap<string, number>, publishedAt: number): Promise<void> {
  const { liveblogs } = repos
  let last = publishedAt
  for (const entry of liveEntries) {
    const at = publishedAt + entry.minutesLater * MINUTE
    const id = await liveblogs.insertEntry({ articleId, headline: entry.headline, body: Body.parse(entry.body), keyEvent: entry.keyEvent, pinned: entry.pinned, at })
    await liveblogs.setAuthors(id, entry.authors.map((slug) => authorIds.get(slug)!))
    await liveblogs.recordEvent(articleId, id, 'created', at)
    last = at
  }
  await repos.articleManagement.update(articleId, { live: 1, revision: 1, updatedAt: last })
}
