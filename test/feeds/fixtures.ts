// XML parsing for feed and sitemap tests (their data comes from the shared helpers in test/fixtures.ts).
import { XMLParser } from 'fast-xml-parser'

// Keeps every element that may repeat as an array, so assertions need no special cases.
const repeating = new Set(['item', 'entry', 'url', 'sitemap', 'category', 'author', 'enclosure', 'feed.link', 'feed.entry.link'])
export const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name, jpath) => repeating.has(name) || repeating.has(String(jpath)),
})

export function parseXml (text: string): any {
  return xml.parse(text, true)
}
