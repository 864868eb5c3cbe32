// The Dateline Courier's section tree and its curated collections.
import type { DemoCollectionInput, DemoSectionInput } from './schemas.js'

const front = { selectedCollection: 'selected' }

export const demoSections: DemoSectionInput[] = [
  { path: 'news', name: 'News', position: 0, settings: front, description: 'The day\'s reporting from the Courier\'s newsroom and correspondents.' },
  { path: 'news/world-news', name: 'World News', position: 0, description: 'Reporting from around the world.' },
  { path: 'news/world-news/middle-east', name: 'Middle East', position: 0, description: 'Diplomacy, aid and daily life across the region.' },
  { path: 'news/world-news/europe', name: 'Europe', position: 1, description: 'Politics and society across the continent.' },
  { path: 'news/world-news/americas', name: 'Americas', position: 2, description: 'From Canada to Patagonia.' },
  { path: 'news/uk', name: 'UK', position: 1, description: 'National news: politics, public services, transport and the regions.' },
  { path: 'sport', name: 'Sport', position: 1, settings: front, description: 'Results, analysis and the stories behind them.' },
  { path: 'sport/football', name: 'Football', position: 0, description: 'League, cup and international football.' },
  { path: 'sport/tennis', name: 'Tennis', position: 1, description: 'The tours, the slams and the players.' },
  { path: 'business', name: 'Business', position: 2, settings: front, description: 'Companies, the economy and your money.' },
  { path: 'business/markets', name: 'Markets', position: 0, description: 'Shares, bonds, currencies and commodities.' },
  { path: 'opinion', name: 'Opinion', position: 3, settings: front, description: 'Columns and comment from the Courier\'s writers and guests.' },
  { path: 'culture', name: 'Culture', position: 4, settings: front, description: 'Books, film, music, theatre and art.' },
  { path: 'science', name: 'Science', position: 5, settings: front, description: 'Discoveries, research and the people behind them.' },
  { path: 'science/climate', name: 'Climate', position: 0, description: 'The climate crisis: science, policy and adaptation.' },
]

export const demoCollections: DemoCollectionInput[] = [
  {
    slug: 'selected',
    name: 'Selected',
    description: 'Editors\' picks from across the Courier.',
    items: [
      { story: 'ceasefire-talks-resume' },
      { story: 'night-trains-return-to-the-alps' },
      { story: 'the-last-lighthouse-keepers', expiresInHours: 72 },
      { story: 'glacier-retreat-measured-from-space' },
      { story: 'why-the-four-day-week-keeps-coming-back' },
      { story: 'harbour-town-votes-to-rebuild-sea-wall', expiresInHours: -6 },
    ],
  },
  {
    slug: 'top-stories',
    name: 'Top stories',
    description: 'The stories leading the Courier right now.',
    items: [
      { story: 'ceasefire-talks-resume' },
      { story: 'rail-strike-called-off-after-late-night-deal' },
      { story: 'central-bank-holds-rates-as-inflation-cools' },
      { story: 'northbridge-win-derby-in-stoppage-time' },
      { story: 'coastal-flood-defences-fall-behind-sea-level-rise', expiresInHours: 24 },
    ],
  },
]
