// Every demo story, in no particular order (publication times come from each story's hoursAgo).
import type { DemoStoryInput } from './schemas.js'
import { businessStories } from './stories-business.js'
import { liveStories } from './stories-live.js'
import { opinionCultureStories } from './stories-opinion-culture.js'
import { scienceStories } from './stories-science.js'
import { sportStories } from './stories-sport.js'
import { ukStories } from './stories-uk.js'
import { unpublishedStories } from './stories-unpublished.js'
import { worldStories } from './stories-world.js'

export const demoStories: DemoStoryInput[] = [
  ...worldStories,
  ...ukStories,
  ...sportStories,
  ...businessStories,
  ...opinionCultureStories,
  ...scienceStories,
  ...unpublishedStories,
  ...liveStories,
]
