// A realistic full article for the OpenAPI document (the demo's reference story, shortened).
export const articleExample = {
  id: 1,
  slug: 'ceasefire-talks-resume',
  url: '/news/world-news/middle-east/ceasefire-talks-resume',
  headline: 'Ceasefire talks resume as aid convoys wait at the border',
  standfirst: 'Negotiators return to the table after a week of delays, while hundreds of lorries queue at the only open crossing.',
  body: [
    {
      type: 'paragraph',
      text: 'Mediators said on Monday that indirect talks on a ceasefire had resumed in the capital, a week after the last round broke up without agreement on the sequencing of a prisoner exchange.'
    },
    {
      type: 'paragraph',
      text: 'Delegations were meeting in separate rooms of the same hotel, with envoys carrying proposals between them, according to two officials familiar with the format who asked not to be named.'
    },
    {
      type: 'heading',
      level: 2,
      text: 'Convoys stuck at the crossing'
    },
    {
      type: 'image',
      src: 'https://media.dateline.example/2026/maps/crossing-region.png',
      alt: 'Map showing the border crossing, the main road and the queue of lorries',
      caption: 'The only open crossing and the route the convoys take; the shaded area marks the closed military zone.',
      credit: 'Dateline Courier graphics',
      width: 1200,
      height: 900
    },
    {
      type: 'quote',
      text: 'We load in the morning, we wait all day, and at night we are told to come back tomorrow.',
      attribution: 'Youssef, a lorry driver from the port city'
    },
    {
      type: 'embed',
      provider: 'twitter',
      url: 'https://twitter.com/dateline_example/status/1861234567890',
      title: 'Statement from the mediators'
    }
  ],
  byline: 'AFP',
  authors: [
    {
      slug: 'afp',
      name: 'AFP',
      kind: 'agency',
      bio: 'Agence France-Presse, international news agency.',
      avatarUrl: null
    }
  ],
  section: {
    slug: 'middle-east',
    name: 'Middle East',
    path: 'news/world-news/middle-east'
  },
  breadcrumbs: [
    {
      slug: 'news',
      name: 'News',
      path: 'news'
    },
    {
      slug: 'world-news',
      name: 'World News',
      path: 'news/world-news'
    },
    {
      slug: 'middle-east',
      name: 'Middle East',
      path: 'news/world-news/middle-east'
    }
  ],
  tags: [
    {
      slug: 'ceasefire',
      name: 'Ceasefire',
      type: 'topic',
      description: null
    },
    {
      slug: 'humanitarian-aid',
      name: 'Humanitarian aid',
      type: 'topic',
      description: null
    }
  ],
  heroImage: {
    src: 'https://media.dateline.example/2026/photos/convoy-queue.jpg',
    alt: 'A line of white lorries on a desert road',
    caption: 'Lorries carrying food and medicine wait near the crossing on Monday morning.',
    credit: 'AFP',
    width: 2400,
    height: 1350
  },
  publishedAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T10:35:00.000Z',
  wordCount: 146,
  readingTimeMinutes: 1,
  relatedIds: [
    2,
    3
  ]
}
