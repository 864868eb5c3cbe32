// Simulated hourly page views over the last seven days, skewed so most-viewed lists have a clear
// order: popularity falls off as 1/rank^1.2, decays after publication and follows the time of day.
import type { DemoStory } from './schemas.js'

const HOUR = 3_600_000
const WINDOW_HOURS = 7 * 24

// mulberry32: a tiny seeded generator, so every load produces the same shape of traffic
function random (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function demoPageViews (stories: readonly DemoStory[], articleIds: ReadonlyMap<string, number>, leadSlug: string, now: number) {
  const next = random(20261124)
  const published = stories.filter((s) => s.state === 'published')
  // the lead story is the most read, newer stories tend to rank higher, and every seventh story
  // gets no traffic at all
  const ranked = published
    .map((story, index) => ({ story, key: story.slug === leadSlug ? -1 : next() * (1 + story.hoursAgo / 96), index }))
    .filter(({ index, story }) => story.slug === leadSlug || index % 7 !== 6)
    .sort((a, b) => a.key - b.key)

  const currentHour = Math.floor(now / HOUR)
  const rows: Array<{ articleId: number, hour: number, views: number }> = []
  ranked.forEach(({ story }, rank) => {
    const weight = 900 / (rank + 1) ** 1.2
    const publishedHour = Math.floor((now - story.hoursAgo * HOUR) / HOUR)
    for (let hour = Math.max(publishedHour, currentHour - WINDOW_HOURS + 1); hour <= currentHour; hour++) {
      const freshness = 0.25 + 0.75 * Math.exp(-(hour - publishedHour) / 36)
      const timeOfDay = 0.6 + 0.4 * Math.sin(((hour % 24) - 6) / 24 * 2 * Math.PI)
      const views = Math.round(weight * freshness * timeOfDay * (0.85 + 0.3 * next()))
      if (views > 0) rows.push({ articleId: articleIds.get(story.slug)!, hour, views })
    }
  })
  return rows
}
