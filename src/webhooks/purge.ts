// CDN purge requests for one change's surrogate keys (the keys the in-process cache drops,
// http/surrogate-keys.ts). A purge is a delivery of the outbox like a webhook (dispatcher.ts): made
// once per change for the whole cluster and retried the same way. Keys beyond a CDN's documented
// limits are split over several requests; a single key longer than a CDN accepts is replaced by
// "purge everything" (the only key sure to cover it) with a logged warning, never cut short.
import { EVERYTHING } from '../db/changes.js'
import type { WebhooksConfig } from '../config.js'
import type { OutgoingRequest } from './http.js'
import { signature } from './secrets.js'

// Fastly: "Up to 256 surrogate keys can be purged in one batch request" (POST
// /service/{service_id}/purge, keys in a JSON body `surrogate_keys` or a Surrogate-Key header,
// https://www.fastly.com/documentation/reference/api/purging/); a single key may be up to 1,024
// bytes (Fastly community: "16k of keyspace available with a 1k limit for any individual key").
export const FASTLY_KEYS_PER_REQUEST = 256
export const FASTLY_MAX_KEY_BYTES = 1024
// Cloudflare: POST /zones/{zone_id}/purge_cache `{"tags": [...]}`; a purge call takes at most 100
// operations (tags) on every plan ("Max operations per request: 100",
// https://developers.cloudflare.com/cache/how-to/purge-cache/, 2026; older pages said 30), and
// purge calls are rate-limited per account (Free: 5 a minute), so requests are filled up to it. A
// tag in a purge call may be at most 1,024 characters; the Cache-Tag response header may not exceed
// 16 KB in aggregate (https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/).
export const CLOUDFLARE_TAGS_PER_REQUEST = 100
export const CLOUDFLARE_MAX_TAG_LENGTH = 1024
export const CLOUDFLARE_MAX_HEADER_BYTES = 16 * 1024

export interface PurgePlan { requests: OutgoingRequest[], warnings: string[] }

function chunks<T> (items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

// The keys as a CDN can take them: unique, and EVERYTHING alone when a key is over the limit
function fit (keys: readonly string[], maxBytes: number, cdn: string, warnings: string[]): string[] {
  const unique = [...new Set(keys)]
  const tooLong = unique.filter((key) => Buffer.byteLength(key) > maxBytes)
  for (const key of tooLong) warnings.push(`${cdn}: the surrogate key "${key.slice(0, 80)}..." is ${Buffer.byteLength(key)} bytes, over the ${maxBytes} a purge accepts; purging everything instead`)
  return tooLong.length > 0 || unique.includes(EVERYTHING) ? [EVERYTHING] : unique
}

export function purgePlan (purge: WebhooksConfig['purge'], keys: readonly string[], id: string, now: number): PurgePlan {
  const warnings: string[] = []
  switch (purge.kind) {
    case 'fastly': {
      const fitted = fit(keys, FASTLY_MAX_KEY_BYTES, 'Fastly', warnings)
      const headers = { 'fastly-key': purge.token, accept: 'application/json', 'content-type': 'application/json' }
      const base = `${purge.apiUrl}/service/${encodeURIComponent(purge.serviceId)}`
      if (fitted.includes(EVERYTHING)) return { requests: [{ url: `${base}/purge_all`, headers, body: '' }], warnings }
      return {
        requests: chunks(fitted, FASTLY_KEYS_PER_REQUEST).map((batch) => ({
          url: `${base}/purge`, headers, body: JSON.stringify({ surrogate_keys: batch }),
        })),
        warnings,
      }
    }
    case 'cloudflare': {
      const fitted = fit(keys, CLOUDFLARE_MAX_TAG_LENGTH, 'Cloudflare', warnings)
      const headers = { authorization: `Bearer ${purge.token}`, 'content-type': 'application/json' }
      const url = `${purge.apiUrl}/zones/${encodeURIComponent(purge.zoneId)}/purge_cache`
      if (fitted.includes(EVERYTHING)) return { requests: [{ url, headers, body: JSON.stringify({ purge_everything: true }) }], warnings }
      return {
        requests: chunks(fitted, CLOUDFLARE_TAGS_PER_REQUEST).map((batch) => ({ url, headers, body: JSON.stringify({ tags: batch }) })),
        warnings,
      }
    }
    case 'webhook': {
      // a plain signed webhook (Standard Webhooks headers), the keys untouched
      const timestamp = Math.floor(now / 1000)
      const body = JSON.stringify({ type: 'cdn.purge', timestamp: new Date(now).toISOString(), data: { surrogateKeys: [...new Set(keys)] } })
      return {
        requests: [{
          url: purge.url,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature([purge.secret], id, timestamp, body),
          },
          body,
        }],
        warnings,
      }
    }
    default:
      return { requests: [], warnings }
  }
}

// The Cache-Tag response header (Cloudflare: comma-separated, at most 16 KB in aggregate) from a
// Surrogate-Key header value, which http/surrogate-keys.ts already keeps under 16 KB.
export const cacheTagValue = (surrogateKey: string) => surrogateKey.replaceAll(' ', ',')
