// Demo stories that are not live: two drafts and one scheduled story, for the preview features.
import { h2, p, quote, ul } from './blocks.js'
import type { DemoStoryInput } from './schemas.js'

export const unpublishedStories: DemoStoryInput[] = [
  {
    slug: 'draft-budget-what-to-expect',
    headline: 'Budget: what to expect on Wednesday',
    standfirst: 'Tax thresholds, fuel duty and public sector pay are expected to dominate the chancellor\'s statement.',
    section: 'business',
    byline: 'Priya Nair',
    authors: ['priya-nair', 'james-okafor'],
    tags: ['inflation', 'interest-rates'],
    state: 'draft',
    hoursAgo: 5,
    updatedMinutesLater: 90,
    body: [
      p('The chancellor will set out the government\'s tax and spending plans on Wednesday, in a statement expected to last about an hour.'),
      h2('What we expect'),
      ul('Income tax thresholds frozen for another year', 'Fuel duty cut extended', 'A pay settlement for nurses and teachers'),
      p('[To update with briefings on Tuesday evening.]'),
    ],
  },
  {
    slug: 'draft-interview-with-mara-lindqvist',
    headline: 'Mara Lindqvist: \'I stopped trying to be the player everyone expected\'',
    standfirst: 'After her best season yet, the Swede talks about doubt, coaching changes and learning to enjoy the tour.',
    section: 'sport/tennis',
    byline: 'Lena Vogel',
    authors: ['lena-vogel'],
    tags: ['mara-lindqvist', 'womens-sport'],
    state: 'draft',
    hoursAgo: 50,
    body: [
      p('We meet at a practice court on a grey morning. She has already hit for an hour and wants to talk about anything except tennis.'),
      quote('For two years I was trying to play like somebody else. This year I just played like me.', 'Mara Lindqvist'),
      p('[Interview transcript to be cut down to about 1,200 words.]'),
      p('[Pictures from Friday\'s shoot to come.]'),
    ],
  },
  {
    slug: 'scheduled-new-stadium-plans-unveiled',
    headline: 'Northbridge unveil plans for a new 45,000-seat stadium',
    standfirst: 'The club wants to move to a site by the river within five years, keeping its old ground for the women\'s team.',
    section: 'sport/football',
    byline: 'Tom Whitaker',
    authors: ['tom-whitaker'],
    tags: ['northbridge-fc', 'tomas-ferreira'],
    state: 'scheduled',
    hoursAgo: 26,
    scheduledInHours: 48,
    body: [
      p('Northbridge have unveiled plans for a 45,000-seat stadium on former industrial land by the river, more than doubling the capacity of their current ground.'),
      p('The club hopes to submit a planning application in the spring and to play its first match there within five years.'),
      quote('This is about the next hundred years of the club, not the next five.', 'The club chairman'),
      p('Supporters will be consulted on the design over the coming months.'),
    ],
  },
]
