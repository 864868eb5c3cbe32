// Search snippets made in JS, to the letter of FTS5's snippet(articles_fts, -1, open, close, '…', 24)
// over the `porter unicode61 remove_diacritics 2` tokenizer (fts5_aux.c), with SQLite's own
// character tables (unicode61-tables.ts). FTS5 tokenizes and stems every column of every shown
// story twice for it (~35 µs a story); here each column is scanned once and only the words that
// begin like a query word are folded and stemmed.
import { porterStem } from './porter.js'
import { FOLD_RUNS, MARK_RANGES, TOKEN_RANGES } from './unicode61-tables.js'

// unicode61's classes of code points: ASCII letters and digits are token characters; the rest comes
// from tables generated from SQLite itself (unicode61-tables.ts), looked up directly in the BMP
const SEPARATOR = 0
const TOKEN = 1
// a combining mark: kept inside a token (and folded away), a separator anywhere else
const MARK = 2
const ASCII_TOKEN = new Uint8Array(128).map((_, c) => /[0-9A-Za-z]/.test(String.fromCharCode(c)) ? 1 : 0)
const inRanges = (ranges: readonly number[], cp: number) => {
  let lo = 0
  let hi = ranges.length / 2 - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (cp < ranges[2 * mid]!) hi = mid - 1
    else if (cp > ranges[2 * mid + 1]!) lo = mid + 1
    else return true
  }
  return false
}
const BMP_KINDS = new Uint8Array(0x10000)
for (const [ranges, kind] of [[TOKEN_RANGES, TOKEN], [MARK_RANGES, MARK]] as const) {
  for (let r = 0; r < ranges.length && ranges[r]! < 0x10000; r += 2) BMP_KINDS.fill(kind, ranges[r], Math.min(ranges[r + 1]! + 1, 0x10000))
}
BMP_KINDS.set(ASCII_TOKEN)
export const kindOf = (cp: number) => cp < 0x10000
  ? BMP_KINDS[cp]!
  : inRanges(TOKEN_RANGES, cp) ? TOKEN : inRanges(MARK_RANGES, cp) ? MARK : SEPARATOR
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13

// the code point a non-ASCII token character folds to (case and diacritics), 0 when it is dropped
function foldRun (cp: number): number {
  let lo = 0
  let hi = FOLD_RUNS.length / 4 - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (FOLD_RUNS[4 * mid]! <= cp) lo = mid
    else hi = mid - 1
  }
  const [start, count, stride, delta] = [FOLD_RUNS[4 * lo]!, FOLD_RUNS[4 * lo + 1]!, FOLD_RUNS[4 * lo + 2]!, FOLD_RUNS[4 * lo + 3]!]
  const k = (cp - start) / stride
  if (k < 0 || k >= count || k !== Math.trunc(k)) return cp
  return delta === 0 ? 0 : cp + delta
}
const BMP_FOLDS = new Int32Array(0x10000).map((_, cp) => foldRun(cp))
export const foldChar = (cp: number) => cp < 0x10000 ? BMP_FOLDS[cp]! : foldRun(cp)

// the token's folded text as FTS5 stems it: its UTF-8 bytes, one char per byte
function foldToken (text: string, start: number, end: number): string {
  let ascii = true
  for (let i = start; i < end && ascii; i++) ascii = text.charCodeAt(i) < 128
  if (ascii) return text.slice(start, end).toLowerCase()
  let out = ''
  for (let i = start; i < end;) {
    const cp = text.codePointAt(i)!
    i += cp > 0xffff ? 2 : 1
    if (cp < 128) out += cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : String.fromCharCode(cp)
    else {
      const folded = foldChar(cp)
      if (folded !== 0) out += String.fromCodePoint(folded)
    }
  }
  return Buffer.from(out, 'utf8').toString('latin1')
}

// the vocabulary of a news site is small enough to remember: stemming is most of a scan otherwise
const stems = new Map<string, string>()
function stemOf (folded: string): string {
  let stem = stems.get(folded)
  if (stem === undefined) {
    stem = porterStem(folded)
    if (stems.size >= 100_000) stems.clear()
    stems.set(folded, stem)
  }
  return stem
}

interface Column {
  text: string
  // token k runs from edges[2k] to edges[2k + 1] (UTF-16 offsets, end excluded)
  edges: Int32Array
  // the number of tokens
  size: number
  // token positions that begin a sentence (after '.' or ':' and white space), as FTS5 finds them
  sentences: number[]
  // stems of the tokens whose first byte is the first byte of some query token
  stems: Map<number, string>
}

