// The sync log and the reads of GET /v1/sync, one SQL text for both engines (the neutral runner);
// the engines differ only in the lock that numbers rows in commit order and in how a JSON list
// of values is read as rows.
//
// Writes: every write transaction that changes what an article looks like to a synced client (its
// content, state, publication time, section, tags, or a section, tag, author or related article
// shown inside it) logs the article ids it touched, before `repos.changes.record(...)`. Each row
// gets seq = max + 1 while holding the change feed's write lock (SQLite: the write transaction;
// PostgreSQL: the `dateline changes` transaction advisory lock, held until the commit), so seq
// order is commit order: a reader that has seen seq n has seen every row numbered below it.
//
// Reads: a position is (seq, now). The delta between two positions is every article logged in
// (fromSeq, toSeq], plus the articles whose scheduled publication time fell in (fromNow, toNow]
// (they go live with no write at all) and those whose related list shows one of them.
import type { SqlRunner } from '../db/sql-runner.js'

export interface SyncFilters {
  // the section and every section under it
  sectionId?: number | undefined
  tagId?: number | undefined
}

export interface SyncPosition { seq: number, now: number }

// What a deletion must log: read before the article's rows go
export interface Removal { id: number, slug: string, referrers: number[] }

// One article of a delta page: `member` when it is in the synced set now
export interface DeltaRow { id: number, slug: string, member: boolean, logged: boolean, removedAt: number | null }

export interface SyncRepository {
  // Writes (inside store.tx, after the change, before changes.record)
  // the articles and every article whose related list shows them
  logArticles (ids: readonly number[], at: number): Promise<void>
  // every article in the section or under it (a rename or a move changes their url, breadcrumbs
  // and which section filters they match)
  logSection (sectionId: number, at: number): Promise<void>
  // every article with this tag / credited to this author (shown inside the article)
  logTag (tagId: number, at: number): Promise<void>
  logAuthor (authorId: number, at: number): Promise<void>
  // imported articles, by their WordPress ids
  logImported (externalIds: readonly string[], at: number): Promise<void>
  // read before deleting an article; logged after the delete with logRemoval
  removal (id: number): Promise<Removal | undefined>
  logRemoval (removal: Removal, at: number): Promise<void>
  // drops rows logged before `before`, except the newest (numbering goes on from it)
  prune (before: number): Promise<number>

  // Reads
  // the newest seq and the highest article id (the initial sync's upper bound)
  position (): Promise<{ seq: number, maxId: number }>
  // live articles (at `now`) matching the filters with id in (after, maxId], by id, at most `limit`
  initialPage (filters: SyncFilters, range: { after: number, maxId: number, now: number, limit: number }): Promise<Array<{ id: number, slug: string }>>
  // the articles that changed between the positions with id > after, by id, at most `limit`
  deltaPage (filters: SyncFilters, from: SyncPosition, to: SyncPosition, range: { after: number, limit: number }): Promise<DeltaRow[]>
}

export interface SyncDialect {
  // run before taking seq (PostgreSQL: the change feed's advisory lock; SQLite holds its write lock)
  lock?: string
  // rows `value` of a JSON array bound as text (integers with `ints`)
  each (param: string, ints: boolean): string
}

export const sqliteSyncDialect: SyncDialect = {
  each: (param) => `select value from json_each(:${param})`,
}

export const postgresSyncDialect: SyncDialect = {
  lock: "select pg_advisory_xact_lock(hashtext('dateline changes'))",
  each: (param, ints) => `select value${ints ? '::int' : ''} from jsonb_array_elements_text(:${param}::jsonb)`,
}

const LIVE = (alias: string, now: string) => `${alias}.status = 'published' and ${alias}.published_at <= :${now}`

// A recursive CTE of the section filter's subtree (`with recursive` is harmless without it)
const SUBTREE = 'sub(id) as (select cast(:root as integer) union all select s.id from sections s join sub on s.parent_id = sub.id)'

function filterSql (filters: SyncFilters, alias: string): { ctes: string[], where: string[], params: Record<string, unknown> } {
  const ctes: string[] = []
  const where: string[] = []
  const params: Record<string, unknown> = {}
  if (filters.sectionId !== undefined) {
    ctes.push(SUBTREE)
    where.push(`${alias}.section_id in (select id from sub)`)
    params.root = filters.sectionId
  }
  if (filters.tagId !== undefined) {
    where.push(`exists (select 1 from article_tags t where t.article_id = ${alias}.id and t.tag_id = :tagId)`)
    params.tagId = filters.tagId
  }
  return { ctes, where, params }
}

const withClause = (ctes: readonly string[]) => (ctes.length > 0 ? `with recursive ${ctes.join(', ')} ` : '')

