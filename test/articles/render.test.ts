import { describe, expect, it } from 'vitest'
import { renderBodyHtml } from '../../src/articles/render.js'
import type { Block } from '../../src/articles/schemas.js'

// Stored bodies are validated on the way in; the renderer re-checks URLs anyway, in case a row
// was written around the validation.
describe('renderBodyHtml', () => {
  it('never emits a javascript: or data: URL', () => {
    const blocks = [
      { type: 'image', src: 'javascript:alert(1)', alt: 'x', caption: 'A caption', credit: null },
      { type: 'embed', provider: 'other', url: 'javascript:alert(1)', title: 'Click me' },
      { type: 'embed', provider: 'other', url: 'data:text/html,<script>alert(1)</script>', title: null },
      { type: 'paragraph', text: 'after' },
    ] as Block[]
    expect(renderBodyHtml(blocks)).toBe([
      '<figure class="embed embed-other">Click me</figure>',
      '<figure class="embed embed-other">data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</figure>',
      '<p>after</p>',
    ].join('\n'))
  })
})
