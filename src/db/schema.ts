// Drizzle tables: the one place where snake_case SQL columns map to camelCase TypeScript.
// Timestamps are integer milliseconds since the epoch (UTC); JSON documents are text columns.

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'

const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}

export const sections = sqliteTable('sections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  path: text('path').notNull(),
  parentId: integer('parent_id').references((): any => sections.id, { onDelete: 'restrict' }),
  position: integer('position').notNull().default(0),
  description: text('description'),
  // JSON object of front settings, e.g. { "selectedCollection": "selected" }
  settings: text('settings').notNull().default('{}'),
  ...timestamps,
}, (t) => [
  uniqueIndex('sections_path_unique').on(t.path),
  index('sections_parent_position_idx').on(t.parentId, t.position),
])

export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  type: text('type', { enum: ['topic', 'place', 'person', 'organisation'] }).notNull(),
  description: text('description'),
  ...timestamps,
}, (t) => [uniqueIndex('tags_slug_unique').on(t.slug)])

export const authors = sqliteTable('authors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['staff', 'contributor', 'agency'] }).notNull(),
  bio: text('bio'),
  avatarUrl: text('avatar_url'),
  ...timestamps,
}, (t) => [uniqueIndex('authors_slug_unique').on(t.slug)])

// status is 'draft' or 'published'; a published article whose published_at is still in the future
// is "scheduled": delivery only ever shows status = 'published' AND published_at <= now, so a
// scheduled article goes live at its second without any job running.
export const articles = sqliteTable('articles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  externalId: text('external_id'),
  headline: text('headline').notNull(),
  standfirst: text('standfirst'),
  body: text('body').notNull().default('[]'),
  byline: text('byline'),
  sectionId: integer('section_id').notNull().references(() => sections.id, { onDelete: 'restrict' }),
  heroImage: text('hero_image'),
  status: text('status', { enum: ['draft', 'published'] }).notNull().default('draft'),
  publishedAt: integer('published_at'),
  firstPublishedAt: integer('first_published_at'),
  wordCount: integer('word_count').notNull().default(0),
  revision: integer('revision').notNull().default(1),
  // live blogs (liveblogs/): null = an ordinary article, 1 = a live blog now running, 0 = one that ended
  live: integer('live'),
  ...timestamps,
}, (t) => [
  uniqueIndex('articles_slug_unique').on(t.slug),
  uniqueIndex('articles_external_id_unique').on(t.externalId),
  index('articles_live_idx').on(t.status, t.publishedAt, t.id),
  index('articles_section_idx').on(t.sectionId, t.status, t.publishedAt, t.id),
  // the sitemap index's month-by-month lastmod (sitemaps/repository.ts). Partial, on a condition
  // only those queries state (updated_at >= -2^63, true of every row, so no other query implies it; 0004: updated_at >= 0 lost pre-1970 edits): an index starting (status, published_at) made the
  // planner drive section lists from it at 1,000,000 articles (0.4 ms -> 2.5 s)
  index('articles_sitemap_months_idx').on(t.publishedAt, t.updatedAt).where(sql`status = 'published' and updated_at >= -9223372036854775808`),
])

// One row per (section or ancestor section, live article): lets "section=news" with all its
// descendants be one index range scan ordered by publication time. Kept in step by
// articles/listing.repository.ts on every write; holds only status = 'published' articles.
export const articleListings = sqliteTable('article_listings', {
  sectionId: integer('section_id').notNull().references(() => sections.id, { onDelete: 'cascade' }),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  publishedAt: integer('published_at').notNull(),
}, (t) => [
  primaryKey({ columns: [t.sectionId, t.publishedAt, t.articleId] }),
  index('article_listings_article_idx').on(t.articleId),
])

export const articleTags = sqliteTable('article_tags', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'restrict' }),
  position: integer('position').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.articleId, t.tagId] }),
  index('article_tags_tag_idx').on(t.tagId, t.articleId),
  // covering for an article's tags in order (articles/article.repository.sqlite.ts): a cold read touches one index
  // page instead of the primary key's index page and then the table's
  index('article_tags_article_position_idx').on(t.articleId, t.position, t.tagId),
])

