/**
 * Ranking, defined once for every adapter. Integer features only, so the memory index and the SQL
 * `ORDER BY` agree exactly (no floating-point relevance that two engines would round differently):
 *   1. code tier: 2 = the job's code equals a code in the query, 1 = it lies under one, 0 = otherwise;
 *   2. phrase: 1 when the query's words occur in the name in the order typed, adjacent;
 *   3. search-text length: shorter, more specific names first — only when the query has words, so a
 *      code-only query (`2.2.1`) lists its jobs in code order;
 *   4. natural code order (`1.2` < `1.10`), then code, then source (code-point order): a total order, so
 *      pagination is stable.
 * Features 3–4 do not depend on the query: when 1–2 are constant (one-word queries, the broad ones) both
 * adapters walk a precomputed order and stop after one page instead of ranking every match. Lengths and
 * phrases are measured on the padded, stemmed search text (`' ' + searchText(name) + ' '`) both store.
 */
import { compareCodePoints } from './normalise.js'
import type { ParsedQuery } from './query-parser.js'

export interface RankProbe {
  /** Codes of positive clauses. */
  codes: string[]
  /** The query's words in order, `' a b '` (no trailing space after a prefix); undefined under two words. */
  phrase?: string
  /** True when the query has words (not only codes): length then orders before code. */
  byLength: boolean
}

export interface RankFeatures {
  codeTier: number
  phrase: number
  /** Length of the padded search text. */
  length: number
}

/** The order of a search whose features do not come from the job's name (`in=components`): the static one. */
export const STATIC_PROBE: RankProbe = { codes: [], byLength: true }

export function rankProbe(q: ParsedQuery): RankProbe {
  const codes: string[] = []
  const sequence: string[] = []
  let sequenceEndsInPrefix = false
  let byLength = false
  for (const c of q.clauses) {
    if (c.negated) continue
    for (const a of c.alternatives) {
      if (a.kind === 'code') codes.push(a.code)
      else byLength = true
    }
    const first = c.alternatives[0]
    if (first.kind === 'terms' && (c.alternatives.length === 1 || c.typeAhead)) {
      sequence.push(...first.lexemes)
      sequenceEndsInPrefix = first.prefix
    }
  }
  const phrase = sequence.length >= 2 ? ' ' + sequence.join(' ') + (sequenceEndsInPrefix ? '' : ' ') : undefined
  return { codes, phrase, byLength }
}

export function codeTier(probe: RankProbe, codeKey: string): number {
  let tier = 0
  for (const c of probe.codes) {
    if (codeKey === c) return 2
    if (codeKey.startsWith(c + '.')) tier = 1
  }
  return tier
}

export function rankFeatures(probe: RankProbe, codeKey: string, searchPad: string): RankFeatures {
  return {
    codeTier: codeTier(probe, codeKey),
    phrase: probe.phrase !== undefined && searchPad.includes(probe.phrase) ? 1 : 0,
    length: searchPad.length,
  }
}

/** The `rank` reported with a hit: higher is better, never increasing along the order of one result. */
export function rankValue(f: RankFeatures, probe: RankProbe): number {
  const specificity = probe.byLength ? 1 / (1 + f.length / 64) : 1
  return Math.round((f.codeTier * 10 + f.phrase * 2 + specificity) * 1e6) / 1e6
}

/** The query-independent part of the order (features 3–4). */
export interface StaticOrderKey {
  textLength: number
  codeSort: string
  code: string
  source: string
}

export function compareStatic(a: StaticOrderKey, b: StaticOrderKey, byLength = true): number {
  return (
    (byLength ? a.textLength - b.textLength : 0) ||
    (a.codeSort < b.codeSort ? -1 : a.codeSort > b.codeSort ? 1 : 0) ||
    compareCodePoints(a.code, b.code) ||
    compareCodePoints(a.source, b.source)
  )
}
