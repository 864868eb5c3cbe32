// The text an article body is searched by, as SQLite's articles_fts trigger and PostgreSQL's
// articles_body_text() make it (migrations/*/0001_search.sql): for each block its text, caption,
// alt, title, attribution and list items, the ones present joined by spaces, one block per line.
// PostgreSQL's search reads bodies and makes it here for the snippets of a page of results:
// jsonb_array_elements in SQL cost ~60 µs an article, a third of a search's database time.
const FIELDS = ['text', 'caption', 'alt', 'title', 'attribution'] as const

// A JSON value as text (->> and jsonb_array_elements_text): null is absent. Bodies that pass the
// schema hold strings only; other values are written as JSON.
const asText = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)

export function indexedBodyText (body: unknown): string {
  if (!Array.isArray(body)) return ''
  return body.map((block: unknown) => {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) return ''
    const fields = block as Record<string, unknown>
    const parts: string[] = []
    for (const name of FIELDS) {
      const text = asText(fields[name])
      if (text !== undefined) parts.push(text)
    }
    if (Array.isArray(fields.items)) {
      const items = fields.items.map(asText).filter((item) => item !== undefined)
      if (items.length > 0) parts.push(items.join(' '))
    }
    return parts.join(' ')
  }).join('\n')
}
