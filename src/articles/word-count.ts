// Word count of an article: the words a reader reads in the headline, standfirst and body text
// (paragraphs, headings, quotes with their attribution, list items, image captions, embed titles).
// Alt text, credits and URLs are not counted.
import type { Block } from './schemas.js'

const hasLetterOrDigit = /[\p{L}\p{N}]/u

function wordsIn (text: string | null | undefined): number {
  if (!text) return 0
  let count = 0
  for (const token of text.split(/\s+/)) if (hasLetterOrDigit.test(token)) count++
  return count
}

function blockText (block: Block): Array<string | null | undefined> {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return [block.text]
    case 'quote':
      return [block.text, block.attribution]
    case 'list':
      return block.items
    case 'image':
      return [block.caption]
    case 'embed':
      return [block.title]
  }
}

export const WORDS_PER_MINUTE = 230

// Minutes to read an article of this many words, rounded up, at least 1: the one reading time of
// both representations (delivery and management), so a 461-word story reads 3 minutes in each.
export function readingTimeMinutes (wordCount: number): number {
  return Math.max(1, Math.ceil(wordCount / WORDS_PER_MINUTE))
}

export function countWords (headline: string, standfirst: string | null | undefined, body: readonly Block[]): number {
  let count = wordsIn(headline) + wordsIn(standfirst)
  for (const block of body) for (const text of blockText(block)) count += wordsIn(text)
  return count
}