export function syncRepository (sql: SqlRunner, dialect: SyncDialect): SyncRepository {
  // Logs the articles `where` selects (articles as `a`), numbered after the newest row.
  const log = async (where: string, params: Record<string, unknown>, ctes: readonly string[] = []) => {
    if (dialect.lock) await sql.get(dialect.lock)
    await sql.run(`insert into sync_log (seq, article_id, slug, at)
      ${withClause(ctes)}select (select coalesce(max(seq), 0) from sync_log) + row_number() over (order by a.id), a.id, a.slug, :at
      from articles a where ${where}`, params)
  }
  const ids = dialect.each('ids', true)

  return {
    async logArticles (articleIds, at) {
      if (articleIds.length === 0) return
      // one IN over a union: an OR of two INs reads every article on PostgreSQL (its planner cannot
      // turn the OR into two index lookups): 0.4–2.4 s per article write at 1,000,000 articles
      await log(`a.id in (${ids} union select ar.article_id from article_related ar where ar.related_id in (${ids}))`,
        { ids: articleIds, at })
    },
    async logSection (sectionId, at) {
      await log('a.section_id in (select id from sub)', { root: sectionId, at }, [SUBTREE])
    },
    async logTag (tagId, at) {
      await log('a.id in (select article_id from article_tags where tag_id = :tagId)', { tagId, at })
    },
    async logAuthor (authorId, at) {
      await log('a.id in (select article_id from article_authors where author_id = :authorId)', { authorId, at })
    },
    async logImported (externalIds, at) {
      if (externalIds.length === 0) return
      await log(`a.external_id in (${dialect.each('externalIds', false)})`, { externalIds, at })
    },
    async removal (id) {
      const row = await sql.get<{ slug: string }>('select slug from articles where id = :id', { id })
      if (!row) return undefined
      const referrers = await sql.all<{ id: number }>('select article_id as id from article_related where related_id = :id order by article_id', { id })
      return { id, slug: row.slug, referrers: referrers.map((r) => r.id) }
    },
    async logRemoval ({ id, slug, referrers }, at) {
      if (dialect.lock) await sql.get(dialect.lock)
      await sql.run('insert into sync_log (seq, article_id, slug, at) select coalesce(max(seq), 0) + 1, :id, :slug, :at from sync_log', { id, slug, at })
      if (referrers.length > 0) await log(`a.id in (${ids})`, { ids: referrers, at })
    },
    async prune (before) {
      // `at >= 0`: a range, which a generic plan reads through sync_log_at_idx; a one-sided bound is
      // estimated to keep a third of the table, and PostgreSQL would read all of it
      return await sql.run('delete from sync_log where at >= 0 and at < :before and seq < (select max(seq) from sync_log)', { before })
    },

    async position () {
      const row = await sql.get<{ seq: number | string | null, maxId: number | string | null }>(
        'select (select max(seq) from sync_log) as seq, (select max(id) from articles) as "maxId"')
      return { seq: Number(row?.seq ?? 0), maxId: Number(row?.maxId ?? 0) }
    },

    async initialPage (filters, { after, maxId, now, limit }) {
      const f = filterSql(filters, 'a')
      return await sql.all<{ id: number, slug: string }>(`${withClause(f.ctes)}select a.id, a.slug from articles a
        where ${LIVE('a', 'now')} and a.id > :after and a.id <= :maxId${f.where.map((w) => ` and ${w}`).join('')}
        order by a.id limit :limit`, { ...f.params, after, maxId, now, limit })
    },

    async deltaPage (filters, from, to, { after, limit }) {
      const f = filterSql(filters, 'a')
      const rows = await sql.all<{ id: number, slug: string | null, member: number, logged: number, loggedSlug: string | null, removedAt: number | string | null }>(
        `${withClause([...f.ctes,
          `changed(id) as (
            select article_id from sync_log where seq > :fromSeq and seq <= :toSeq
            union select id from articles where status = 'published' and published_at > :fromNow and published_at <= :toNow
            union select ar.article_id from article_related ar join articles r on r.id = ar.related_id
              where r.status = 'published' and r.published_at > :fromNow and r.published_at <= :toNow)`,
          'page(id) as (select id from changed where id > :after order by id limit :limit)'])}
        select p.id, a.slug,
          case when a.id is not null and ${LIVE('a', 'toNow')}${f.where.map((w) => ` and ${w}`).join('')} then 1 else 0 end as member,
          (select l.slug from sync_log l where l.article_id = p.id and l.seq <= :toSeq order by l.seq desc limit 1) as "loggedSlug",
          (select max(l.at) from sync_log l where l.article_id = p.id and l.seq > :fromSeq and l.seq <= :toSeq) as "removedAt",
          case when exists (select 1 from sync_log l where l.article_id = p.id and l.seq > :fromSeq and l.seq <= :toSeq) then 1 else 0 end as logged
        from page p left join articles a on a.id = p.id order by p.id`,
        { ...f.params, fromSeq: from.seq, toSeq: to.seq, fromNow: from.now, toNow: to.now, after, limit })
      return rows.map((row) => ({
        id: row.id,
        slug: row.slug ?? row.loggedSlug ?? '',
        member: Number(row.member) === 1,
        logged: Number(row.logged) === 1,
        removedAt: row.removedAt === null ? null : Number(row.removedAt),
      }))
    },
  }
}
