// Every feature's repository, bound to a connection: `store.repos` (outside a transaction) and the
// `repos` a transaction's work is given (db/store.ts). A feature adds its repository here once per
// engine; a repository whose SQL both engines accept is one factory used twice (it takes the
// neutral runner only). Repositories are made on first use (a transaction builds only what it uses).
import { changesRepository, postgresChangesDialect, sqliteChangesDialect, type ChangeRecorder, type ChangesRepository } from './changes.js'
import type { Db } from './connection.js'
import type { PgConn } from './postgres/store.js'
import type { SqlRunner } from './sql-runner.js'
import { sqliteRunner } from './sqlite/store.js'
import type { ArticlesRepository } from '../articles/articles-repository.js'
import { postgresArticlesRepository } from '../articles/repository.postgres.js'
import { sqliteArticlesRepository } from '../articles/repository.sqlite.js'
import { scheduleRepository, type ScheduleRepository } from '../articles/schedule-repository.js'
import { settingsRepository, type SettingsRepository } from '../settings/repository.js'
import type { CollectionsRepository } from '../collections/repository.js'
import { postgresCollectionsRepository, sqliteCollectionsRepository } from '../collections/repository.js'
import type { FrontsRepository } from '../fronts/repository.js'
import { frontsRepository } from '../fronts/repository.js'
import type { SearchRepository } from '../search/repository.js'
import { postgresSearchRepository } from '../search/repository.postgres.js'
import { sqliteSearchRepository } from '../search/repository.sqlite.js'
import type { ViewsRepository } from '../views/repository.js'
import { postgresViewsRepository } from '../views/repository.postgres.js'
import { sqliteViewsRepository } from '../views/repository.sqlite.js'
import type { RelatedRepository } from '../related/repository.js'
import { postgresRelatedRepository } from '../related/repository.postgres.js'
import { sqliteRelatedRepository } from '../related/repository.sqlite.js'
import { postgresDemoRepository, sqliteDemoRepository, type DemoRepository } from '../demo/repository.js'
import { postgresWordpressRepository, sqliteWordpressRepository, type WordpressRepository } from '../wordpress/repository.js'
import type { FeedsRepository } from '../feeds/repository.js'
import { postgresFeedsRepository } from '../feeds/repository.postgres.js'
import { sqliteFeedsRepository } from '../feeds/repository.sqlite.js'
import type { SitemapsRepository } from '../sitemaps/repository.js'
import { postgresSitemapsRepository } from '../sitemaps/repository.postgres.js'
import { sqliteSitemapsRepository } from '../sitemaps/repository.sqlite.js'
import { postgresArticleManagementRepository, sqliteArticleManagementRepository, type ArticleManagementRepository } from '../articles/management-repository.js'
import { postgresAuthorsRepository, sqliteAuthorsRepository, type AuthorsRepository } from '../authors/repository.js'
import { apiKeysRepository, type ApiKeysRepository } from '../keys/repository.js'
import { postgresSectionsRepository, sqliteSectionsRepository, type SectionsRepository } from '../sections/repository.js'
import { postgresTagsRepository, sqliteTagsRepository, type TagsRepository } from '../tags/repository.js'
import { postgresLiveblogsRepository, sqliteLiveblogsRepository, type LiveblogsRepository } from '../liveblogs/repository.js'
import { postgresSyncDialect, sqliteSyncDialect, syncRepository, type SyncRepository } from '../sync/repository.js'
import { outboxRepository, postgresWebhooksDialect, sqliteWebhooksDialect, webhooksRepository, type OutboxRepository, type WebhooksRepository } from '../webhooks/repository.js'

// What a SQLite repository is given: drizzle over the connection (its better-sqlite3 client is
// `db.$client`) and the neutral raw-SQL runner.
export interface SqliteConn {
  readonly db: Db
  readonly sql: SqlRunner
  // where a transaction's recorded changes go (the write connection only)
  readonly recorder?: ChangeRecorder
}

