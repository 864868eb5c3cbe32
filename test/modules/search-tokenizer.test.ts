import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { FIRST, foldRuns, kindRanges, LAST, probeUnicode61, TOKENIZE } from '../unicode61-tables.js'
import { porterStem } from '../../src/search/porter.js'
import { foldChar, kindOf } from '../../src/search/snippet.js'
import { FOLD_RUNS, MARK_RANGES, TOKEN_RANGES } from '../../src/search/unicode61-tables.js'
import { makeApp } from '../helpers.js'

// Snippets are made in JS (src/search/snippet.ts) and must tokenize, fold and stem as the bundled
// SQLite's FTS5 does: these tests ask SQLite itself, so an upgrade that changes tokenization fails here.
const STEMS = ['a', 'be', 'by', 'sky', 'ay', 'oy', 'hop', 'hope', 'tann', 'run', 'cry', 'agree', 'feed', 'plaster', 'bled', 'motor',
  'sing', 'conflat', 'troubl', 'siz', 'fail', 'fall', 'hiss', 'fizz', 'generat', 'relat', 'condition', 'valen', 'hesit', 'digit',
  'conform', 'radic', 'differ', 'formal', 'sensit', 'sensibl', 'electr', 'adjust', 'depend', 'adopt', 'homolog', 'commun', 'activ',
  'angular', 'effect', 'bowdler', 'good', 'rat', 'ceas', 'control', 'roll', 'happ', 'str', 'tr', 'ab', 'eb', 'oak', 'new', 'mess',
  'ski', 'ti', 'ee', 'e', 'y', 'yy', 'ya', 'syzyg', 'rhythm', 'queu', 'argu', 'filing', 'abat', 'pay', 'play', 'employ', 'toy',
  'wax', 'box', 'row', 'fil', 'ord', 'rev', 'vival', 'nation', 'ration', 'cat', 'bat', 'hiv', 'lov', 'sav', 'mov']
const SUFFIXES = ['', 's', 'es', 'ies', 'ss', 'ed', 'eed', 'ing', 'at', 'bl', 'iz', 'y', 'ational', 'tional', 'enci', 'anci', 'izer',
  'bli', 'alli', 'entli', 'eli', 'ousli', 'ization', 'ation', 'ator', 'alism', 'iveness', 'fulness', 'ousness', 'aliti', 'iviti',
  'biliti', 'logi', 'icate', 'ative', 'alize', 'iciti', 'ical', 'ful', 'ness', 'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant',
  'ement', 'ment', 'ent', 'ion', 'sion', 'tion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'e', 'le', 'll', 'l']
const ENDINGS = ['', 's', 'es', 'ed', 'ing', 'ly', 'y', 'e', 'ness', 'al', 'er']

describe('search tokenizer in JS', () => {
  it('uses tables that are what the bundled SQLite unicode61 tokenizer does for every code point', { timeout: 120_000 }, () => {
    const sqlite = probeUnicode61()
    expect(TOKEN_RANGES).toEqual(kindRanges(sqlite, 1))
    expect(MARK_RANGES).toEqual(kindRanges(sqlite, 2))
    expect(FOLD_RUNS).toEqual(foldRuns(sqlite))
    const wrong: string[] = []
    for (let cp = FIRST; cp <= LAST; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue
      const kind = sqlite.kinds[cp]
      const fold = kind === 0 ? -1 : foldChar(cp)
      if (kindOf(cp) !== kind || fold !== sqlite.folds[cp]) wrong.push(`U+${cp.toString(16)}`)
    }
    for (let c = 0; c < FIRST; c++) if (kindOf(c) !== (/[0-9A-Za-z]/.test(String.fromCharCode(c)) ? 1 : 0)) wrong.push(`U+${c.toString(16)}`)
    expect(wrong).toEqual([])
  })

  it('tables were made for the tokenizer articles_fts is created with', async () => {
    const { db } = await makeApp()
    const sql = db.$client.prepare("select sql from sqlite_master where name = 'articles_fts'").pluck().get() as string
    expect(sql).toContain(`tokenize = 'porter ${TOKENIZE}'`)
  })

  it('porterStem stems every generated English word as FTS5 porter does', () => {
    const words = [...new Set(STEMS.flatMap((stem) => SUFFIXES.flatMap((suffix) => ENDINGS.map((ending) => stem + suffix + ending))))]
    words.push('x'.repeat(61) + 'ing', 'x'.repeat(62) + 'ing', 'is', 'as', 'ss')
    const db = new Database(':memory:')
    db.exec(`create virtual table words using fts5(word, tokenize = 'porter ${TOKENIZE}');
      create virtual table word_stems using fts5vocab(words, instance);`)
    const insert = db.prepare('insert into words(rowid, word) values (?, ?)')
    db.transaction(() => words.forEach((word, i) => insert.run(i + 1, word)))()
    const stems = new Map(db.prepare('select doc, term from word_stems').raw().all() as Array<[number, string]>)
    db.close()
    const wrong = words.flatMap((word, i) => porterStem(word) === stems.get(i + 1) ? [] : [`${word}: ${porterStem(word)}, not ${stems.get(i + 1)}`])
    expect(words.length).toBeGreaterThan(50_000)
    expect(wrong).toEqual([])
  })
})
