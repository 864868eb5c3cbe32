// Builds a benchmark database of N realistic articles in bulk: a section tree, tags, authors and
// agencies, article_tags/article_authors/article_related, article_listings (ancestors computed
// here), collections and a month of page views. One transaction per 50,000 articles.
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { closeDb, openDb } from '../src/db/connection.js'
import { runMigrations } from '../src/db/migrate.js'

const WORDS = ('government minister election council budget health hospital school teachers police court trial ' +
  'climate flood storm drought energy prices inflation bank market shares trade talks ceasefire border aid ' +
  'refugees city mayor transport rail strike union workers housing rent village harbour festival museum ' +
  'football league final match coach season injury transfer record championship team players fans stadium ' +
  'science research study space mission satellite vaccine virus doctors patients data privacy technology ' +
  'company profits jobs factory exports farmers harvest water river bridge road accident fire rescue ' +
  'report inquiry scandal resignation protest rally parliament vote law reform tax pension families children ' +
  'students university culture film music award theatre book author artist exhibition history memorial').split(' ')

const SECTION_TREE: Record<string, Record<string, string[]>> = {
  news: { 'world-news': ['europe', 'middle-east', 'africa', 'asia', 'americas'], uk: ['politics', 'scotland', 'wales'], local: [] },
  sport: { football: ['premier-league', 'champions-league'], cricket: [], tennis: [], 'formula-one': [] },
  business: { markets: [], economy: [], technology: [] },
  culture: { film: [], music: [], books: [], art: [] },
  opinion: { editorials: [], columnists: [] },
  science: { environment: [], health: [], space: [] },
}