// Porter keeps a token's first byte, and its second unless the stem is one byte long or the second
// is a y turned into i ("ays" -> "ai"): only tokens whose first two bytes some query stem allows are
// folded and stemmed. `pairs[first * 256 + second]` (second 0 for a one-byte token).
function allowedPairs (phrases: string[][]): Uint8Array {
  const pairs = new Uint8Array(65536)
  for (const stem of phrases.flat()) {
    const first = stem.charCodeAt(0) * 256
    if (stem.length === 1) pairs.fill(1, first, first + 256)
    else {
      pairs[first + stem.charCodeAt(1)] = 1
      if (stem[1] === 'i') pairs[first + 121] = 1
    }
  }
  return pairs
}

const lower = (c: number) => c >= 65 && c <= 90 ? c + 32 : c
const SURROGATE = /[\ud800-\udfff]/

// Where the tokens begin and end, and whether the text has any non-ASCII character. Without astral
// code points (no surrogates: the usual text) each character's class comes from one table and the
// edges are counted without a branch per character: a token boundary is where "inside a token"
// changes (a mark continues a token, else separates). Branching on each character instead, as
// before, took twice as long over the bench's bodies (23 against 11.5 µs for a 2,800-character body).
const SCRATCH_MAX = 65_536
let scratch = new Int32Array(8192)
function tokenEdges (text: string): { edges: Int32Array, ascii: boolean } {
  const n = text.length
  // one buffer for the usual text; a longer one gets its own (not kept)
  if (scratch.length <= n && n < SCRATCH_MAX) scratch = new Int32Array(SCRATCH_MAX)
  const edges = scratch.length > n ? scratch : new Int32Array(n + 1)
  let m = 0
  let inside = 0
  // every character's bits: at least its largest code unit
  let bits = 0
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    bits |= c
    const kind = BMP_KINDS[c]!
    const token = (kind & TOKEN) | ((kind >> 1) & inside)
    edges[m] = i
    m += token ^ inside
    inside = token
  }
  edges[m] = n
  m += inside
  if (bits >= 0xd800 && SURROGATE.test(text)) return { edges: codePointEdges(text), ascii: false }
  return { edges: edges.slice(0, m), ascii: bits < 128 }
}

// the same edges one code point at a time, surrogate pairs included
function codePointEdges (text: string): Int32Array {
  const edges: number[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c < 128 ? ASCII_TOKEN[c] === 0 : kindOf(text.codePointAt(i)!) !== TOKEN) {
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1
      continue
    }
    edges.push(i)
    while (i < n) {
      const d = text.charCodeAt(i)
      if (d < 128) {
        if (ASCII_TOKEN[d] === 0) break
        i++
      } else {
        const cp = text.codePointAt(i)!
        if (kindOf(cp) === SEPARATOR) break
        i += cp > 0xffff ? 2 : 1
      }
    }
    edges.push(i)
  }
  return Int32Array.from(edges)
}

// `pairs`: null to stem every token
function scan (text: string, pairs: Uint8Array | null): Column {
  const { edges, ascii: allAscii } = tokenEdges(text)
  const size = edges.length / 2
  const sentences: number[] = []
  const found = new Map<number, string>()
  for (let pos = 0; pos < size; pos++) {
    const start = edges[2 * pos]!
    const end = edges[2 * pos + 1]!
    if (pos === 0) sentences.push(0)
    else if (isSpace(text.charCodeAt(start - 1))) {
      let j = start - 2
      while (j >= 0 && isSpace(text.charCodeAt(j))) j--
      if (j >= 0 && (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 58)) sentences.push(pos)
    }
    let ascii = true
    if (!allAscii) for (let i = start; i < end && ascii; i++) ascii = text.charCodeAt(i) < 128
    if (ascii) {
      const c = text.charCodeAt(start)
      if (!pairs || pairs[lower(c) * 256 + (end - start > 1 ? lower(text.charCodeAt(start + 1)) : 0)] === 1) found.set(pos, stemOf(text.slice(start, end).toLowerCase()))
    } else {
      const folded = foldToken(text, start, end)
      if (!pairs || pairs[folded.charCodeAt(0) * 256 + (folded.length > 1 ? folded.charCodeAt(1) : 0)] === 1) found.set(pos, stemOf(folded))
    }
  }
  return { text, edges, size, sentences, stems: found }
}

export interface SnippetQuery {
  // one per term of parseSearchQuery, as FTS5 sees them: lists of stems
  phrases: string[][]
  pairs: Uint8Array
}

