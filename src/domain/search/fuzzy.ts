/**
 * The typo-tolerant fallback, shared by every adapter: when a query matches nothing, each of its words
 * that occurs nowhere in the catalog (names or items) is replaced by the closest indexed words (pg_trgm-style
 * one edit — words of 4 to 7 letters —, or two edits with trigram similarity ≥ 0.3 — words of 8 letters or
 * more —, at most 3, best first), and the rewritten query is run once more.
 * Similarity is kept as an exact fraction so both adapters pick the same words.
 */
import type { Alternative, Clause, ParsedQuery } from './query-parser.js'
import type { Vocabulary, WordProbe } from '../../ports/search-engine.js'
import { stemIndonesian } from './indonesian-stemmer.js'

export const SIMILARITY_THRESHOLD = { num: 3, den: 10 }
export const MAX_SUGGESTIONS = 3

/** pg_trgm's trigrams of one word: padded with two spaces before and one after, deduplicated. */
export function trigrams(word: string): string[] {
  const padded = '  ' + word + ' '
  const out = new Set<string>()
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3))
  return [...out]
}

/**
 * The trigrams worth looking a word's candidates up by: all but the first (`  b`, shared by every word
 * with that initial, so the costliest to look up). Nothing close is lost: a word of n ≥ 4 letters within
 * e edits (n ≥ 3e + 1, see maxEdits) shares at least n + 1 − 3e ≥ 2 trigrams with it, so one besides that.
 */
export function probeTrigrams(grams: readonly string[]): string[] {
  return grams.filter((t) => !t.startsWith('  '))
}

/** Similarity as shared / union trigram counts (pg_trgm `similarity`), kept as integers. */
export function similarity(a: readonly string[], b: readonly string[]): { shared: number; union: number } {
  const set = new Set(a)
  let shared = 0
  for (const t of b) if (set.has(t)) shared++
  return { shared, union: a.length + b.length - shared }
}


/**
 * Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`, stopping early above `max`.
 * Optimal string alignment distance: `bekisitng` → `bekisting` is 1, `mandor` → `mandi` is 2.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1)
      row.push(d)
      best = Math.min(best, d)
    }
    if (best > max) return max + 1
    prev2 = prev
    prev = row
  }
  return prev[b.length]
}

/** Edits a typo may have: one in words up to 7 letters (`mandor` is not `mandi`, `bendung` not `bentang`), two beyond. */
export const maxEdits = (word: string) => (word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0)

/** The closest of `candidates` to `word`, best first (at most MAX_SUGGESTIONS). */
export function suggest(word: string, candidates: readonly string[]): string[] {
  const mine = trigrams(word)
  const scored: { word: string; shared: number; union: number }[] = []
  for (const w of candidates) {
    const s = similarity(mine, trigrams(w))
    const edits = editDistance(word, w, maxEdits(word))
    if (edits > maxEdits(word)) continue
    // A single edit is a typo whatever the trigrams say (`galain` → `galian` shares only 3 of 11).
    if (edits > 1 && s.shared * SIMILARITY_THRESHOLD.den < SIMILARITY_THRESHOLD.num * s.union) continue
    scored.push({ word: w, ...s })
  }
  scored.sort((x, y) => y.shared * x.union - x.shared * y.union || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0))
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.word)
}

/**
 * The fuzzy version of `q`, or undefined when there is nothing to correct (every word is known) or a
 * word has no close match. Phrases, codes and exclusions are kept as typed. One vocabulary lookup for all
 * the query's words (one round trip on PostgreSQL, whatever the number of words).
 */
export async function fuzzyRewrite(q: ParsedQuery, vocabulary: Vocabulary): Promise<ParsedQuery | undefined> {
  const asked: WordProbe[] = []
  for (const c of q.clauses) {
    if (c.negated) continue
    for (const a of c.alternatives) {
      if (a.kind === 'terms' && a.lexemes.length === 1) asked.push({ lexeme: a.lexemes[0], prefix: a.prefix, trigrams: trigrams(a.lexemes[0]) })
    }
  }
  if (asked.length === 0) return undefined
  const answers = await vocabulary.lookup(asked)
  let next = 0
  let changed = false
  const clauses: Clause[] = []
  for (const c of q.clauses) {
    if (c.negated) {
      clauses.push(c)
      continue
    }
    const alternatives: Alternative[] = []
    for (const a of c.alternatives) {
      if (a.kind === 'code' || a.lexemes.length > 1) {
        alternatives.push(a)
        continue
      }
      const candidates = answers[next++]
      if (candidates === undefined) {
        alternatives.push(a)
        continue
      }
      changed = true
      for (const w of suggest(a.lexemes[0], candidates)) {
        alternatives.push({ kind: 'terms', lexemes: [w], prefix: false })
        // An unstemmed word (`galian`) also brings its stem (`gali`): the other forms of the same word.
        const stem = stemIndonesian(w)
        if (stem !== w) alternatives.push({ kind: 'terms', lexemes: [stem], prefix: false })
      }
    }
    if (alternatives.length === 0) return undefined
    clauses.push({ negated: false, alternatives })
  }
  return changed ? { clauses } : undefined
}
