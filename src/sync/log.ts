// Helpers for writers that touch many articles at once (sync/repository.ts logs them for GET /v1/sync).
import type { Repositories } from '../db/repositories.js'

// An import that may have renamed sections, tags and authors: every article in those sections (and
// under them), with those tags or by those authors.
export async function logTaxonomy (repos: Repositories, written: { sections: Map<string, number>, tags: Map<string, number>, authors: Map<string, number> }, at: number): Promise<void> {
  for (const id of new Set(written.sections.values())) await repos.sync.logSection(id, at)
  for (const id of new Set(written.tags.values())) await repos.sync.logTag(id, at)
  for (const id of new Set(written.authors.values())) await repos.sync.logAuthor(id, at)
}