export function snippetQuery (terms: string[][]): SnippetQuery {
  const phrases = terms.map((term) => {
    const column = scan(term.join(' '), null)
    return Array.from({ length: column.size }, (_, pos) => column.stems.get(pos)!)
  })
  return { phrases, pairs: allowedPairs(phrases) }
}

interface Instance { phrase: number, column: number, offset: number }

function instances (columns: Column[], phrases: string[][]): Instance[] {
  const found: Instance[] = []
  columns.forEach((column, c) => {
    for (const [pos, stem] of column.stems) {
      phrases.forEach((phrase, p) => {
        if (phrase.length > 0 && phrase[0] === stem && phrase.every((token, k) => column.stems.get(pos + k) === token)) found.push({ phrase: p, column: c, offset: pos })
      })
    }
  })
  return found
}

export function snippet (texts: string[], { phrases, pairs }: SnippetQuery, open: string, close: string, ellipsis: string, tokens: number): string {
  const columns = texts.map((text) => scan(text, pairs))
  const insts = instances(columns, phrases)
  const size = (p: number) => phrases[p]!.length

  // fts5SnippetScore: 1000 per distinct phrase in the window, 1 per repeat; and where to start it
  const windowScore = (c: number, from: number, docSize: number): [number, number] => {
    const seen = new Uint8Array(phrases.length)
    let score = 0
    let first = -1
    let last = 0
    for (const inst of insts) {
      if (inst.column !== c || inst.offset < from || inst.offset >= from + tokens) continue
      score += seen[inst.phrase] ? 1 : 1000
      seen[inst.phrase] = 1
      if (first < 0) first = inst.offset
      last = inst.offset + size(inst.phrase)
    }
    let start = first - Math.trunc((tokens - (last - first)) / 2)
    if (start + tokens > docSize) start = docSize - tokens
    return [score, Math.max(0, start)]
  }

  let bestColumn = 0
  let bestStart = 0
  let bestScore = 0
  columns.forEach((column, c) => {
    const docSize = column.size
    const { sentences } = column
    for (const inst of insts) {
      if (inst.column !== c) continue
      const [score, start] = windowScore(c, inst.offset, docSize)
      if (score > bestScore) [bestScore, bestColumn, bestStart] = [score, c, start]
      if (sentences.length > 0 && docSize > tokens) {
        let s = 0
        while (s < sentences.length - 1 && sentences[s + 1]! <= inst.offset) s++
        if (sentences[s]! < inst.offset) {
          const score = windowScore(c, sentences[s]!, docSize)[0] + (sentences[s] === 0 ? 120 : 100)
          if (score > bestScore) [bestScore, bestColumn, bestStart] = [score, c, sentences[s]!]
        }
      }
    }
  })

  const { text, edges, size: docSize } = columns[bestColumn]!
  const shown = insts.filter((inst) => inst.column === bestColumn)
  // coalesced runs of overlapping instances, as token ranges [start, end]
  let k = 0
  const run = { start: -1, end: -1 }
  const nextRun = () => {
    run.start = run.end = -1
    for (; k < shown.length; k++) {
      const { offset, phrase } = shown[k]!
      const end = offset - 1 + size(phrase)
      if (run.start < 0) [run.start, run.end] = [offset, end]
      else if (offset <= run.end) run.end = Math.max(run.end, end)
      else break
    }
  }
  nextRun()
  const rangeEnd = bestStart + tokens - 1
  let out = bestStart > 0 ? ellipsis : ''
  while (run.start >= 0 && run.start < bestStart) nextRun()
  let at = 0
  let isOpen = false
  for (let pos = bestStart; pos <= rangeEnd && pos < docSize; pos++) {
    const from = edges[2 * pos]!
    const to = edges[2 * pos + 1]!
    if (bestStart > 0 && pos === bestStart) at = from
    if (isOpen && (pos <= run.start || run.start < 0) && from > at) {
      out += close
      isOpen = false
    }
    if (pos === run.start && !isOpen) {
      out += text.slice(at, from) + open
      at = from
      isOpen = true
    }
    if (pos === run.end) {
      if (!isOpen) out += open
      isOpen = true
      out += text.slice(at, to)
      at = to
      nextRun()
    }
    if (pos === rangeEnd) {
      if (isOpen) {
        if (run.start >= 0 && pos >= run.start) {
          out += text.slice(at, to)
          at = to
        }
        out += close
        isOpen = false
      }
      out += text.slice(at, to)
      at = to
    }
  }
  if (isOpen) out += close
  return out + (rangeEnd >= docSize - 1 ? text.slice(at) : ellipsis)
}
