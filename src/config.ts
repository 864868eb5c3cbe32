// Every environment variable Dateline reads, in one zod schema. loadConfig is pure and fails fast.
import { z } from 'zod'

// Checked without echoing the value: a database URL carries a password.
function isPostgresUrl (value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
  } catch {
    return false
  }
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_PATH: z.string().min(1).default('./data/dateline.db'),
  // PostgreSQL instead of SQLite (see "PostgreSQL" in README.md)
  DATABASE_URL: z.string().refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL such as postgres://user:password@host:5432/dateline').optional(),
  // delivery reads from a streaming replica of DATABASE_URL (see "Running several nodes" in README.md)
  DATABASE_READ_URL: z.string().refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL of a streaming replica').optional(),
  // PostgreSQL connections a process opens (each for DATABASE_URL and DATABASE_READ_URL): beyond,
  // statements are pipelined on open ones (see "PostgreSQL" in README.md for the measured choice)
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(24 * 3600 * 1000).default(30_000),
  // proxies whose X-Forwarded-For is believed (client address for the view beacon's rate limit and
  // logs): comma-separated addresses or CIDR ranges, e.g. 127.0.0.1,10.0.0.0/8; unset: none
  TRUST_PROXY: z.string().refine((v) => v.split(',').every((p) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(p.trim())), 'must be a comma-separated list of IP addresses or CIDR ranges such as 127.0.0.1,10.0.0.0/8').optional(),
  DEMO_CONTENT: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  CACHE_MAX_AGE: z.coerce.number().int().min(0).default(60),
  CACHE_STALE_WHILE_REVALIDATE: z.coerce.number().int().min(0).default(300),
  PUBLICATION_NAME: z.string().trim().min(1).max(200).default('Dateline'),
  PUBLICATION_LANGUAGE: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a language code such as en or zh-cn').default('en'),
  VIEWS_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  VIEWS_FLUSH_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).default(72_000),
  MAX_HEADER_SIZE: z.coerce.number().int().min(1024).max(1024 * 1024).default(16 * 1024),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  OVERLOAD_MAX_HEAP_USED_BYTES: z.coerce.number().int().min(0).default(1024 * 1024 * 1024),
  OVERLOAD_MAX_RSS_BYTES: z.coerce.number().int().min(0).default(1536 * 1024 * 1024),
  OVERLOAD_SAMPLE_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
  OVERLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).default(10),
  RESPONSE_CACHE: bool.default(true),
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(0).default(16 * 1024 * 1024),
  MOST_VIEWED_CACHE_SECONDS: z.coerce.number().int().min(0).default(10),
  // default: on unless NODE_ENV=production (see http/serializer.ts)
  RESPONSE_VALIDATION: bool.optional(),
  SEARCH_RANK_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  COMPRESSION_THRESHOLD: z.coerce.number().int().min(0).default(1024),
  CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').max(1000).optional(),
  LIVE_STREAM_LIMIT: z.coerce.number().int().min(0).default(10_000),
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(3600).default(15),
  SYNC_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CORS_ORIGINS: z.string().min(1).default('*')
    .refine((v) => v === '*' || v.split(',').every((o) => /^https?:\/\/[^/\s,]+$/.test(o.trim())), 'must be * or a comma-separated list of origins such as https://www.example.com'),
  // webhooks and CDN purge (see "Webhooks" and "CDN purge" in README.md)
  WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').max(1000).optional(),
  WEBHOOK_ALLOW_HTTP: bool.default(false),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  WEBHOOK_RETRY_WINDOW_HOURS: z.coerce.number().min(0.001).max(24 * 30).default(72),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.001).max(3600).default(30),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(100_000).default(50),
  WEBHOOK_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CDN_PURGE: z.enum(['off', 'fastly', 'cloudflare', 'webhook']).default('off'),
  FASTLY_SERVICE_ID: z.string().min(1).optional(),
  FASTLY_API_TOKEN: z.string().min(1).optional(),
  FASTLY_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.fastly.com'),
  CLOUDFLARE_ZONE_ID: z.string().min(1).optional(),
  CLOUDFLARE_API_TOKEN: z.string().min(1).optional(),
  CLOUDFLARE_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.cloudflare.com/client/v4'),
  CDN_PURGE_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  CDN_PURGE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'must be whsec_ followed by base64 of at least 24 bytes').optional(),
}).superRefine((c, ctx) => {
  const need = (names: Array<keyof typeof c>) => {
    for (const name of names) {
      if (c[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required when CDN_PURGE=${c.CDN_PURGE}` })
    }
  }
  if (c.CDN_PURGE === 'fastly') need(['FASTLY_SERVICE_ID', 'FASTLY_API_TOKEN'])
  if (c.CDN_PURGE === 'cloudflare') need(['CLOUDFLARE_ZONE_ID', 'CLOUDFLARE_API_TOKEN'])
  if (c.CDN_PURGE === 'webhook') need(['CDN_PURGE_WEBHOOK_URL', 'CDN_PURGE_WEBHOOK_SECRET'])
})

export type Config = {
  host: string
  port: number
  databasePath: string
  // set: PostgreSQL at this URL instead of SQLite at databasePath
  databaseUrl: string | undefined
  // set (PostgreSQL only): delivery reads go to this replica once it has replayed every change seen
  databaseReadUrl: string | undefined
  // PostgreSQL: connections to each of databaseUrl and databaseReadUrl (plus one for LISTEN)
  databasePoolSize: number
  // PostgreSQL's statement_timeout on the server's pooled connections (0: none)
  statementTimeout: number
  // proxies whose X-Forwarded-For is believed (none: the socket address is the client)
  trustProxy: string[]
  demoContent: boolean
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL']
  publicBaseUrl: string | undefined
  bodyLimit: number
  cacheMaxAge: number
  cacheStaleWhileRevalidate: number
  publicationName: string
  publicationLanguage: string
  viewsRateLimit: number
  viewsFlushIntervalMs: number
  connectionTimeout: number
  requestTimeout: number
  keepAliveTimeout: number
  maxHeaderSize: number
  overload: {
    maxEventLoopDelay: number
    maxHeapUsedBytes: number
    maxRssBytes: number
    sampleInterval: number
    retryAfter: number
  }
  responseCache: boolean
  responseCacheMaxBytes: number
  mostViewedCacheSeconds: number
  // store each article's rendered answer in SQLite and serve it without rendering (articles/documents.ts)
  compressionThreshold: number
  responseValidation: boolean
  searchRankLimit: number
  // '*' or the exact origins allowed to read responses from a browser
  corsOrigins: '*' | string[]
  // the HMAC key of cursors; unset: one generated once and stored in the database (settings/repository.ts)
  cursorSecret: string | undefined
  // live blog streams: open streams per process (beyond: 503), seconds between heartbeat comments
  liveStreamLimit: number
  liveHeartbeatSeconds: number
  // how long GET /v1/sync keeps what changed (tombstones included): an older sync token is a 410
  syncRetentionDays: number
  webhooks: WebhooksConfig
}

export interface WebhooksConfig {
  // the key that encrypts stored endpoint secrets; unset: SQLite keeps one in a file beside the
  // database, PostgreSQL refuses to create endpoints (webhooks/secrets.ts)
  secretKey: string | undefined
  allowHttp: boolean
  allowPrivate: boolean
  timeoutMs: number
  retryWindowMs: number
  // events and their delivery log are kept this long after they were made (once nothing is pending)
  logRetentionMs: number
  retryBaseMs: number
  disableAfterFailures: number
  dispatchIntervalMs: number
  concurrency: number
  purge:
    | { kind: 'off' }
    | { kind: 'fastly', serviceId: string, token: string, apiUrl: string }
    | { kind: 'cloudflare', zoneId: string, token: string, apiUrl: string }
    | { kind: 'webhook', url: string, secret: string }
}

export class ConfigError extends Error {}

export function loadConfig (env: NodeJS.ProcessEnv): Config {
  const result = ConfigSchema.safeParse(Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in ConfigSchema.shape && value !== '')
  ))
  if (!result.success) {
    // one line per bad variable
    const lines = result.error.issues.map((issue) => `Invalid configuration: ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(lines.join('\n'))
  }
  const c = result.data
  return {
    host: c.HOST,
    port: c.PORT,
    databasePath: c.DATABASE_PATH,
    databaseUrl: c.DATABASE_URL,
    databaseReadUrl: c.DATABASE_URL === undefined ? undefined : c.DATABASE_READ_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    statementTimeout: c.STATEMENT_TIMEOUT_MS,
    trustProxy: c.TRUST_PROXY === undefined ? [] : c.TRUST_PROXY.split(',').map((p) => p.trim()),
    demoContent: c.DEMO_CONTENT,
    logLevel: c.LOG_LEVEL,
    publicBaseUrl: c.PUBLIC_BASE_URL,
    bodyLimit: c.BODY_LIMIT,
    cacheMaxAge: c.CACHE_MAX_AGE,
    cacheStaleWhileRevalidate: c.CACHE_STALE_WHILE_REVALIDATE,
    publicationName: c.PUBLICATION_NAME,
    publicationLanguage: c.PUBLICATION_LANGUAGE.toLowerCase(),
    viewsRateLimit: c.VIEWS_RATE_LIMIT,
    viewsFlushIntervalMs: c.VIEWS_FLUSH_INTERVAL_MS,
    connectionTimeout: c.CONNECTION_TIMEOUT_MS,
    requestTimeout: c.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: c.KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: c.MAX_HEADER_SIZE,
    overload: {
      maxEventLoopDelay: c.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: c.OVERLOAD_MAX_HEAP_USED_BYTES,
      maxRssBytes: c.OVERLOAD_MAX_RSS_BYTES,
      sampleInterval: c.OVERLOAD_SAMPLE_INTERVAL_MS,
      retryAfter: c.OVERLOAD_RETRY_AFTER_SECONDS,
    },
    responseCache: c.RESPONSE_CACHE,
    responseCacheMaxBytes: c.RESPONSE_CACHE_MAX_BYTES,
    mostViewedCacheSeconds: c.MOST_VIEWED_CACHE_SECONDS,
    compressionThreshold: c.COMPRESSION_THRESHOLD,
    responseValidation: c.RESPONSE_VALIDATION ?? env.NODE_ENV !== 'production',
    searchRankLimit: c.SEARCH_RANK_LIMIT,
    corsOrigins: c.CORS_ORIGINS === '*' ? '*' : c.CORS_ORIGINS.split(',').map((o) => o.trim()),
    cursorSecret: c.CURSOR_SECRET,
    liveStreamLimit: c.LIVE_STREAM_LIMIT,
    liveHeartbeatSeconds: c.LIVE_HEARTBEAT_SECONDS,
    syncRetentionDays: c.SYNC_RETENTION_DAYS,
    webhooks: {
      secretKey: c.WEBHOOK_SECRET_KEY,
      allowHttp: c.WEBHOOK_ALLOW_HTTP,
      allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      retryWindowMs: Math.round(c.WEBHOOK_RETRY_WINDOW_HOURS * 3_600_000),
      logRetentionMs: c.WEBHOOK_LOG_RETENTION_DAYS * 86_400_000,
      retryBaseMs: Math.round(c.WEBHOOK_RETRY_BASE_SECONDS * 1000),
      disableAfterFailures: c.WEBHOOK_DISABLE_AFTER_FAILURES,
      dispatchIntervalMs: c.WEBHOOK_DISPATCH_INTERVAL_MS,
      concurrency: c.WEBHOOK_CONCURRENCY,
      purge: purgeConfig(c),
    },
  }
}

function purgeConfig (c: z.infer<typeof ConfigSchema>): WebhooksConfig['purge'] {
  switch (c.CDN_PURGE) {
    case 'fastly': return { kind: 'fastly', serviceId: c.FASTLY_SERVICE_ID!, token: c.FASTLY_API_TOKEN!, apiUrl: c.FASTLY_API_URL.replace(/\/+$/, '') }
    case 'cloudflare': return { kind: 'cloudflare', zoneId: c.CLOUDFLARE_ZONE_ID!, token: c.CLOUDFLARE_API_TOKEN!, apiUrl: c.CLOUDFLARE_API_URL.replace(/\/+$/, '') }
    case 'webhook': return { kind: 'webhook', url: c.CDN_PURGE_WEBHOOK_URL!, secret: c.CDN_PURGE_WEBHOOK_SECRET! }
    default: return { kind: 'off' }
  }
}
