import { describe, expect, it } from 'vitest'
import { countWords } from '../../src/articles/word-count.js'

describe('countWords', () => {
  it('counts the words of the headline, standfirst and every block a reader reads', () => {
    expect(countWords('Talks resume', 'After a week — of delays.', [
      { type: 'paragraph', text: 'One two  three' },
      { type: 'heading', level: 2, text: 'Four' },
      { type: 'quote', text: 'Five six', attribution: 'Seven' },
      { type: 'list', ordered: false, items: ['eight', 'nine ten'] },
      { type: 'image', src: 'https://media.dateline.example/a.jpg', alt: 'not counted here', caption: 'Eleven', credit: 'Not counted' },
      { type: 'embed', provider: 'twitter', url: 'https://twitter.com/x/status/1', title: 'Twelve' },
    ])).toBe(2 + 5 + 12)
  })

  it('counts nothing for missing text and lone punctuation', () => {
    expect(countWords('—', null, [{ type: 'image', src: 'https://media.dateline.example/a.jpg', alt: '', caption: null, credit: null }])).toBe(0)
  })
})
