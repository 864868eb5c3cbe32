// XML building on xmlbuilder2 with complete escaping. xmlbuilder2 leaves an "&" that starts
// something entity-like ("&lt;", "&foo;") unescaped, which would change text or break the document,
// so every text and attribute value passes through here with its "&" escaped first.
import { create } from 'xmlbuilder2'

export type XmlNode = ReturnType<typeof create>

const amp = (value: string) => value.replace(/&/g, '&amp;')

// Characters XML 1.0 cannot carry (control characters) are dropped.
export function newXmlDocument (): XmlNode {
  return create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' })
}

export function add (parent: XmlNode, name: string, text?: string | null, attributes: Record<string, string> = {}): XmlNode {
  const node = parent.ele(name, Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, amp(value)])))
  if (text !== undefined && text !== null) node.txt(amp(text))
  return node
}

export function serialize (doc: XmlNode): string {
  return doc.end({ prettyPrint: true })
}
