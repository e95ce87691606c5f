/**
 * Ranking, defined once for every adapter. Integer features only, so the memory index and the SQL
 * `ORDER BY` agree exactly (no floating-point relevance that two engines would round differently):
 *   1. code tier: 2 = the job's code equals a code in the query, 1 = it lies under one, 0 = otherwise;
 *   2. phrase: 1 when the query's words occur in the name in the order typed, adjacent;
 *   3. first position: where the earliest query word starts in the name's search text (earlier = better);
 *   4. search-text length (shorter, more specific names first) — only when the query has words: a
 *      code-only query (`2.2.1`) lists its jobs in code order;
 *   5. natural code order (`1.2` < `1.10`), then code, then source (code-point order): a total order, so
 *      pagination is stable.
 * Features 3–4 are measured on the normalised, stemmed search text (`searchText()`), the same string both
 * adapters store.
 */
import { compareCodePoints } from './normalise.js'
import type { ParsedQuery } from './query-parser.js'

/** First position when no query word occurs in the name (code-only queries); also the cap. */
export const NO_POSITION = 9999

export interface RankProbe {
  /** Codes of positive clauses. */
  codes: string[]
  /** `' lexeme '` (or `' lexeme'` for a prefix) searched in `' ' + searchText + ' '`. */
  patterns: string[]
  /** The whole query's words in order, same form; undefined with fewer than two words. */
  phrase?: string
}

export interface RankFeatures {
  codeTier: number
  phrase: number
  firstPos: number
}

export function rankProbe(q: ParsedQuery): RankProbe {
  const codes: string[] = []
  const patterns = new Set<string>()
  const sequence: string[] = []
  let sequenceEndsInPrefix = false
  for (const c of q.clauses) {
    if (c.negated) continue
    for (const a of c.alternatives) {
      if (a.kind === 'code') codes.push(a.code)
      else patterns.add(' ' + a.lexemes[0] + (a.prefix && a.lexemes.length === 1 ? '' : ' '))
    }
    const first = c.alternatives[0]
    if (first.kind === 'terms' && (c.alternatives.length === 1 || c.typeAhead)) {
      sequence.push(...first.lexemes)
      sequenceEndsInPrefix = first.prefix
    }
  }
  const phrase = sequence.length >= 2 ? ' ' + sequence.join(' ') + (sequenceEndsInPrefix ? '' : ' ') : undefined
  return { codes, patterns: [...patterns], phrase }
}

export function codeTier(probe: RankProbe, codeKey: string): number {
  let tier = 0
  for (const c of probe.codes) {
    if (codeKey === c) return 2
    if (codeKey.startsWith(c + '.')) tier = 1
  }
  return tier
}

export function rankFeatures(probe: RankProbe, codeKey: string, searchText: string): RankFeatures {
  const padded = ' ' + searchText + ' '
  let firstPos = NO_POSITION
  for (const p of probe.patterns) {
    const at = padded.indexOf(p)
    if (at >= 0 && at < firstPos) firstPos = at
  }
  return {
    codeTier: codeTier(probe, codeKey),
    phrase: probe.phrase !== undefined && padded.includes(probe.phrase) ? 1 : 0,
    firstPos,
  }
}

/** The `rank` reported with a hit: higher is better, consistent with the order (features 1–3). */
export function rankValue(f: RankFeatures): number {
  return Math.round((f.codeTier * 10 + f.phrase * 2 + 1 / (1 + f.firstPos / 16)) * 1e6) / 1e6
}

/** The tie-break part of the order (features 4–5): independent of the query. */
export interface StaticOrderKey {
  textLength: number
  codeSort: string
  code: string
  source: string
}

export function compareStatic(a: StaticOrderKey, b: StaticOrderKey, byLength = true): number {
  return (
    (byLength ? a.textLength - b.textLength : 0) ||
    compareCodePoints(a.codeSort, b.codeSort) ||
    compareCodePoints(a.code, b.code) ||
    compareCodePoints(a.source, b.source)
  )
}

export function compareFeatures(a: RankFeatures, b: RankFeatures): number {
  return b.codeTier - a.codeTier || b.phrase - a.phrase || a.firstPos - b.firstPos
}
