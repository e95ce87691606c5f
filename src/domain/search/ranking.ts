/**
 * Ranking, defined once for every adapter. Integer features only, so the memory index and the SQL
 * `ORDER BY` agree exactly (no floating-point relevance that two engines would round differently):
 *   1. code tier: 2 = the job's code equals a code in the query, 1 = it lies under one, 0 = otherwise;
 *   2. lead + early, counted together (each says the name is about what was typed, neither outranks the other):
 *      lead: 1 when the name's head word (its first word of three letters or more, after quantities such as
 *      `1 m3`) is the query's first word — the work the name is about (`galian tanah` → `Penggalian … tanah`
 *      before `Urukan kembali galian tanah`; `pasang bata` → `Pemasangan … bata` before `Bongkar pasangan bata`);
 *      early: 1 when every word of a query of two words or more occurs among the name's first words
 *      (query words + 1, quantities left out: `rankPad`) — the words a name starts with, not a mention
 *      further on (`pasang bata` → `Pemasangan 1 m2 Dinding Bata …` before `Pemasangan 1 Buah Bak Mandi
 *      Pasangan Bata`; `urugan pasir` → `Urukan dengan Pasir Uruk` before `Urukan tanah … berpasir`);
 *   3. phrase: 1 when the query's words occur in the name in the order typed, adjacent;
 *   4. whole: 1 when the type-ahead word occurs as a whole word, not only as a prefix (`semen` before
 *      `sementara`);
 *   5. search-text length: shorter, more specific names first — only when the query has words, so a
 *      code-only query (`2.2.1`) lists its jobs in code order;
 *   6. natural code order (`1.2` < `1.10`), then code, then source (code-point order): a total order, so
 *      pagination is stable.
 * Features 5–6 do not depend on the query: when 1–4 are constant (the broad queries) both adapters walk a
 * precomputed order and stop after one page instead of ranking every match. Lengths, phrases and first
 * words are measured on the padded, stemmed search text (`rankPad`) both store.
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
  /** The query's first word (stems of ≥ 3 letters: its alternatives), as the head word sought; `prefix` when type-ahead. */
  lead?: { lexemes: string[]; prefix: boolean }
  /** `' word '`: the type-ahead word as a whole word. */
  whole?: string
  /**
   * Two clauses or more: per positive clause, what one of its alternatives begins with in the padded text
   * (`' word '`, `' a b '`, `' prefix'`), and the words of the name they must begin within.
   */
  early?: { needles: string[][]; words: number }
}

export interface RankFeatures {
  codeTier: number
  lead: number
  phrase: number
  whole: number
  early: number
  /** Length of the padded search text. */
  length: number
}

/** The order of a search whose features do not come from the job's name (`in=components`): the static one. */
export const STATIC_PROBE: RankProbe = { codes: [], byLength: true }

const UNITS = new Set(['m', 'kg', 'buah', 'bh', 'unit', 'titik', 'set', 'ton', 'ha', 'liter', 'lembar', 'batang', 'ls', 'btg', 'pcs'])

/**
 * The padded text rank features are measured on: the stems with the quantity a name states first removed
 * (`Penggalian 1 m3 tanah` → ` gali tanah `): estimators type the work, not the unit it is measured in, so
 * `galian tanah` is a phrase of `Penggalian 1 m3 tanah biasa`. Both adapters store this.
 */
export function rankPad(stems: readonly string[]): string {
  const out = [...stems]
  for (let i = 0; i + 1 < out.length; i++) {
    if (!/^\d+$/.test(out[i]) || !UNITS.has(out[i + 1])) continue
    const n = out[i + 1] === 'm' && (out[i + 2] === '2' || out[i + 2] === '3') ? 3 : 2
    out.splice(i, n)
    break
  }
  return ['', ...out, ''].join(' ')
}

/** The head word of a padded search text: its first token of three letters or more (SQL: the same regex). */
export const HEAD_WORD = / ([a-z]{3,}) /
const LEAD_LEXEME = /^[a-z]{3,}$/

export function headWord(searchPad: string): string {
  return HEAD_WORD.exec(searchPad)?.[1] ?? ''
}

