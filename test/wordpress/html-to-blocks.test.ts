import { describe, expect, it } from 'vitest'
import { Body } from '../../src/articles/schemas.js'
import { type Attachment, type ConversionContext, htmlToBlocks } from '../../src/wordpress/html-to-blocks.js'

const attachments: Attachment[] = [
  { id: 10, url: 'https://media.example.com/a.jpg', parentId: 5, caption: 'First picture', alt: 'A' },
  { id: 11, url: 'https://media.example.com/b.png', parentId: 5, caption: null, alt: 'B' },
  { id: 12, url: 'https://media.example.com/c.jpg', parentId: 6, caption: null, alt: 'C' },
  { id: 13, url: 'https://media.example.com/report.pdf', parentId: 5, caption: null, alt: '' },
]
const ctx: ConversionContext = {
  baseUrl: 'https://news.example.com/',
  postId: 5,
  attachment: (id) => attachments.find((a) => a.id === id),
  attachmentsOf: (postId) => attachments.filter((a) => a.parentId === postId),
}

function convert (html: string) {
  const { blocks, report } = htmlToBlocks(html, ctx)
  expect(Body.safeParse(blocks).success).toBe(true)
  return { blocks, report }
}

describe('html-to-blocks', () => {
  it('turns wpautop text into paragraphs: blank lines split, single newlines join', () => {
    const { blocks } = convert('First line\nstill first &amp; more.\n\nSecond <em>paragraph</em>.\n\n\n<p></p><p>  </p>')
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'First line still first & more.' },
      { type: 'paragraph', text: 'Second paragraph.' },
    ])
  })

  it('keeps <br> as a line break inside a paragraph', () => {
    expect(convert('<p>Line one<br />Line two</p>').blocks).toEqual([{ type: 'paragraph', text: 'Line one\nLine two' }])
  })

  it('maps h1 and h2 to level 2 and h3 to h6 to level 3, and long headings to paragraphs', () => {
    const long = 'x'.repeat(301)
    const { blocks } = convert(`<h1>One</h1><h2>Two</h2><h3>Three</h3><h6>Six</h6><h2>${long}</h2><h3> </h3>`)
    expect(blocks).toEqual([
      { type: 'heading', level: 2, text: 'One' },
      { type: 'heading', level: 2, text: 'Two' },
      { type: 'heading', level: 3, text: 'Three' },
      { type: 'heading', level: 3, text: 'Six' },
      { type: 'paragraph', text: long },
    ])
  })

  it('turns an img into an image block, resolving relative src against the site', () => {
    const { blocks } = convert('<p>Before <img src="/wp-content/a.jpg" alt="Harbour" width="640" height="480"> after</p>')
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Before' },
      { type: 'image', src: 'https://news.example.com/wp-content/a.jpg', alt: 'Harbour', caption: null, credit: null, width: 640, height: 480 },
      { type: 'paragraph', text: 'after' },
    ])
  })

  it('takes the caption of a figure from its figcaption', () => {
    const { blocks } = convert('<!-- wp:image --><figure class="wp-block-image"><img src="https://m.example.com/x.jpg" alt="X"/><figcaption>The <strong>bridge</strong> at dawn</figcaption></figure><!-- /wp:image -->')
    expect(blocks).toEqual([{ type: 'image', src: 'https://m.example.com/x.jpg', alt: 'X', caption: 'The bridge at dawn', credit: null }])
  })

  it('turns the [caption] shortcode into an image with its caption', () => {
    const { blocks } = convert('[caption id="attachment_1" align="alignnone" width="604"]<a href="https://m.example.com/big.jpg"><img src="https://m.example.com/x.jpg" alt="Bell" width="604" height="453" /></a> Bell on the wharf &amp; pier[/caption]')
    expect(blocks).toEqual([{ type: 'image', src: 'https://m.example.com/x.jpg', alt: 'Bell', caption: 'Bell on the wharf & pier', credit: null, width: 604, height: 453 }])
  })

  it('reads the caption attribute of an old-style [caption]', () => {
    const { blocks } = convert('[caption id="a" caption="Old style"]<img src="https://m.example.com/x.jpg" alt="" />[/caption]')
    expect(blocks[0]).toMatchObject({ type: 'image', caption: 'Old style' })
  })

  it('turns a blockquote into a quote with its attribution', () => {
    const { blocks } = convert('<blockquote><p>We will rebuild.</p><p>Every street.</p><cite>The mayor</cite></blockquote>')
    expect(blocks).toEqual([{ type: 'quote', text: 'We will rebuild.\n\nEvery street.', attribution: 'The mayor' }])
  })

  it('turns lists into list blocks, flattening nested lists', () => {
    const { blocks } = convert('<ul><li>One</li><li>Two<ol><li>Two a</li></ol></li></ul><ol><li>First</li></ol>')
    expect(blocks).toEqual([
      { type: 'list', ordered: false, items: ['One', 'Two', 'Two a'] },
      { type: 'list', ordered: true, items: ['First'] },
    ])
  })

  it('turns a pasted tweet into a twitter embed and drops its script', () => {
    const { blocks } = convert('<blockquote class="twitter-tweet"><p>Hello</p>&mdash; Someone (@someone) <a href="https://twitter.com/someone/status/123456">May 1, 2020</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>')
    expect(blocks).toEqual([{ type: 'embed', provider: 'twitter', url: 'https://twitter.com/someone/status/123456' }])
  })

  it('turns a pasted Instagram post into an instagram embed', () => {
    const { blocks } = convert('<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/BpmueLLgEn_/"><a href="https://www.instagram.com/p/BpmueLLgEn_/">A post</a></blockquote>')
    expect(blocks).toEqual([{ type: 'embed', provider: 'instagram', url: 'https://www.instagram.com/p/BpmueLLgEn_/' }])
  })

  it('turns a YouTube iframe into a youtube embed and other iframes into other embeds', () => {
    const { blocks, report } = convert('<iframe src="https://www.youtube.com/embed/SQEQr7c0-dw?rel=0"></iframe><iframe src="https://maps.example.org/embed?x=1"></iframe><iframe src="javascript:alert(1)"></iframe>')
    expect(blocks).toEqual([
      { type: 'embed', provider: 'youtube', url: 'https://www.youtube.com/watch?v=SQEQr7c0-dw' },
      { type: 'embed', provider: 'other', url: 'https://maps.example.org/embed?x=1' },
    ])
    expect(report.warnings.join(' ')).toMatch(/iframe dropped/)
  })

  it('turns a bare oEmbed URL on its own line into an embed, but not a URL inside a sentence', () => {
    const { blocks } = convert('Watch this:\nhttps://youtu.be/ex8fMxXJDJw\n\nhttps://twitter.com/nacin/status/319508408669708289\n\nSee https://vimeo.com/1 for more.\n\nhttps://example.com/not-a-provider')
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Watch this:' },
      { type: 'embed', provider: 'youtube', url: 'https://youtu.be/ex8fMxXJDJw' },
      { type: 'embed', provider: 'twitter', url: 'https://twitter.com/nacin/status/319508408669708289' },
      { type: 'paragraph', text: 'See https://vimeo.com/1 for more.' },
      { type: 'paragraph', text: 'https://example.com/not-a-provider' },
    ])
  })

  it('turns [embed] into an embed block', () => {
    expect(convert('[embed]https://www.facebook.com/6427302910/posts/1/[/embed]').blocks)
      .toEqual([{ type: 'embed', provider: 'facebook', url: 'https://www.facebook.com/6427302910/posts/1/' }])
  })

  it('turns [gallery ids] into images from the attachments, and [gallery] into the images attached to the post', () => {
    const byIds = convert('[gallery ids="12,10,99"]')
    expect(byIds.blocks).toEqual([
      { type: 'image', src: 'https://media.example.com/c.jpg', alt: 'C', caption: null, credit: null },
      { type: 'image', src: 'https://media.example.com/a.jpg', alt: 'A', caption: 'First picture', credit: null },
    ])
    expect(byIds.report.warnings.join(' ')).toMatch(/99 not found/)
    expect(convert('[gallery columns="2"]').blocks.map((b) => b.type === 'image' && b.src))
      .toEqual(['https://media.example.com/a.jpg', 'https://media.example.com/b.png'])
  })

  it('drops unknown shortcodes and counts them by name, keeping ordinary bracketed text', () => {
    const { blocks, report } = convert('[custom-twitter-feeds]\n\nHe said [sic] it was fine.\n\n[custom-twitter-feeds feed=2]\n\n[highlight]Kept text[/highlight]\n\n[[escaped]]')
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'He said [sic] it was fine.' },
      { type: 'paragraph', text: 'Kept text' },
      { type: 'paragraph', text: '[escaped]' },
    ])
    expect(Object.fromEntries(report.droppedShortcodes)).toEqual({ 'custom-twitter-feeds': 2, highlight: 1 })
  })

  it('reads block-editor markup: ignores the comments, converts the HTML, takes embed URLs from the comment', () => {
    const html = [
      '<!-- wp:paragraph --><p>Intro text.</p><!-- /wp:paragraph -->',
      '<!-- wp:heading {"level":3} --><h3>Sub</h3><!-- /wp:heading -->',
      '<!-- wp:list --><ul><!-- wp:list-item --><li>Item</li><!-- /wp:list-item --></ul><!-- /wp:list -->',
      '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Said.</p><cite>Her</cite></blockquote><!-- /wp:quote -->',
      '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc123def","type":"video","providerNameSlug":"youtube"} -->',
      '<figure class="wp-block-embed is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">',
      'https://www.youtube.com/watch?v=abc123def',
      '</div></figure><!-- /wp:embed -->',
    ].join('\n')
    expect(convert(html).blocks).toEqual([
      { type: 'paragraph', text: 'Intro text.' },
      { type: 'heading', level: 3, text: 'Sub' },
      { type: 'list', ordered: false, items: ['Item'] },
      { type: 'quote', text: 'Said.', attribution: 'Her' },
      { type: 'embed', provider: 'youtube', url: 'https://www.youtube.com/watch?v=abc123def' },
    ])
  })

  it('never lets hostile markup through: scripts, handlers and javascript: URLs', () => {
    const { blocks, report } = convert([
      '<p onclick="steal()">Hello <script>alert(1)</script><b onmouseover="x()">world</b></p>',
      '<img src="javascript:alert(1)" onerror="alert(2)" alt="x">',
      '<img src="data:image/png;base64,AAAA" alt="y">',
      '<img src="x" onerror="alert(3)">',
      '<a href="javascript:alert(4)">click &lt;b&gt;</a>',
      '<style>body{}</style><iframe src="javascript:alert(5)"></iframe>',
    ].join('\n\n'))
    const json = JSON.stringify(blocks)
    expect(json).not.toMatch(/javascript:|onerror|onclick|alert\(|<script|data:image/)
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Hello world' },
      { type: 'image', src: 'https://news.example.com/x', alt: '', caption: null, credit: null },
      { type: 'paragraph', text: 'click <b>' },
    ])
    expect(report.warnings.filter((w) => /dropped/.test(w))).toHaveLength(3)
  })

  it('splits or truncates text longer than the schema allows', () => {
    const long = `${'word '.repeat(5000)}end.`
    const { blocks } = convert(`<p>${long}</p><ul><li>${'y'.repeat(2500)}</li></ul>`)
    expect(blocks.filter((b) => b.type === 'paragraph')).toHaveLength(2)
    const list = blocks.find((b) => b.type === 'list')
    expect(list?.type === 'list' && list.items[0]!.length).toBe(2000)
  })
})
