// Recognises the third-party URLs WordPress turns into embeds (oEmbed providers) and maps them to
// Dateline's embed providers.
import type { Block } from '../articles/schemas.js'

type Embed = Extract<Block, { type: 'embed' }>
type Provider = Embed['provider']

const OTHER_HOSTS = [
  'vimeo.com', 'wordpress.tv', 'videopress.com', 'dailymotion.com', 'soundcloud.com', 'spotify.com', 'tiktok.com',
  'flickr.com', 'ted.com', 'reddit.com', 'tumblr.com', 'imgur.com', 'scribd.com', 'slideshare.net', 'mixcloud.com',
  'issuu.com', 'giphy.com', 'pinterest.com', 'kickstarter.com', 'threads.net', 'bsky.app', 'mastodon.social',
]

function hostIs (host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`)
}

function providerOf (url: URL): Provider | null {
  const host = url.hostname.toLowerCase()
  if (['youtube.com', 'youtu.be', 'youtube-nocookie.com'].some((d) => hostIs(host, d))) return 'youtube'
  if (hostIs(host, 'twitter.com') || hostIs(host, 'x.com')) return 'twitter'
  if (hostIs(host, 'instagram.com')) return 'instagram'
  if (hostIs(host, 'facebook.com') || hostIs(host, 'fb.watch')) return 'facebook'
  return OTHER_HOSTS.some((d) => hostIs(host, d)) ? 'other' : null
}

function parse (raw: string): URL | null {
  try {
    const url = new URL(raw.trim())
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
  } catch {
    return null
  }
}

// A URL WordPress would auto-embed (a bare link on its own line, [embed], wp:embed); null otherwise.
export function embedForUrl (raw: string): Embed | null {
  const url = parse(raw)
  if (!url) return null
  const provider = providerOf(url)
  return provider ? { type: 'embed', provider, url: url.href } : null
}

// Any http(s) iframe becomes an embed; YouTube player URLs are turned back into watch URLs.
export function embedForIframe (raw: string): Embed | null {
  const url = parse(raw.startsWith('//') ? `https:${raw}` : raw)
  if (!url) return null
  const provider = providerOf(url) ?? 'other'
  const id = provider === 'youtube' ? /^\/embed\/([\w-]{6,})/.exec(url.pathname)?.[1] : undefined
  return { type: 'embed', provider, url: id ? `https://www.youtube.com/watch?v=${id}` : url.href }
}

export function isBareUrl (line: string): boolean {
  return /^https?:\/\/[^\s<>"]+$/i.test(line.trim())
}