export const articleAuthors = sqliteTable('article_authors', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  authorId: integer('author_id').notNull().references(() => authors.id, { onDelete: 'restrict' }),
  position: integer('position').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.articleId, t.authorId] }),
  index('article_authors_author_idx').on(t.authorId, t.articleId),
  index('article_authors_article_position_idx').on(t.articleId, t.position, t.authorId),
])

export const articleRelated = sqliteTable('article_related', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  relatedId: integer('related_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  position: integer('position').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.articleId, t.relatedId] }),
  index('article_related_related_idx').on(t.relatedId),
  index('article_related_article_position_idx').on(t.articleId, t.position, t.relatedId),
])

// The complete previous state of an article (management representation as JSON) at each save.
export const revisions = sqliteTable('revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  revision: integer('revision').notNull(),
  snapshot: text('snapshot').notNull(),
  keyName: text('key_name'),
  createdAt: integer('created_at').notNull(),
}, (t) => [uniqueIndex('revisions_article_revision_unique').on(t.articleId, t.revision)])

export const collections = sqliteTable('collections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  ...timestamps,
}, (t) => [uniqueIndex('collections_slug_unique').on(t.slug)])

export const collectionItems = sqliteTable('collection_items', {
  collectionId: integer('collection_id').notNull().references(() => collections.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at'),
}, (t) => [
  primaryKey({ columns: [t.collectionId, t.position] }),
  index('collection_items_article_idx').on(t.articleId),
])

export const apiKeys = sqliteTable('api_keys', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  // first characters of the key, shown in listings so a person can tell keys apart
  prefix: text('prefix').notNull(),
  hash: text('hash').notNull(),
  scopes: text('scopes').notNull().default('[]'),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
}, (t) => [
  uniqueIndex('api_keys_name_unique').on(t.name),
  uniqueIndex('api_keys_hash_unique').on(t.hash),
])

// Values the server makes once and every node shares, by key: `cursor_secret` (the HMAC key of
// pagination cursors when CURSOR_SECRET is not set; see settings/repository.ts).
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
})

// Page views aggregated per article per hour (hour = floor(ms / 3_600_000)).
export const pageViews = sqliteTable('page_views', {
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  hour: integer('hour').notNull(),
  views: integer('views').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.articleId, t.hour] }),
  index('page_views_hour_idx').on(t.hour, t.articleId, t.views),
])

// The change feed: one row per committed write, numbered without gaps in commit order (the writer
// takes seq = max + 1 under the write lock), with the surrogate keys the write touched, separated
// by spaces. Every process serving the database drops exactly those keys from its caches; on
// PostgreSQL the row also travels by NOTIFY (see db/changes.ts). Old rows are pruned by writers.
export const changes = sqliteTable('changes', {
  seq: integer('seq').primaryKey(),
  at: integer('at').notNull(),
  keys: text('keys').notNull(),
})

// Live blogs (liveblogs/): the timestamped entries of an article with live set, newest on top.
// body is the blocks JSON (validated with the article Body schema); key_event and pinned are 0/1.
export const liveEntries = sqliteTable('live_entries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  headline: text('headline'),
  body: text('body').notNull().default('[]'),
  keyEvent: integer('key_event').notNull().default(0),
  pinned: integer('pinned').notNull().default(0),
  revision: integer('revision').notNull().default(1),
  ...timestamps,
}, (t) => [
  index('live_entries_article_created_idx').on(t.articleId, t.createdAt, t.id),
  index('live_entries_article_updated_idx').on(t.articleId, t.updatedAt, t.id),
  index('live_entries_article_key_idx').on(t.articleId, t.keyEvent, t.createdAt, t.id),
  index('live_entries_article_pinned_idx').on(t.articleId, t.pinned, t.createdAt, t.id),
])

export const liveEntryAuthors = sqliteTable('live_entry_authors', {
  entryId: integer('entry_id').notNull().references(() => liveEntries.id, { onDelete: 'cascade' }),
  authorId: integer('author_id').notNull().references(() => authors.id, { onDelete: 'restrict' }),
  position: integer('position').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.entryId, t.authorId] }),
  index('live_entry_authors_author_idx').on(t.authorId),
])

