/**
 * Text normalisation shared by every catalog adapter, so that "what matches" is decided in one place.
 * A job name becomes a list of search tokens: accents folded (NFKD, marks dropped: `béton` → `beton`,
 * `m²` → `m2`), lower case, spellings and spec tokens folded (`spellings.ts`: `f'c` → `fc`, `1:4`), split
 * on anything that is not a–z or 0–9 (typographic quotes and runs of spaces vanish: `1  m’ pagar` →
 * `1 m pagar`) and between letters and digits (`fc25` → `fc 25`), each word stemmed.
 */
import { stemIndonesian } from './indonesian-stemmer.js'
import { foldSpellings } from './spellings.js'

/**
 * Bumped whenever what `words()`/`searchTokens()` produce changes (stemmer rules, spellings, splits): a
 * store holding text derived by an older version re-derives it (the PostgreSQL catalog does at start).
 */
export const NORMALISER_VERSION = 5

/** Bounds that keep one hostile or absurd name from bloating the index; 256 tokens also keeps every lexeme
 * within the 256 positions a PostgreSQL tsvector entry holds, so phrase matching agrees on both adapters. */
export const MAX_TOKENS_PER_TEXT = 256
export const MAX_TOKEN_LENGTH = 64

const MARKS = /\p{M}+/gu
const NON_ALNUM = /[^a-z0-9]+/
/** Letters and digits apart: `fc25` → `fc 25`, `40x40` → `40 x 40`, `m2` → `m 2`, `d13` → `d 13`. */
const LETTER_DIGIT = /(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/
const MIXED = /[a-z][0-9]|[0-9][a-z]/

/** Lower-case ASCII words of `text`, accents folded, everything else a separator. */
const NON_ASCII = /[^\u0000-\u007f]/

/** Accents folded (NFKD, marks dropped), lower case, spellings and spec tokens folded (spellings.ts). */
export function fold(text: string): string {
  // Most names are ASCII but for a typographic quote; decompose only when there is something to fold.
  return foldSpellings((NON_ASCII.test(text) ? text.normalize('NFKD').replace(MARKS, '') : text).toLowerCase())
}

export function words(text: string): string[] {
  const folded = fold(text)
  const out: string[] = []
  for (const token of folded.split(NON_ALNUM)) {
    if (token === '') continue
    for (const w of MIXED.test(token) ? token.split(LETTER_DIGIT) : [token]) {
      out.push(w.length > MAX_TOKEN_LENGTH ? w.slice(0, MAX_TOKEN_LENGTH) : w)
      if (out.length >= MAX_TOKENS_PER_TEXT) return out
    }
  }
  return out
}

/** The search tokens of a name: its words, stemmed. */
export function searchTokens(text: string): string[] {
  return words(text).map(stemIndonesian)
}

/** Tokens joined by single spaces: what rank features (first position, phrase, length) are measured on. */
export function searchText(name: string): string {
  return searchTokens(name).join(' ')
}

/** Codes are matched case-insensitively on their trimmed form. */
export function codeKey(code: string): string {
  return code.trim().toLowerCase()
}

const NUMERIC = /^\d+$/

/**
 * Natural sort key of a dotted code, comparable by plain code-unit (= PostgreSQL `C` collation) order:
 * numeric segments zero-padded (`1.2` < `1.10`), other segments after numbers, a segment boundary (space)
 * before any character, so `1.2` < `1.2.1` < `1.10`.
 */
export function codeSortKey(code: string): string {
  return codeKey(code)
    .split('.')
    .map((seg) => {
      if (NUMERIC.test(seg)) return '0' + seg.replace(/^0+(?=\d)/, '').padStart(12, '0')
      return '1' + words(seg).join('-')
    })
    .join(' ')
}

/** Compare by Unicode code point (PostgreSQL `C` collation on UTF-8), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x < y ? -1 : 1
    if (x > 0xffff) i++
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0
}
