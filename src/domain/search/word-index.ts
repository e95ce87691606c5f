/**
 * A vocabulary in memory for the fuzzy fallback: which words exist (exactly or as a prefix) and which share
 * a trigram with a given word. The memory catalog keeps one per index; the PostgreSQL catalog keeps one
 * per catalog generation, loaded from `catalog_words`, so a query's fuzzy look-ups cost no statement of
 * their own beyond reading the generation.
 */
import { trigrams } from './fuzzy.js'

export class WordIndex {
  private readonly sorted: string[]
  private readonly byTrigram = new Map<string, string[]>()

  constructor(words: Iterable<string>) {
    this.sorted = [...new Set(words)].sort()
    for (const w of this.sorted) {
      for (const t of trigrams(w)) {
        const list = this.byTrigram.get(t)
        if (list) list.push(w)
        else this.byTrigram.set(t, [w])
      }
    }
  }

  has(lexeme: string, prefix: boolean): boolean {
    let lo = 0
    let hi = this.sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.sorted[mid] < lexeme) lo = mid + 1
      else hi = mid
    }
    const at = this.sorted[lo]
    return at !== undefined && (prefix ? at.startsWith(lexeme) : at === lexeme)
  }

  /** Words sharing at least one of `grams` and within `edits` of `length` in length. */
  candidates(grams: readonly string[], length: number, edits: number): string[] {
    const out = new Set<string>()
    for (const t of grams) {
      for (const w of this.byTrigram.get(t) ?? []) if (Math.abs(w.length - length) <= edits) out.add(w)
    }
    return [...out]
  }
}