export interface Repositories {
  // engine-neutral raw SQL on the same connection: for repositories' shared SQL and test fixtures,
  // never for routes or services
  sql: SqlRunner
  changes: ChangesRepository
  articles: ArticlesRepository
  schedule: ScheduleRepository
  settings: SettingsRepository
  collections: CollectionsRepository
  fronts: FrontsRepository
  search: SearchRepository
  views: ViewsRepository
  related: RelatedRepository
  feeds: FeedsRepository
  sitemaps: SitemapsRepository
  demo: DemoRepository
  wordpress: WordpressRepository
  articleManagement: ArticleManagementRepository
  authors: AuthorsRepository
  apiKeys: ApiKeysRepository
  sections: SectionsRepository
  tags: TagsRepository
  liveblogs: LiveblogsRepository
  sync: SyncRepository
  outbox: OutboxRepository
  webhooks: WebhooksRepository
}

type Factories<C> = { [K in Exclude<keyof Repositories, 'sql'>]: (conn: C) => Repositories[K] }

const sqliteFactories: Factories<SqliteConn> = {
  changes: (conn) => changesRepository(conn.sql, conn.recorder, sqliteChangesDialect),
  articles: sqliteArticlesRepository,
  schedule: scheduleRepository,
  settings: settingsRepository,
  collections: sqliteCollectionsRepository,
  fronts: frontsRepository,
  search: sqliteSearchRepository,
  views: sqliteViewsRepository,
  related: sqliteRelatedRepository,
  feeds: sqliteFeedsRepository,
  sitemaps: sqliteSitemapsRepository,
  demo: sqliteDemoRepository,
  wordpress: sqliteWordpressRepository,
  articleManagement: sqliteArticleManagementRepository,
  authors: sqliteAuthorsRepository,
  apiKeys: apiKeysRepository,
  sections: sqliteSectionsRepository,
  tags: sqliteTagsRepository,
  liveblogs: sqliteLiveblogsRepository,
  sync: (conn) => syncRepository(conn.sql, sqliteSyncDialect),
  outbox: outboxRepository,
  webhooks: (conn) => webhooksRepository(conn, sqliteWebhooksDialect),
}

const postgresFactories: Factories<PgConn> = {
  changes: (conn) => changesRepository(conn.sql, conn.recorder, postgresChangesDialect),
  articles: postgresArticlesRepository,
  schedule: scheduleRepository,
  settings: settingsRepository,
  collections: postgresCollectionsRepository,
  fronts: frontsRepository,
  search: postgresSearchRepository,
  views: postgresViewsRepository,
  related: postgresRelatedRepository,
  feeds: postgresFeedsRepository,
  sitemaps: postgresSitemapsRepository,
  demo: postgresDemoRepository,
  wordpress: postgresWordpressRepository,
  articleManagement: postgresArticleManagementRepository,
  authors: postgresAuthorsRepository,
  apiKeys: apiKeysRepository,
  sections: postgresSectionsRepository,
  tags: postgresTagsRepository,
  liveblogs: postgresLiveblogsRepository,
  sync: (conn) => syncRepository(conn.sql, postgresSyncDialect),
  outbox: outboxRepository,
  webhooks: (conn) => webhooksRepository(conn, postgresWebhooksDialect),
}

export function sqliteRepositories (db: Db, recorder?: ChangeRecorder): Repositories {
  return bind(sqliteFactories, { db, sql: sqliteRunner(db), recorder })
}

export function postgresRepositories (conn: PgConn): Repositories {
  return bind(postgresFactories, conn)
}

function bind<C extends { sql: SqlRunner }> (factories: Factories<C>, conn: C): Repositories {
  const repos = { sql: conn.sql } as Repositories
  for (const name of Object.keys(factories) as Array<keyof Factories<C>>) {
    Object.defineProperty(repos, name, {
      configurable: true,
      enumerable: true,
      get () {
        const repository = factories[name](conn)
        Object.defineProperty(repos, name, { value: repository, enumerable: true })
        return repository
      },
    })
  }
  return repos
}