// a small deterministic PRNG, so a given --articles always builds the same database
function rng (seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6D2B79F5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Generated {
  articles: number
  publishedSlugs: string[]
  hotSlugs: string[]
  sectionPaths: string[]
  searchTerms: string[]
}

const title = (w: string) => w[0]!.toUpperCase() + w.slice(1)

export function generateDatabase (path: string, articleCount: number, now = Date.now()): Generated {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
  const db = openDb({ path })
  runMigrations(db)
  closeDb(db)
  const c = new Database(path)
  c.pragma('journal_mode = WAL')
  c.pragma('synchronous = OFF')
  c.pragma('cache_size = -200000')
  const random = rng(articleCount)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ')

  // sections: id -> ancestors (self first)
  const sections: Array<{ id: number, path: string, chain: number[] }> = []
  const insertSection = c.prepare('insert into sections (slug, name, path, parent_id, position, description, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)')
  const addSection = (slug: string, parent: { id: number, path: string, chain: number[] } | null, position: number) => {
    const path = parent ? `${parent.path}/${slug}` : slug
    const id = Number(insertSection.run(slug, slug.split('-').map(title).join(' '), path, parent?.id ?? null, position, `All about ${slug}.`, now, now).lastInsertRowid)
    const node = { id, path, chain: [id, ...(parent?.chain ?? [])] }
    sections.push(node)
    return node
  }
  c.transaction(() => {
    Object.entries(SECTION_TREE).forEach(([top, children], i) => {
      const t = addSection(top, null, i)
      Object.entries(children).forEach(([child, grandchildren], j) => {
        const ch = addSection(child, t, j)
        grandchildren.forEach((g, k) => addSection(g, ch, k))
      })
    })
  })()

  const tagTypes = ['topic', 'place', 'person', 'organisation'] as const
  const tagCount = Math.max(200, Math.min(5000, Math.floor(articleCount / 200)))
  const authorCount = Math.max(50, Math.min(1000, Math.floor(articleCount / 1000)))
  c.transaction(() => {
    const tag = c.prepare('insert into tags (slug, name, type, created_at, updated_at) values (?, ?, ?, ?, ?)')
    for (let i = 1; i <= tagCount; i++) tag.run(`tag-${i}-${pick(WORDS)}`, `${title(pick(WORDS))} ${i}`, pick(tagTypes), now, now)
    const author = c.prepare('insert into authors (slug, name, kind, bio, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
    for (const agency of ['afp', 'reuters', 'ap']) author.run(agency, agency.toUpperCase(), 'agency', 'International news agency.', now, now)
    for (let i = 4; i <= authorCount; i++) author.run(`writer-${i}`, `${title(pick(WORDS))} ${title(pick(WORDS))}`, i % 5 === 0 ? 'contributor' : 'staff', null, now, now)
  })()

  const article = c.prepare(`insert into articles (id, slug, headline, standfirst, body, byline, section_id, hero_image, status,
    published_at, first_published_at, word_count, revision, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`)
  const articleTag = c.prepare('insert or ignore into article_tags (article_id, tag_id, position) values (?, ?, ?)')
  const articleAuthor = c.prepare('insert or ignore into article_authors (article_id, author_id, position) values (?, ?, ?)')
  const related = c.prepare('insert or ignore into article_related (article_id, related_id, position) values (?, ?, ?)')
  const listing = c.prepare('insert into article_listings (section_id, article_id, published_at) values (?, ?, ?)')
  const span = 5 * 365 * 24 * 3_600_000
  const publishedSlugs: string[] = []
  const BATCH = 50_000
  for (let start = 1; start <= articleCount; start += BATCH) {
    c.transaction(() => {
      for (let id = start; id < Math.min(start + BATCH, articleCount + 1); id++) {
        const roll = random()
        const status = roll < 0.02 ? 'draft' : 'published'
        // ids grow with time; the newest 1% are scheduled in the next two days
        const publishedAt = status === 'draft' ? null : roll > 0.99 ? now + Math.floor(random() * 2 * 86_400_000) : now - Math.floor(span * (1 - id / articleCount)) - 60_000
        const section = sections[Math.floor(random() * sections.length)]!
        const headline = title(words(8 + Math.floor(random() * 6)))
        const slug = `${headline.toLowerCase().split(' ').slice(0, 5).join('-')}-${id}`
        const paragraphs = 6 + Math.floor(random() * 8)
        const body: unknown[] = []
        let wordCount = 0
        for (let p = 0; p < paragraphs; p++) {
          if (p === 3) body.push({ type: 'heading', level: 2, text: title(words(5)) })
          if (p === 4 && random() < 0.5) body.push({ type: 'image', src: `https://media.dateline.example/${id}/map.jpg`, alt: words(4), caption: title(words(10)), credit: 'Dateline graphics', width: 1200, height: 800 })
          if (p === 6 && random() < 0.3) body.push({ type: 'embed', provider: 'twitter', url: `https://twitter.com/example/status/${id}`, title: title(words(4)) })
          const n = 25 + Math.floor(random() * 30)
          wordCount += n
          body.push({ type: 'paragraph', text: `${title(words(n))}.` })
        }
        const createdAt = publishedAt ?? now - 3_600_000
        const agency = random() < 0.3
        article.run(id, slug, headline, title(words(20)) + '.', JSON.stringify(body), agency ? 'AFP' : null, section.id,
          random() < 0.7 ? JSON.stringify({ src: `https://media.dateline.example/${id}/hero.jpg`, alt: words(5), caption: title(words(12)), credit: 'AFP', width: 1600, height: 900 }) : null,
          status, publishedAt, publishedAt, wordCount, createdAt, createdAt)
        const tagsPer = 2 + Math.floor(random() * 3)
        for (let t = 0; t < tagsPer; t++) articleTag.run(id, 1 + Math.floor(random() ** 2 * tagCount), t)
        articleAuthor.run(id, agency ? 1 : 4 + Math.floor(random() * (authorCount - 3)), 0)
        if (random() < 0.1 && id > 10) for (let r = 0; r < 2; r++) related.run(id, id - 1 - Math.floor(random() * 10), r)
        if (status === 'published') {
          for (const sectionId of section.chain) listing.run(sectionId, id, publishedAt)
          if (publishedAt! <= now) publishedSlugs.push(slug)
        }
      }
    })()
  }

  c.transaction(() => {
    const collection = c.prepare('insert into collections (slug, name, description, created_at, updated_at) values (?, ?, ?, ?, ?)')
    const item = c.prepare('insert into collection_items (collection_id, position, article_id, expires_at) values (?, ?, ?, null)')
    const liveIds = c.prepare("select id from articles where status = 'published' and published_at <= ? order by published_at desc limit 40").all(now) as Array<{ id: number }>
    for (const [n, slug] of ['selected', 'top-stories'].entries()) {
      const id = Number(collection.run(slug, title(slug.replace('-', ' ')), null, now, now).lastInsertRowid)
      for (let p = 0; p < 10; p++) item.run(id, p, liveIds[n * 10 + p * 2]!.id)
    }
    // a month of hourly views over the 5,000 newest live articles
    const views = c.prepare('insert into page_views (article_id, hour, views) values (?, ?, ?)')
    const hourNow = Math.floor(now / 3_600_000)
    const recent = c.prepare("select id from articles where status = 'published' and published_at <= ? order by published_at desc limit 5000").all(now) as Array<{ id: number }>
    for (const { id } of recent) {
      for (let h = 0; h < 24 * 30; h += 1 + Math.floor(random() * 12)) views.run(id, hourNow - h, 1 + Math.floor(random() * 200))
    }
  })()
  rebuildSearchIndexes(c)
  c.pragma('wal_checkpoint(TRUNCATE)')
  c.exec('analyze')
  c.close()

  const newest = publishedSlugs.slice(-1000)
  return {
    articles: articleCount,
    publishedSlugs: Array.from({ length: Math.min(10_000, publishedSlugs.length) }, () => pick(publishedSlugs)),
    hotSlugs: newest.slice(-10),
    sectionPaths: ['news', 'sport', 'news/world-news', 'business/markets'],
    searchTerms: ['ceasefire talks', 'climate', 'election', 'football final', 'bank', 'hospital strike', 'storm', 'museum'],
  }
}

// Full-text tables with their own content are filled by the migration's triggers as rows go in;
// only external-content tables (content=...) need a rebuild.
function rebuildSearchIndexes (c: Database.Database) {
  const fts = c.prepare("select name from sqlite_master where type = 'table' and sql like '%using fts5%' and sql like '%content=%'").all() as Array<{ name: string }>
  for (const { name } of fts) {
    try {
      c.prepare(`insert into "${name}"("${name}") values ('rebuild')`).run()
    } catch {
      // a contentless or trigger-fed table: nothing to rebuild
    }
  }
}
