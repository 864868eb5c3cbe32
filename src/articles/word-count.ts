// Counts the words of an article: headline, standfirst and the text of its body blocks.
import type { Block } from './schemas.js'

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu

function words (text: string | null | undefined): number {
  return text ? (text.match(WORD)?.length ?? 0) : 0
}

export function countWords (headline: string, standfirst: string | null, body: Block[]): number {
  let total = words(headline) + words(standfirst)
  for (const block of body) {
    if (block.type === 'paragraph' || block.type === 'heading') total += words(block.text)
    else if (block.type === 'quote') total += words(block.text) + words(block.attribution)
    else if (block.type === 'list') total += block.items.reduce((n, item) => n + words(item), 0)
  }
  return total
}
