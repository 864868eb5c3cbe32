// Word count of an article: headline, standfirst and every text the body shows a reader.
import type { Block } from './schemas.js'

function blockText (block: Block): string[] {
  switch (block.type) {
    case 'paragraph': case 'heading': return [block.text]
    case 'quote': return [block.text, block.attribution ?? '']
    case 'list': return block.items
    case 'image': return [block.caption ?? '']
    case 'embed': return [block.title ?? '']
  }
}

export function countWords (headline: string, standfirst: string | null | undefined, body: readonly Block[]): number {
  return [headline, standfirst ?? '', ...body.flatMap(blockText)]
    .reduce((sum, text) => sum + text.split(/\s+/).filter(Boolean).length, 0)
}