// The stored log of entry changes (kind 'created', 'changed' or 'deleted'), numbered in commit order
// per live blog (an entry write locks its article row): what the stream sends as `id:` and replays
// after a reconnect with Last-Event-ID. entry_id has no foreign key: a deletion outlives its entry.
export const entryEvents = sqliteTable('entry_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  entryId: integer('entry_id').notNull(),
  kind: text('kind', { enum: ['created', 'changed', 'deleted'] }).notNull(),
  at: integer('at').notNull(),
}, (t) => [index('entry_events_article_idx').on(t.articleId, t.id)])

// Each saved state of an entry (its management representation as JSON), as revisions are for articles
export const liveEntryRevisions = sqliteTable('live_entry_revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  articleId: integer('article_id').notNull().references(() => articles.id, { onDelete: 'cascade' }),
  entryId: integer('entry_id').notNull().references(() => liveEntries.id, { onDelete: 'cascade' }),
  revision: integer('revision').notNull(),
  snapshot: text('snapshot').notNull(),
  keyName: text('key_name'),
  createdAt: integer('created_at').notNull(),
}, (t) => [uniqueIndex('live_entry_revisions_entry_revision_unique').on(t.entryId, t.revision)])

// The sync log (GET /v1/sync, sync/repository.ts): one row per article a write transaction touched
// (its content, state, section, tags, or anything shown inside it), numbered in commit order as
// `changes` is (max + 1 under the write lock). A sync token holds a seq: the delta since it is
// every article logged after it. `slug` is the article's slug at the time (for tombstones of
// deleted articles). Rows older than SYNC_RETENTION_DAYS are pruned by writers.
export const syncLog = sqliteTable('sync_log', {
  seq: integer('seq').primaryKey(),
  articleId: integer('article_id').notNull(),
  slug: text('slug').notNull(),
  at: integer('at').notNull(),
}, (t) => [
  index('sync_log_article_seq_idx').on(t.articleId, t.seq),
  index('sync_log_at_idx').on(t.at),
])

// Webhooks and CDN purge (webhooks/): endpoints, the outbox of events (written in the transaction
// of the change that caused them) and one delivery per event and endpoint (or CDN purge), retried
// until it succeeds or runs out of time. Secrets are stored encrypted (webhooks/secrets.ts).
export const webhookEndpoints = sqliteTable('webhook_endpoints', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  url: text('url').notNull(),
  // JSON array of event types
  events: text('events').notNull(),
  description: text('description'),
  enabled: integer('enabled').notNull().default(1),
  disabledReason: text('disabled_reason'),
  secret: text('secret').notNull(),
  previousSecret: text('previous_secret'),
  previousSecretUntil: integer('previous_secret_until'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  // the newest event when the endpoint was made: it gets the events after it
  afterEventId: integer('after_event_id').notNull().default(0),
  ...timestamps,
})

export const webhookEvents = sqliteTable('webhook_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  // the webhook-id header: the same on every attempt of this event
  uid: text('uid').notNull(),
  type: text('type').notNull(),
  // JSON object (text, so the signed body keeps its key order)
  data: text('data').notNull(),
  createdAt: integer('created_at').notNull(),
  // 0 until the dispatcher has made its deliveries
  fannedOut: integer('fanned_out').notNull().default(0),
}, (t) => [
  uniqueIndex('webhook_events_uid_unique').on(t.uid),
  index('webhook_events_pending_idx').on(t.fannedOut, t.id),
])

export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  eventId: integer('event_id').notNull().references(() => webhookEvents.id, { onDelete: 'cascade' }),
  // null for a CDN purge
  endpointId: integer('endpoint_id').references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['webhook', 'purge'] }).notNull(),
  status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
  // JSON array of { at, statusCode, durationMs, error?, body? }
  attempts: text('attempts').notNull().default('[]'),
  attemptCount: integer('attempt_count').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at'),
  ...timestamps,
}, (t) => [
  index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
  index('webhook_deliveries_event_idx').on(t.eventId),
])
