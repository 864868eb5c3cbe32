import { defineConfig } from 'vitest/config'

// Test files that run on PostgreSQL as well (the `postgres` project, TEST_ENGINE=postgres): each
// feature's files join this list as the feature is ported to the storage seam (db/store.ts). The
// project runs when TEST_DATABASE_URL is set (`export TEST_DATABASE_URL=$(bash .ci/postgres)`), and
// always under CI=true, where a missing server then fails the run.
const onBothEngines = [
  'test/articles/cursor-secret.test.ts',
  'test/sync/sync.test.ts',
  'test/sync/property.test.ts',
  'test/modules/collections.test.ts',
  'test/modules/fronts.test.ts',
  'test/modules/search.test.ts',
  'test/modules/views.test.ts',
  'test/articles/detail.test.ts',
  'test/articles/fast-render.test.ts',
  'test/articles/list.test.ts',
  'test/articles/paging.test.ts',
  'test/articles/render.test.ts',
  'test/articles/word-count.test.ts',
  'test/modules/related.test.ts',
  'test/demo/seed.test.ts',
  'test/feeds/feeds.test.ts',
  'test/feeds/sitemaps.test.ts',
  'test/operations/health.test.ts',
  'test/wordpress/import.test.ts',
  'test/management/articles.test.ts',
  'test/management/auth.test.ts',
  'test/management/concurrency.test.ts',
  'test/management/etag.test.ts',
  'test/management/input-safety.test.ts',
  'test/management/taxonomy.test.ts',
  'test/management/workflow.test.ts',
  'test/sections/sections.test.ts',
  'test/tags/tags.test.ts',
  'test/authors/authors.test.ts',
  'test/security/auth.test.ts',
  'test/http/caching.test.ts',
  'test/http/method-not-allowed.test.ts',
  'test/http/metrics.test.ts',
  'test/http/openapi-headers.test.ts',
  'test/http/response-cache.test.ts',
  'test/http/serializer.test.ts',
  'test/http/transport.test.ts',
  'test/http/write-invalidation.test.ts',
  'test/security/fuzz.test.ts',
  'test/security/injection.test.ts',
  'test/security/input-rules.test.ts',
  'test/security/visibility.test.ts',
  'test/security/xss.test.ts',
  'test/management/keys-cli.test.ts',
  'test/modules/views-restart.test.ts',
  'test/security/limits.test.ts',
  'test/security/overload.test.ts',
  'test/e2e/crash.test.ts',
  'test/liveblogs/management.test.ts',
  'test/liveblogs/delivery.test.ts',
  'test/liveblogs/stream.test.ts',
  'test/liveblogs/demo.test.ts',
  'test/webhooks/webhooks.test.ts',
  'test/webhooks/ssrf.test.ts',
  'test/webhooks/purge.test.ts',
]

// Not on both engines, with the reason:
// - test/operations/database-unavailable.test.ts: builds its own stores of both engines (its own PostgreSQL cluster); runs once
// - test/http/no-write-on-get.test.ts: measures SQLite's file and WAL sizes and its connections' change counters
// - test/modules/search-snippets.test.ts, search-tokenizer.test.ts: compare the JS snippets and tokenizer with SQLite's FTS5 itself
// - test/cli/backup.test.ts: SQLite's backup API (PostgreSQL: pg_dump, test/cli/postgres.test.ts checks the CLI says so)
// - test/cli/openapi.test.ts: writes the OpenAPI document from an in-memory SQLite store; the document does not depend on the engine

// TEST_ENGINES=sqlite runs the SQLite project only (.ci/run's second pass on Node 24 does).
const onCi = process.env.CI === 'true' || process.env.CI === '1'
const engines = (process.env.TEST_ENGINES ?? 'sqlite,postgres').split(',')
const postgres = engines.includes('postgres') && (Boolean(process.env.TEST_DATABASE_URL) || onCi)
if (engines.includes('postgres') && !postgres) {
  console.warn('PostgreSQL project skipped: TEST_DATABASE_URL is not set (export TEST_DATABASE_URL=$(bash .ci/postgres) to run it)')
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...postgres
        ? [{ extends: true as const, test: { name: 'postgres', include: onBothEngines, env: { TEST_ENGINE: 'postgres' } } }]
        : [],
    ],
  },
})
