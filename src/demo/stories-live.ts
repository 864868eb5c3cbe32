// The demo live blog: a storm crossing the UK, covered minute by minute for a day (invented
// reporting). The story is an ordinary demo story; its entries are generated here, with times
// relative to the moment of loading (demo/seed.ts writes them).
import type { z } from 'zod'
import type { Block } from '../articles/schemas.js'
import { h2, hero, p, ul } from './blocks.js'
import type { DemoStoryInput } from './schemas.js'

export const liveStories: DemoStoryInput[] = [
  {
    slug: 'storm-isla-live',
    headline: 'Storm Isla live: gales, flooding and travel disruption across the UK',
    standfirst: 'Follow the storm as it crosses the country: warnings, closures, power cuts and the clean-up, as it happens.',
    section: 'news/uk',
    byline: 'James Okafor and Ruth Adeyemi',
    authors: ['james-okafor', 'ruth-adeyemi'],
    tags: ['transport', 'scotland', 'climate-change'],
    hoursAgo: 24,
    updatedMinutesLater: 0,
    related: [],
    heroImage: hero('2026/photos/storm-isla-seafront.jpg', 'Waves breaking over a seafront railing', 'Waves break over the promenade on Tuesday morning as the storm arrives.', 'Dateline Courier'),
    body: [
      p('Storm Isla is bringing winds of up to 90mph to exposed coasts, with amber and red warnings in force across Scotland, northern England and Wales.'),
      h2('Key points'),
      ul('Red wind warning for the west coast of Scotland until 6pm', 'Rail services suspended on several lines; check before you travel', 'Tens of thousands of homes without power'),
      p('This page follows the storm as it happens. The newest updates are at the top.'),
    ],
  },
]

type BlockInput = z.input<typeof Block>

export interface DemoEntry {
  // minutes after the story was published
  minutesLater: number
  headline: string | null
  body: BlockInput[]
  authors: string[]
  keyEvent: boolean
  pinned: boolean
}

const PLACES = ['Glasgow', 'Oban', 'Carlisle', 'Aberystwyth', 'Newcastle', 'Inverness', 'Blackpool', 'Belfast', 'Swansea', 'Dundee', 'Whitby', 'Fort William']
const UPDATES = [
  (place: string) => `Gusts of over 70mph have been recorded near ${place}, the Met Office says.`,
  (place: string) => `Police in ${place} are asking people to stay away from the seafront while the high tide passes.`,
  (place: string) => `The main road out of ${place} is closed after a tree came down across both lanes; diversions are in place.`,
  (place: string) => `Engineers are working to reconnect about 4,000 homes around ${place} that lost power overnight.`,
  (place: string) => `Schools in and around ${place} will open late tomorrow, the council says, to allow checks on buildings.`,
  (place: string) => `A reader in ${place} sent us this: "The garden fence is in next door's garden and the bins are in the road."`,
  (place: string) => `Ferry sailings from ${place} are cancelled for the rest of the day.`,
  (place: string) => `Flood barriers have been raised along the river in ${place} as water levels keep rising.`,
]
const KEY_EVENTS: Record<number, string> = {
  0: 'Red warning issued for the west coast of Scotland',
  12: 'Rail services suspended across northern England',
  27: 'Power cut to more than 100,000 homes',
  41: 'Coastguard rescue off the Welsh coast',
  58: 'Warnings lifted as the storm moves out to sea',
}
const PINNED = 60
const AUTHORS = [['james-okafor'], ['ruth-adeyemi'], ['james-okafor', 'ruth-adeyemi']]

// 64 entries over the day: one every 22 minutes from 5 minutes after publication, five key events,
// one pinned summary
export const liveEntries: DemoEntry[] = Array.from({ length: 64 }, (_, i) => {
  const place = PLACES[(i * 5) % PLACES.length]!
  const keyEvent = KEY_EVENTS[i]
  const pinned = i === PINNED
  const text = UPDATES[i % UPDATES.length]!(place)
  return {
    minutesLater: 5 + i * 22,
    headline: pinned ? 'Summary: what we know so far' : keyEvent ?? null,
    body: pinned
      ? [p('The storm has moved out to sea, but the clean-up will take days.'), ul('Warnings lifted everywhere', 'Most rail lines reopen tomorrow morning', 'About 20,000 homes still without power')]
      : keyEvent
        ? [p(`${keyEvent}.`), p(text)]
        : [p(text)],
    authors: AUTHORS[i % AUTHORS.length]!,
    keyEvent: keyEvent !== undefined,
    pinned,
  }
})

export const liveStorySlug = 'storm-isla-live'
