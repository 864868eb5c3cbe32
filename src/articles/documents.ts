// Article documents: the stored rendered answer of GET /v1/articles/{slug} (body in each content
// coding, validators, surrogate keys), read by slug and filled lazily after a render. Exact by
// construction: the triggers of migrations/sqlite/0002_article_documents.sql delete the documents a write
// affects and bump content_version in the writer's own transaction, whatever the connection, and a
// fill only lands when content_version still has the value read before the render.
import type Database from 'better-sqlite3'
import type { Db } from '../db/connection.js'

export type DocumentEncoding = 'br' | 'gzip' | 'identity'

export interface StoredDocument {
  articleId: number
  etag: string
  lastModified: string | null
  surrogateKey: string | null
  contentType: string
  vary: string | null
  // the body in the asked coding; null when that coding was not made yet (then `identity` is set)
  body: Buffer | null
  identity: Buffer | null
}

// The rendered answer: the body without content coding, the coding the render itself made (if
// any), and its headers.
export interface NewDocument {
  slug: string
  etag: string
  lastModified: string | null
  surrogateKey: string | null
  contentType: string
  vary: string | null
  identity: Buffer
  br: Buffer | null
  gzip: Buffer | null
}

export interface ArticleDocuments {
  // the value to pass to store() for a render that starts now
  version: () => number
  // the live document for this slug at `now`; withIdentity: `identity` is set even when `body` is
  find: (slug: string, encoding: DocumentEncoding, now: number, withIdentity?: boolean) => StoredDocument | undefined
  // stores a document rendered at `now` unless a write landed since `version` was read; true when stored
  store: (document: NewDocument, version: number, now: number) => boolean
  // keeps a compressed body made on first demand, if the document is still the one with this ETag
  addVariant: (articleId: number, etag: string, encoding: 'br' | 'gzip', body: Buffer) => boolean
  // Makes the documents this process's (see takeOver below); resolves true when it had to drop them.
  // stopped: asked between batches, true when the database is about to close.
  takeOver: (stopped: () => boolean) => Promise<boolean>
}

const findSql = (body: string, identity: string) => `
  select article_id as articleId, etag, last_modified as lastModified, surrogate_key as surrogateKey,
    content_type as contentType, vary, ${body} as body, ${identity} as identity
  from article_documents
  where slug = ? and live_from <= ? and (stale_at is null or stale_at > ?)
    and (select render_fingerprint from content_version where id = 1) = ?`

// Stores only a live article (the render just made it so; the check costs nothing). stale_at: the
// first future publication of a scheduled related article, when relatedIds changes without a write.
const STORE = `
  insert or replace into article_documents
    (article_id, slug, live_from, stale_at, etag, last_modified, surrogate_key, content_type, vary, identity, br, gzip)
  select a.id, a.slug, a.published_at,
    (select min(r.published_at) from article_related ar join articles r on r.id = ar.related_id
      where ar.article_id = a.id and r.status = 'published' and r.published_at > :now),
    :etag, :lastModified, :surrogateKey, :contentType, :vary, :identity, :br, :gzip
  from articles a
  where a.slug = :slug and a.status = 'published' and a.published_at <= :now
    and (select v from content_version where id = 1) = :version
    and (select render_fingerprint from content_version where id = 1) = :fingerprint`

function isBusy (error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('SQLITE_BUSY')
}

// fingerprint: this process's render fingerprint. Documents are read and stored only while the
// database's fingerprint is the same, so a process with other code or configuration on the same
// file (the old one during a rolling restart, a second instance) renders instead of serving, or
// storing, documents made for the other.
export function articleDocuments (db: Db, fingerprint: string): ArticleDocuments {
  const sqlite: Database.Database = db.$client
  const find = (body: string, identity: string) => sqlite.prepare<[string, number, number, string], StoredDocument>(findSql(body, identity))
  const byEncoding = {
    identity: find('identity', 'null'),
    br: find('br', 'iif(br is null, identity, null)'),
    gzip: find('gzip', 'iif(gzip is null, identity, null)'),
  }
  const withIdentityByEncoding = { identity: find('identity', 'identity'), br: find('br', 'identity'), gzip: find('gzip', 'identity') }
  const variants = {
    br: sqlite.prepare('update article_documents set br = ? where article_id = ? and etag = ?'),
    gzip: sqlite.prepare('update article_documents set gzip = ? where article_id = ? and etag = ?'),
  }
  const version = sqlite.prepare<[], number>('select v from content_version where id = 1').pluck()
  const store = sqlite.prepare(STORE)
  const storedFingerprint = sqlite.prepare<[], string>('select render_fingerprint from content_version where id = 1').pluck()
  const setFingerprint = sqlite.prepare('update content_version set v = v + 1, render_fingerprint = ? where id = 1')
  const finish = sqlite.prepare('update content_version set v = v + 1, render_fingerprint = :fingerprint where id = 1 and render_fingerprint = :marker')
  const dropBatch = sqlite.prepare('delete from article_documents where article_id in (select article_id from article_documents limit 500)')

  // Storing is an optimisation: when another connection holds the write lock (a long import), skip
  // it rather than block the event loop for busy_timeout.
  function withoutWaiting (write: () => boolean): boolean {
    const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number
    sqlite.pragma('busy_timeout = 0')
    try {
      return write()
    } catch (error) {
      if (isBusy(error)) return false
      throw error
    } finally {
      sqlite.pragma(`busy_timeout = ${timeout}`)
    }
  }

  return {
    version: () => version.get() ?? 0,
    find: (slug, encoding, now, withIdentity = false) => (withIdentity ? withIdentityByEncoding : byEncoding)[encoding].get(slug, now, now, fingerprint),
    store: (document, expected, now) => withoutWaiting(() => store.run({ ...document, now, version: expected, fingerprint }).changes > 0),
    addVariant: (articleId, etag, encoding, body) => withoutWaiting(() => variants[encoding].run(body, articleId, etag).changes > 0),
    // Documents made for another fingerprint (other code or configuration) are dropped without
    // making start-up wait for a table of any size: the database's fingerprint first becomes a
    // marker no process has, so from that commit on nobody serves or stores a document, then rows
    // go 500 at a time between requests (a few ms each), then the fingerprint becomes this
    // process's. A process stopped half-way leaves the marker, and the next start finishes the job.
    takeOver: async (stopped) => {
      if (storedFingerprint.get() === fingerprint) return false
      const marker = `dropping for ${fingerprint}`
      setFingerprint.run(marker)
      while (!stopped()) {
        // one batch, or once the table is empty the fingerprint (unless another process has put its
        // own marker since: then its start-up finishes). false: another connection holds the write
        // lock, tried again a little later
        const progressed = withoutWaiting(() => dropBatch.run().changes > 0 || finish.run({ fingerprint, marker }).changes > 0)
        if (storedFingerprint.get() !== marker) return true
        await new Promise((resolve) => setTimeout(resolve, progressed ? 0 : 10))
      }
      return true
    },
  }
}
