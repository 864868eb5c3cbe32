// Test rows are written in one place: test/fixtures.ts. A schema change then touches that file
// alone, instead of a copy of insertArticle per feature folder, each with its own defaults.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const TABLES = 'sections|tags|authors|articles|article_listings|article_tags|article_authors|article_related|revisions|collections|collection_items|api_keys|page_views|settings'
const SQL_INSERT = new RegExp(`insert\\s+(or\\s+\\w+\\s+)?into\\s+(${TABLES})\\b`, 'i')
const DRIZZLE_INSERT = /\.insert\((sections|tags|authors|articles|articleListings|articleTags|articleAuthors|articleRelated|revisions|collections|collectionItems|apiKeys|pageViews|settings)\)/

// Files whose raw writes are what they test, not test data
const WRITES_UNDER_TEST: Record<string, string> = {
  'test/http/response-cache.test.ts': 'a write behind the response cache\'s back',
  'test/http/write-invalidation.test.ts': 'another connection\'s commit that records no change (a page-view flush)',
  'test/postgres/search.test.ts': 'PostgreSQL rows written by SQL: the tsvector triggers are the subject (no PostgreSQL repositories yet)',
}

function testFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? testFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('test fixtures', () => {
  it('are written once: only test/fixtures.ts inserts rows into Dateline\'s tables', () => {
    const writers = testFiles('test')
      .map((file) => relative('.', file))
      .filter((file) => file !== 'test/fixtures.ts' && !(file in WRITES_UNDER_TEST))
      .filter((file) => {
        const text = readFileSync(file, 'utf8')
        return SQL_INSERT.test(text) || DRIZZLE_INSERT.test(text)
      })
    expect(writers).toEqual([])
  })

  it('have no second insertArticle, insertSection or addArticle helper', () => {
    const helpers = testFiles('test')
      .map((file) => relative('.', file))
      .filter((file) => file !== 'test/fixtures.ts' && /export (function|const) (insertArticle|insertSection|insertTag|insertAuthor|addArticle)\b/.test(readFileSync(file, 'utf8')))
    expect(helpers).toEqual([])
  })
})
