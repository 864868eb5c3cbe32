// Stored XSS: script payloads written into every text field of an article through the management
// API come back as inert text in bodyHtml (format=html), in search snippets and in every feed, and
// verbatim (unmangled) in the JSON fields.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { Parser } from 'htmlparser2'
import { beforeEach, describe, expect, it } from 'vitest'
import { makeApp, makeClock, type TestContext } from '../helpers.js'
import { managementToken, NOW, SECURITY_ENV, seedNewsroom } from './operations.js'

// Each field gets its own marker word (found by search) followed by the attack.
const ATTACK = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg/onload=alert(3)>]]><![CDATA[<iframe src=javascript:alert(4)>&lt;b&gt;\u0002<a href="javascript:alert(5)">x</a>\u0003\'--><style>*{}</style>'
const FIELDS = ['headline', 'standfirst', 'byline', 'paragraph', 'heading', 'imagealt', 'imagecaption', 'imagecredit',
  'quotetext', 'quoteattribution', 'listitem', 'embedtitle', 'heroalt', 'herocaption', 'herocredit'] as const
const text = (field: typeof FIELDS[number]) => `xss${field} ${ATTACK}`
// text the FTS index holds (credit and byline are not indexed)
const SEARCHABLE = FIELDS.filter((f) => !['byline', 'imagecredit', 'herocredit', 'heroalt', 'herocaption'].includes(f))

const ARTICLE = {
  slug: 'stored-xss',
  headline: text('headline'),
  standfirst: text('standfirst'),
  byline: text('byline'),
  section: 'news/world-news',
  tags: ['elections'],
  authors: ['afp'],
  heroImage: { src: 'https://images.example.com/hero.jpg', alt: text('heroalt'), caption: text('herocaption'), credit: text('herocredit') },
  body: [
    { type: 'paragraph', text: text('paragraph') },
    { type: 'heading', level: 2, text: text('heading') },
    { type: 'image', src: 'https://images.example.com/a.jpg?x="><script>', alt: text('imagealt'), caption: text('imagecaption'), credit: text('imagecredit') },
    { type: 'quote', text: text('quotetext'), attribution: text('quoteattribution') },
    { type: 'list', ordered: true, items: [text('listitem'), 'plain item'] },
    { type: 'embed', provider: 'twitter', url: 'https://twitter.com/example/status/1?a=<b>&c="d"', title: text('embedtitle') },
  ],
}

const SAFE_TAGS = new Set(['p', 'h2', 'h3', 'figure', 'img', 'figcaption', 'small', 'blockquote', 'footer', 'ol', 'ul', 'li', 'a', 'mark'])

// Parses an HTML fragment like a browser would: only known tags, no event handlers, only http(s)
// links; returns the decoded text.
function inertHtml (html: string, allowed = SAFE_TAGS): string {
  let content = ''
  const parser = new Parser({
    onopentag (name, attributes) {
      expect(allowed.has(name), `<${name}> in ${html.slice(0, 200)}`).toBe(true)
      for (const [attr, value] of Object.entries(attributes)) {
        expect(attr, `attribute ${attr} on <${name}>`).not.toMatch(/^on|^style$|^srcdoc$|^formaction$/i)
        if (['href', 'src'].includes(attr)) expect(value).toMatch(/^https?:\/\//)
      }
    },
    ontext (data) { content += data },
  }, { decodeEntities: true })
  parser.end(html)
  return content
}

// XML 1.0 cannot carry C0 control characters (other than tab and newlines): feeds leave them out
// eslint-disable-next-line no-control-regex
const xmlText = (value: string) => value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')

let ctx: TestContext
let auth: { authorization: string }
// makeApp closes its app after each test, so each test gets its own newsroom
beforeEach(async () => {
  ctx = await makeApp({ seed: seedNewsroom, clock: makeClock(NOW), env: SECURITY_ENV })
  auth = { authorization: `Bearer ${await managementToken(ctx.store)}` }
  const created = await ctx.request.post('/v1/articles').set(auth).send(ARTICLE)
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  await ctx.request.post(`/v1/articles/${created.body.id}/publish`).set(auth).send({}).expect(200)
})

describe('stored XSS', () => {
  it('keeps every text field verbatim in the JSON article', async () => {
    const res = await ctx.request.get('/v1/articles/stored-xss').expect(200)
    expect(res.body).toMatchObject({ headline: ARTICLE.headline, standfirst: ARTICLE.standfirst, byline: ARTICLE.byline, heroImage: ARTICLE.heroImage })
    expect(res.body.body).toEqual(ARTICLE.body.map((block) => expect.objectContaining(block)))
  })

  it('renders every block field as escaped text in bodyHtml', async () => {
    const res = await ctx.request.get('/v1/articles/stored-xss?format=html').expect(200)
    const content = inertHtml(res.body.bodyHtml)
    for (const field of ['paragraph', 'heading', 'imagecaption', 'imagecredit', 'quotetext', 'quoteattribution', 'listitem', 'embedtitle'] as const) {
      expect(content, field).toContain(text(field))
    }
    expect(res.body.bodyHtml).toContain('alt="xssimagealt &lt;script&gt;')
  })

  it.each(SEARCHABLE)('marks only matched words in the search snippet for the %s', async (field) => {
    const res = await ctx.request.get(`/v1/search?q=xss${field}`).expect(200)
    expect(res.body.data.map((hit: { slug: string }) => hit.slug)).toEqual(['stored-xss'])
    const snippet = res.body.data[0].snippet as string
    const content = inertHtml(snippet, new Set(['mark']))
    expect(snippet).toMatch(new RegExp(`<mark>xss${field}</mark>`, 'i'))
    expect(content).toContain('<script>alert(1)</script>'.slice(0, 8))
  })

  it.each(['rss.xml', 'atom.xml'])('serves %s (mode=full) as well-formed XML whose HTML parts are inert', async (file) => {
    const res = await ctx.request.get(`/v1/feeds/${file}?mode=full`).expect(200)
    expect(XMLValidator.validate(res.text)).toBe(true)
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false }).parse(res.text)
    const entries = file === 'rss.xml' ? [parsed.rss.channel.item].flat() : [parsed.feed.entry].flat()
    const entry = entries.find((e: Record<string, unknown>) => JSON.stringify(e).includes('xssheadline'))
    expect(entry).toBeDefined()
    const title = typeof entry.title === 'string' ? entry.title : entry.title['#text']
    expect(title).toBe(xmlText(ARTICLE.headline))
    const html = file === 'rss.xml' ? entry['content:encoded'] : entry.content['#text']
    const content = inertHtml(String(html))
    for (const field of ['paragraph', 'quotetext', 'listitem', 'embedtitle'] as const) expect(content).toContain(xmlText(text(field)))
    if (file === 'rss.xml') expect(inertHtml(String(entry.description), new Set())).toBe(xmlText(ARTICLE.standfirst))
  })

  it('serves the JSON feed (mode=full) with inert content_html', async () => {
    const res = await ctx.request.get('/v1/feeds/feed.json?mode=full').expect(200)
    const item = JSON.parse(res.text).items.find((i: { title: string }) => i.title === ARTICLE.headline)
    expect(item).toBeDefined()
    expect(inertHtml(item.content_html)).toContain(text('paragraph'))
  })
})
