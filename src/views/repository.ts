// page_views: hourly per-article counters, and the most-viewed ranking over a window of hours, on
// both engines (repository.sqlite.ts, repository.postgres.ts). Reached as `store.repos.views`.

export interface ViewRow { articleId: number, hour: number, views: number }

export interface ViewCount { articleId: number, views: number }

export interface MostViewedOptions {
  fromHour: number
  sectionId?: number | undefined
  limit: number
  now: number
  preview?: boolean | undefined
}

export interface ViewsRepository {
  // The ids of the live stories among these slugs (the beacon's check, for every beacon that
  // arrived in one turn of the event loop: one statement), by slug; a slug that is not live is absent.
  liveStoryIds (slugs: readonly string[], now: number): Promise<Map<string, number>>
  // Adds the views to the stored counts (additive, so several nodes flushing at once add up); an
  // article deleted since its views were buffered is skipped (no foreign-key failure).
  add (rows: readonly ViewRow[]): Promise<void>
  // Deletes the buckets before `beforeHour`.
  prune (beforeHour: number): Promise<void>
  // Views since `fromHour` (inclusive), highest first; ties: newest publication, then highest id.
  // Live articles only unless preview; with sectionId, only articles listed in that section.
  mostViewed (options: MostViewedOptions): Promise<ViewCount[]>
  // Which of `ids` are listed in the section (article_listings) now.
  listedInSection (sectionId: number, ids: readonly number[]): Promise<number[]>
}
