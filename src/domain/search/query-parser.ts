/**
 * Parses a raw search string into clauses, the one query model every catalog adapter evaluates.
 * Syntax (web-search style): words are ANDed; `"quoted phrases"` (straight or typographic quotes) match
 * adjacent words; `a OR b` (any case) makes one clause of alternatives; `-word` / `-"phrase"` exclude;
 * dotted codes (`1.1.1.1`, `A.2.3`) match that code and the codes under it (`2.2.1` → `2.2.1.x`); the
 * last plain word also matches as a prefix (type-ahead). Unknown characters are separators; bounds keep
 * hostile input cheap: length, clauses and phrase words are cut, and too many OR alternatives are a
 * `ValidationError` (400) naming the bound.
 */
import { fold, searchTokens, words, codeKey } from './normalise.js'
import { expandSynonyms } from './synonyms.js'
import { ValidationError } from '../errors.js'
import { stemIndonesian } from './indonesian-stemmer.js'
import { SEARCH_LIMITS } from '../../ports/catalog.js'

const MAX_QUERY_CHARS = SEARCH_LIMITS.maxQueryChars
export const MAX_CLAUSES = 12
/**
 * `OR` alternatives: at most this many in one clause and in the whole query (trade synonyms count). Each
 * alternative is a term of the database query and a word the fuzzy fallback may look up, so an unbounded
 * `a OR b OR …` is an unbounded cost; over the bound the query is refused (400), not cut.
 */
export const MAX_ALTERNATIVES_PER_CLAUSE = 8
export const MAX_ALTERNATIVES = 24
export const MAX_PHRASE_WORDS = 16

/** Lexemes in sequence (one = a word, more = a phrase); `prefix` applies to the last one. */
export interface TermsAlternative {
  kind: 'terms'
  lexemes: string[]
  prefix: boolean
}
/** A code key (lower case): matches the code itself and codes below it. */
export interface CodeAlternative {
  kind: 'code'
  code: string
}
export type Alternative = TermsAlternative | CodeAlternative

export interface Clause {
  negated: boolean
  /** Any one alternative satisfies the clause. */
  alternatives: Alternative[]
  /** The type-ahead clause: the last word, as a prefix (its first alternative is the stemmed form). */
  typeAhead?: boolean
}

/** All clauses must hold. No positive clause = matches nothing. */
export interface ParsedQuery {
  clauses: Clause[]
}

const QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', '\u2033'])
const CODE = /^(?:\d+|[a-z])(?:\.\d+)+\.?$/i
// Control characters (NUL included) are separators, never errors.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g

interface Item {
  text: string
  negated: boolean
  quoted: boolean
}

function lex(raw: string): Item[] {
  const s = raw.slice(0, MAX_QUERY_CHARS).replace(CONTROL, ' ')
  const items: Item[] = []
  let i = 0
  while (i < s.length) {
    const ch = s[i]
    if (/\s/.test(ch)) {
      i++
      continue
    }
    let negated = false
    if (ch === '-' && i + 1 < s.length && !/\s/.test(s[i + 1])) {
      negated = true
      i++
    }
    if (QUOTES.has(s[i])) {
      let j = i + 1
      while (j < s.length && !QUOTES.has(s[j])) j++
      items.push({ text: s.slice(i + 1, j), negated, quoted: true })
      i = j + 1
    } else {
      let j = i
      while (j < s.length && !/\s/.test(s[j]) && !QUOTES.has(s[j])) j++
      items.push({ text: s.slice(i, j), negated, quoted: false })
      i = j
    }
  }
  return items
}

function toAlternative(item: Item): Alternative | undefined {
  const text = item.text.trim()
  if (!item.quoted && CODE.test(text)) return { kind: 'code', code: codeKey(text.replace(/\.$/, '')) }
  const lexemes = searchTokens(text).slice(0, MAX_PHRASE_WORDS)
  return lexemes.length === 0 ? undefined : { kind: 'terms', lexemes, prefix: false }
}

/** The last word as a prefix: its stem, and its unstemmed form (indexed too) when that differs. */
function typeAhead(clause: Clause, item: Item): void {
  const alt = clause.alternatives[0]
  if (alt.kind !== 'terms') return
  alt.prefix = true
  clause.typeAhead = true
  if (alt.lexemes.length === 1) {
    const raw = words(item.text)[0]
    if (raw !== undefined && raw !== alt.lexemes[0] && stemIndonesian(raw) === alt.lexemes[0]) {
      clause.alternatives.push({ kind: 'terms', lexemes: [raw], prefix: true })
    }
  }
}

export function parseQuery(raw: string): ParsedQuery {
  // Spellings and trade words first, on the whole text: `1 PC : 4 PP` spans several typed words.
  const items = lex(expandSynonyms(fold(raw.slice(0, MAX_QUERY_CHARS))))
  const clauses: Clause[] = []
  let pendingOr = false
  let last: { clause: Clause; item: Item } | undefined
  for (const item of items) {
    if (!item.quoted && !item.negated && item.text.toLowerCase() === 'or') {
      pendingOr = clauses.length > 0
      continue
    }
    const alt = toAlternative(item)
    if (!alt) continue
    const prev = clauses[clauses.length - 1]
    if (pendingOr && prev && !prev.negated && !item.negated) {
      prev.alternatives.push(alt)
      if (prev.alternatives.length > MAX_ALTERNATIVES_PER_CLAUSE) {
        throw new ValidationError(`q: at most ${MAX_ALTERNATIVES_PER_CLAUSE} OR alternatives in one clause`)
      }
      last = undefined
    } else {
      if (clauses.length >= MAX_CLAUSES) break
      const clause: Clause = { negated: item.negated, alternatives: [alt] }
      clauses.push(clause)
      last = !item.negated && !item.quoted ? { clause, item } : undefined
    }
    pendingOr = false
    if (clauses.reduce((n, c) => n + c.alternatives.length, 0) > MAX_ALTERNATIVES) {
      throw new ValidationError(`q: at most ${MAX_ALTERNATIVES} words, phrases and OR alternatives in all`)
    }
  }
  // Type-ahead only when the very last thing typed is a plain word (not a phrase, exclusion or OR branch).
  const final = clauses[clauses.length - 1]
  if (last && last.clause === final && final.alternatives.length === 1) typeAhead(final, last.item)
  return { clauses }
}

export function hasPositiveClause(q: ParsedQuery): boolean {
  return q.clauses.some((c) => !c.negated)
}

/** A canonical text of the parsed query: equal for queries that mean the same (for cache keys). */
export function canonicalQuery(q: ParsedQuery): string {
  return q.clauses
    .map((c) => {
      const alts = c.alternatives.map((a) =>
        a.kind === 'code' ? `#${a.code}` : `"${a.lexemes.join(' ')}${a.prefix ? '*' : ''}"`,
      )
      return (c.negated ? '-' : '') + alts.join('|')
    })
    .join(' ')
}
