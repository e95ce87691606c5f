/**
 * The typo-tolerant fallback, shared by every adapter: when a query matches nothing, each of its words
 * that occurs nowhere in the catalog is replaced by the closest indexed words (pg_trgm-style trigram
 * similarity ≥ 0.3, at most 3, best first), and the rewritten query is run once more.
 * Similarity is kept as an exact fraction so both adapters pick the same words.
 */
import type { Alternative, Clause, ParsedQuery } from './query-parser.js'
import type { Vocabulary } from '../../ports/search-engine.js'

export const SIMILARITY_THRESHOLD = { num: 3, den: 10 }
export const MAX_SUGGESTIONS = 3

/** pg_trgm's trigrams of one word: padded with two spaces before and one after, deduplicated. */
export function trigrams(word: string): string[] {
  const padded = '  ' + word + ' '
  const out = new Set<string>()
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3))
  return [...out]
}

/** Similarity as shared / union trigram counts (pg_trgm `similarity`), kept as integers. */
export function similarity(a: readonly string[], b: readonly string[]): { shared: number; union: number } {
  const set = new Set(a)
  let shared = 0
  for (const t of b) if (set.has(t)) shared++
  return { shared, union: a.length + b.length - shared }
}


export async function suggest(vocabulary: Vocabulary, word: string): Promise<string[]> {
  const mine = trigrams(word)
  const scored: { word: string; shared: number; union: number }[] = []
  for (const w of await vocabulary.candidates(mine)) {
    const s = similarity(mine, trigrams(w))
    if (s.shared * SIMILARITY_THRESHOLD.den >= SIMILARITY_THRESHOLD.num * s.union) scored.push({ word: w, ...s })
  }
  scored.sort((x, y) => y.shared * x.union - x.shared * y.union || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0))
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.word)
}

/**
 * The fuzzy version of `q`, or undefined when there is nothing to correct (every word is indexed) or a
 * word has no close match. Phrases, codes and exclusions are kept as typed.
 */
export async function fuzzyRewrite(q: ParsedQuery, vocabulary: Vocabulary): Promise<ParsedQuery | undefined> {
  let changed = false
  const clauses: Clause[] = []
  for (const c of q.clauses) {
    if (c.negated) {
      clauses.push(c)
      continue
    }
    const alternatives: Alternative[] = []
    for (const a of c.alternatives) {
      if (a.kind === 'code' || a.lexemes.length > 1 || (await vocabulary.has(a.lexemes[0], a.prefix))) {
        alternatives.push(a)
        continue
      }
      changed = true
      for (const w of await suggest(vocabulary, a.lexemes[0])) {
        alternatives.push({ kind: 'terms', lexemes: [w], prefix: false })
      }
    }
    if (alternatives.length === 0) return undefined
    clauses.push({ negated: false, alternatives })
  }
  return changed ? { clauses } : undefined
}