export function rankProbe(q: ParsedQuery): RankProbe {
  const codes: string[] = []
  const sequence: string[] = []
  let sequenceEndsInPrefix = false
  let byLength = false
  let lead: RankProbe['lead']
  let whole: string | undefined
  let first = true
  for (const c of q.clauses) {
    if (c.negated) continue
    const head = c.alternatives[0]
    if (first && head.kind === 'terms') {
      const lexemes = [...new Set(c.alternatives.flatMap((a) => (a.kind === 'terms' && LEAD_LEXEME.test(a.lexemes[0]) ? [a.lexemes[0]] : [])))]
      if (lexemes.length > 0) lead = { lexemes, prefix: head.prefix && head.lexemes.length === 1 }
    }
    first = false
    if (c.typeAhead && head.kind === 'terms' && head.prefix) whole = ' ' + head.lexemes[head.lexemes.length - 1] + ' '
    for (const a of c.alternatives) {
      if (a.kind === 'code') codes.push(a.code)
      else byLength = true
    }
    if (head.kind === 'terms' && (c.alternatives.length === 1 || c.typeAhead)) {
      sequence.push(...head.lexemes)
      sequenceEndsInPrefix = head.prefix
    }
  }
  const phrase = sequence.length >= 2 ? ' ' + sequence.join(' ') + (sequenceEndsInPrefix ? '' : ' ') : undefined
  return { codes, phrase, byLength, lead, whole, early: earlyProbe(q) }
}

/** Words beyond the query's own the name may start with before a query word (`pasang dinding bata`). */
export const EARLY_SLACK = 1
/**
 * `early` is measured for queries as people type them — up to 6 words, each with at most a synonym or its
 * type-ahead form beside it — so its cost per matching row stays bounded (PostgreSQL computes it per row;
 * 24 OR alternatives cost 5× the whole search): longer or OR-heavy queries rank without it.
 */
const EARLY_MAX_CLAUSES = 6
const EARLY_MAX_ALTERNATIVES = 2

function earlyProbe(q: ParsedQuery): RankProbe['early'] {
  const positive = q.clauses.filter((c) => !c.negated)
  if (positive.length < 2 || positive.length > EARLY_MAX_CLAUSES) return undefined
  if (positive.some((c) => c.alternatives.length > EARLY_MAX_ALTERNATIVES || c.alternatives.some((a) => a.kind === 'code'))) return undefined
  const needles = positive.map((c) =>
    c.alternatives.map((a) => (a.kind === 'terms' ? ' ' + a.lexemes.join(' ') + (a.prefix ? '' : ' ') : '')),
  )
  return { needles, words: positive.length + EARLY_SLACK }
}

/**
 * Where the first `words` words of a padded text end: their lengths plus one space each, so a needle whose
 * first occurrence starts at index i (0-based) begins within them when i < earlyEnd. SQL computes the same
 * sum with `split_part` (catalog-query.ts), cheaper per row than a regular expression.
 */
export function earlyEnd(searchPad: string, words: number): number {
  let end = 0
  let at = 1
  for (let w = 0; w < words && at < searchPad.length; w++) {
    const next = searchPad.indexOf(' ', at)
    if (next < 0) break
    end += next - at + 1
    at = next + 1
  }
  return end
}

function isEarly(early: NonNullable<RankProbe['early']>, searchPad: string): boolean {
  const end = earlyEnd(searchPad, early.words)
  return early.needles.every((alts) => alts.some((x) => {
    const i = searchPad.indexOf(x)
    return i >= 0 && i < end
  }))
}

/** True when the query features are constant, so the static order is the ranking order. */
export function isStatic(probe: RankProbe): boolean {
  return probe.codes.length === 0 && probe.phrase === undefined && probe.lead === undefined && probe.whole === undefined &&
    probe.early === undefined
}

export function codeTier(probe: RankProbe, codeKey: string): number {
  let tier = 0
  for (const c of probe.codes) {
    if (codeKey === c) return 2
    if (codeKey.startsWith(c + '.')) tier = 1
  }
  return tier
}

export function rankFeatures(probe: RankProbe, codeKey: string, searchPad: string, head: string): RankFeatures {
  const l = probe.lead
  const lead = l !== undefined && l.lexemes.some((x) => (l.prefix ? head.startsWith(x) : head === x)) ? 1 : 0
  return {
    codeTier: codeTier(probe, codeKey),
    lead,
    phrase: probe.phrase !== undefined && searchPad.includes(probe.phrase) ? 1 : 0,
    whole: probe.whole !== undefined && searchPad.includes(probe.whole) ? 1 : 0,
    early: probe.early !== undefined && isEarly(probe.early, searchPad) ? 1 : 0,
    length: searchPad.length,
  }
}

/** Features 1–4 as one integer, larger = better (the memory index sorts by it, SQL by the columns). */
export function featureScore(f: RankFeatures): number {
  return f.codeTier * 32 + (f.lead + f.early) * 8 + f.phrase * 2 + f.whole
}

/** featureScore of the best possible match (code tier 2, every other feature 1). */
export const MAX_FEATURE_SCORE = 2 * 32 + 2 * 8 + 2 + 1

/** The `rank` reported with a hit: higher is better, never increasing along the order of one result. */
export function rankValue(f: RankFeatures, probe: RankProbe): number {
  const specificity = probe.byLength ? 1 / (1 + f.length / 64) : 1
  return Math.round((featureScore(f) * 2 + specificity) * 1e6) / 1e6
}

/** The query-independent part of the order (features 5–6). */
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
