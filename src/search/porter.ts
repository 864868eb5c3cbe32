// The Porter stemmer exactly as SQLite's FTS5 `porter` tokenizer applies it (fts5_tokenize.c, rules
// from its generated code), for marking matches in snippets without asking SQLite. It works on the
// UTF-8 bytes of a folded token, given as a string of one char per byte (latin1), as FTS5 does:
// tokens under 3 or over 64 bytes are left alone.

type Condition = (stem: string, n: number) => boolean
type Rule = readonly [suffix: string, condition: Condition | null, replacement: string, stop?: boolean]

const isVowel = (c: string, yIsVowel: boolean) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y')

// the index just past the first vowel-consonant sequence of stem[from, n), or 0 when there is none
function gobbleVC (stem: string, from: number, n: number, prevConsonant: boolean): number {
  let consonant = prevConsonant
  let i = from
  for (; i < n; i++) if (!(consonant = !isVowel(stem[i]!, consonant))) break
  for (i++; i < n; i++) if ((consonant = !isVowel(stem[i]!, consonant))) return i + 1
  return 0
}

const mGt0: Condition = (s, n) => gobbleVC(s, 0, n, false) !== 0
const mGt1: Condition = (s, n) => {
  const at = gobbleVC(s, 0, n, false)
  return at !== 0 && gobbleVC(s, at, n, true) !== 0
}
const mEq1: Condition = (s, n) => {
  const at = gobbleVC(s, 0, n, false)
  return at !== 0 && gobbleVC(s, at, n, true) === 0
}
// *o: ends consonant-vowel-consonant, the last not w, x or y
const oStar: Condition = (s, n) => {
  const last = s[n - 1]
  if (last === 'w' || last === 'x' || last === 'y') return false
  let mask = 0
  let consonant = false
  for (let i = 0; i < n; i++) {
    consonant = !isVowel(s[i]!, consonant)
    mask = (mask << 1) + (consonant ? 1 : 0)
  }
  return (mask & 7) === 5
}
const mGt1SorT: Condition = (s, n) => (s[n - 1] === 's' || s[n - 1] === 't') && mGt1(s, n)
const hasVowel: Condition = (s, n) => {
  for (let i = 0; i < n; i++) if (isVowel(s[i]!, i > 0)) return true
  return false
}

const STEP1B: Rule[] = [['eed', mGt0, 'ee'], ['ed', hasVowel, '', true], ['ing', hasVowel, '', true]]
const STEP1B2: Rule[] = [['at', null, 'ate', true], ['bl', null, 'ble', true], ['iz', null, 'ize', true]]
const STEP2: Rule[] = [['ational', mGt0, 'ate'], ['tional', mGt0, 'tion'], ['enci', mGt0, 'ence'], ['anci', mGt0, 'ance'],
  ['izer', mGt0, 'ize'], ['logi', mGt0, 'log'], ['bli', mGt0, 'ble'], ['alli', mGt0, 'al'], ['entli', mGt0, 'ent'],
  ['eli', mGt0, 'e'], ['ousli', mGt0, 'ous'], ['ization', mGt0, 'ize'], ['ation', mGt0, 'ate'], ['ator', mGt0, 'ate'],
  ['alism', mGt0, 'al'], ['iveness', mGt0, 'ive'], ['fulness', mGt0, 'ful'], ['ousness', mGt0, 'ous'], ['aliti', mGt0, 'al'],
  ['iviti', mGt0, 'ive'], ['biliti', mGt0, 'ble']]
const STEP3: Rule[] = [['ical', mGt0, 'ic'], ['ness', mGt0, ''], ['icate', mGt0, 'ic'], ['iciti', mGt0, 'ic'], ['ful', mGt0, ''],
  ['ative', mGt0, ''], ['alize', mGt0, 'al']]
const STEP4: Rule[] = [['al', mGt1, ''], ['ance', mGt1, ''], ['ence', mGt1, ''], ['er', mGt1, ''], ['ic', mGt1, ''], ['able', mGt1, ''],
  ['ible', mGt1, ''], ['ant', mGt1, ''], ['ement', mGt1, ''], ['ment', mGt1, ''], ['ent', mGt1, ''], ['ion', mGt1SorT, ''],
  ['ou', mGt1, ''], ['ism', mGt1, ''], ['ate', mGt1, ''], ['iti', mGt1, ''], ['ous', mGt1, ''], ['ive', mGt1, ''], ['ize', mGt1, '']]

// The first rule whose suffix ends the word (leaving at least one character) decides, whether or
// not its condition holds. Returns the new word and whether a rule with `stop` was applied.
function apply (word: string, rules: Rule[]): [string, boolean] {
  for (const [suffix, condition, replacement, stop = false] of rules) {
    if (word.length <= suffix.length || !word.endsWith(suffix)) continue
    const n = word.length - suffix.length
    if (condition && !condition(word, n)) return [word, false]
    return [word.slice(0, n) + replacement, stop]
  }
  return [word, false]
}

export function porterStem (token: string): string {
  if (token.length < 3 || token.length > 64) return token
  let w = token
  // step 1a
  if (w.endsWith('s')) {
    const n = w.length
    if (w[n - 2] === 'e') w = (n > 4 && w[n - 4] === 's' && w[n - 3] === 's') || (n > 3 && w[n - 3] === 'i') ? w.slice(0, -2) : w.slice(0, -1)
    else if (w[n - 2] !== 's') w = w.slice(0, -1)
  }
  let stop: boolean
  ;[w, stop] = apply(w, STEP1B)
  if (stop) {
    ;[w, stop] = apply(w, STEP1B2)
    if (!stop) {
      const c = w[w.length - 1]!
      if (!isVowel(c, false) && c !== 'l' && c !== 's' && c !== 'z' && c === w[w.length - 2]) w = w.slice(0, -1)
      else if (mEq1(w, w.length) && oStar(w, w.length)) w += 'e'
    }
  }
  // step 1c
  if (w.endsWith('y') && hasVowel(w, w.length - 1)) w = w.slice(0, -1) + 'i'
  w = apply(w, STEP2)[0]
  w = apply(w, STEP3)[0]
  w = apply(w, STEP4)[0]
  // step 5
  if (w.endsWith('e') && (mGt1(w, w.length - 1) || (mEq1(w, w.length - 1) && !oStar(w, w.length - 1)))) w = w.slice(0, -1)
  if (w.length > 1 && w.endsWith('ll') && mGt1(w, w.length - 1)) w = w.slice(0, -1)
  return w
}
