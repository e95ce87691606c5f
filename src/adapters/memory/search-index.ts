/**
 * In-memory inverted index over job names: lexeme → doc ids, with per-doc token positions for phrases.
 * Evaluates the shared `ParsedQuery` with bitsets and sorts by the shared ranking (see ranking.ts).
 * Each position holds the stem and, when it differs, the unstemmed word (as the PostgreSQL tsvector does).
 */
import type { JobWithComponents } from '../../ports/catalog.js'
import { codeKey, codeSortKey, words } from '../../use-cases/search/normalise.js'
import { stemIndonesian } from '../../use-cases/search/indonesian-stemmer.js'
import type { Alternative, ParsedQuery } from '../../use-cases/search/query-parser.js'
import { compareStatic, rankFeatures, rankProbe, type RankFeatures } from '../../use-cases/search/ranking.js'
import { MAX_TOKENS_PER_TEXT } from '../../use-cases/search/normalise.js'
import { Bitset } from './bitset.js'

export interface IndexedDoc {
  id: number
  job: JobWithComponents
  codeKey: string
  codeSort: string
  /** `' ' + stems + ' '`, what rank features are measured on (ranking.ts). */
  searchPad: string
  stems: string[]
  raws: string[]
  categoryMask: number
  /** Position in the query-independent order: [by length then code, by code only]. */
  ordinal: [number, number]
}

export const CATEGORY_BITS = { TK: 1, BHN: 2, ALT: 4, LAIN: 8 } as const

const ORDINAL_SPAN = 2097152 // max docs for the packed sort key (2^21)

export class SearchIndex {
  readonly docs: (IndexedDoc | undefined)[] = []
  private readonly free: number[] = []
  private readonly postings = new Map<string, Set<number>>()
  private readonly intern = new Map<string, string>()
  private sortedLexemes?: string[]
  private byCode?: { key: string; id: number }[]
  private byOrdinal?: [IndexedDoc[], IndexedDoc[]]

  add(job: JobWithComponents): IndexedDoc {
    const raws = words(job.name)
      .slice(0, MAX_TOKENS_PER_TEXT)
      .map((w) => this.internWord(w))
    const stems = raws.map((w) => this.internWord(stemIndonesian(w)))
    const id = this.free.pop() ?? this.docs.length
    let categoryMask = 0
    for (const c of job.components) categoryMask |= CATEGORY_BITS[c.category]
    const doc: IndexedDoc = {
      id,
      job,
      codeKey: codeKey(job.code),
      codeSort: codeSortKey(job.code),
      searchPad: ' ' + stems.join(' ') + ' ',
      stems,
      raws,
      categoryMask,
      ordinal: [0, 0],
    }
    this.docs[id] = doc
    for (const lex of new Set([...stems, ...raws])) {
      let set = this.postings.get(lex)
      if (!set) {
        set = new Set()
        this.postings.set(lex, set)
        this.sortedLexemes = undefined
      }
      set.add(id)
    }
    this.invalidate()
    return doc
  }

  remove(id: number): void {
    const doc = this.docs[id]
    if (!doc) return
    for (const lex of new Set([...doc.stems, ...doc.raws])) {
      const set = this.postings.get(lex)
      set?.delete(id)
      if (set?.size === 0) {
        this.postings.delete(lex)
        this.intern.delete(lex)
        this.sortedLexemes = undefined
      }
    }
    this.docs[id] = undefined
    this.free.push(id)
    this.invalidate()
  }

  /** Every indexed lexeme (stems and unstemmed words). */
  lexemes(): string[] {
    this.sortedLexemes ??= [...this.postings.keys()].sort()
    return this.sortedLexemes
  }

  hasLexeme(lexeme: string, prefix: boolean): boolean {
    if (!prefix) return this.postings.has(lexeme)
    const all = this.lexemes()
    const at = lowerBound(all, lexeme)
    return at < all.length && all[at].startsWith(lexeme)
  }

  /** Ids of the docs matching every clause, as a bitset. */
  match(q: ParsedQuery): Bitset {
    let result: Bitset | undefined
    for (const c of q.clauses.filter((c) => !c.negated)) {
      const set = this.clause(c.alternatives)
      result = result ? result.and(set) : set
    }
    result ??= new Bitset(this.docs.length)
    for (const c of q.clauses.filter((c) => c.negated)) result.andNot(this.clause(c.alternatives))
    return result
  }

  /**
   * The total and the page [offset, offset + limit) of the docs in `bits` that `accept`, in ranking order.
   * With constant query features (no code, no phrase) that is the precomputed order: one pass, no sort.
   */
  rank(
    q: ParsedQuery,
    bits: Bitset,
    accept: (doc: IndexedDoc) => boolean,
    offset: number,
    limit: number,
  ): { total: number; page: { doc: IndexedDoc; features: RankFeatures }[] } {
    const probe = rankProbe(q)
    const which = probe.byLength ? 0 : 1
    const byOrdinal = this.prepare()[which]
    if (probe.codes.length === 0 && probe.phrase === undefined) {
      const page: { doc: IndexedDoc; features: RankFeatures }[] = []
      let total = 0
      for (const doc of byOrdinal) {
        if (!bits.has(doc.id) || !accept(doc)) continue
        if (total >= offset && total < offset + limit) page.push({ doc, features: rankFeatures(probe, doc.codeKey, doc.searchPad) })
        total++
      }
      return { total, page }
    }
    // One float per hit packs features 1–2 and the static ordinal (features 3–4): a numeric sort of a
    // Float64Array gives the whole order.
    const docs = bits.ids().map((id) => this.docs[id]!).filter(accept)
    const keys = new Float64Array(docs.length)
    docs.forEach((doc, i) => {
      const f = rankFeatures(probe, doc.codeKey, doc.searchPad)
      keys[i] = ((2 - f.codeTier) * 2 + (1 - f.phrase)) * ORDINAL_SPAN + doc.ordinal[which]
    })
    keys.sort()
    const page = Array.from(keys.subarray(offset, offset + limit), (k) => {
      const doc = byOrdinal[k % ORDINAL_SPAN]
      return { doc, features: rankFeatures(probe, doc.codeKey, doc.searchPad) }
    })
    return { total: docs.length, page }
  }

  /** Builds the lazily kept structures now (after an import), so no search pays for them. */
  prepare(): [IndexedDoc[], IndexedDoc[]] {
    this.lexemes()
    this.codeList()
    return this.ordinals()
  }

  private clause(alternatives: Alternative[]): Bitset {
    let set: Bitset | undefined
    for (const a of alternatives) {
      const s = a.kind === 'code' ? this.codes(a.code) : this.terms(a.lexemes, a.prefix)
      set = set ? set.or(s) : s
    }
    return set ?? new Bitset(this.docs.length)
  }

  private lexemeSet(lexeme: string, prefix: boolean): Bitset {
    const out = new Bitset(this.docs.length)
    if (!prefix) {
      for (const id of this.postings.get(lexeme) ?? []) out.set(id)
      return out
    }
    const all = this.lexemes()
    for (let i = lowerBound(all, lexeme); i < all.length && all[i].startsWith(lexeme); i++) {
      for (const id of this.postings.get(all[i])!) out.set(id)
    }
    return out
  }

  private terms(lexemes: string[], prefix: boolean): Bitset {
    let set = this.lexemeSet(lexemes[0], prefix && lexemes.length === 1)
    if (lexemes.length === 1) return set
    for (let i = 1; i < lexemes.length; i++) {
      set = set.and(this.lexemeSet(lexemes[i], prefix && i === lexemes.length - 1))
    }
    const out = new Bitset(this.docs.length)
    for (const id of set.ids()) if (hasPhrase(this.docs[id]!, lexemes, prefix)) out.set(id)
    return out
  }

  private codeList(): { key: string; id: number }[] {
    this.byCode ??= this.docs
      .filter((d): d is IndexedDoc => d !== undefined)
      .map((d) => ({ key: d.codeKey, id: d.id }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    return this.byCode
  }

  private codes(code: string): Bitset {
    const out = new Bitset(this.docs.length)
    const keys = this.codeList()
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (keys[mid].key < code) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < keys.length && keys[i].key.startsWith(code); i++) {
      const k = keys[i].key
      if (k === code || k[code.length] === '.') out.set(keys[i].id)
    }
    return out
  }

  private ordinals(): [IndexedDoc[], IndexedDoc[]] {
    if (this.byOrdinal) return this.byOrdinal
    const keyed = this.docs
      .filter((d): d is IndexedDoc => d !== undefined)
      .map((d) => ({ d, k: { textLength: d.searchPad.length, codeSort: d.codeSort, code: d.job.code, source: d.job.source } }))
    const orders = [true, false].map((byLength, which) => {
      const sorted = [...keyed].sort((a, b) => compareStatic(a.k, b.k, byLength)).map((x) => x.d)
      sorted.forEach((d, i) => (d.ordinal[which] = i))
      return sorted
    })
    this.byOrdinal = [orders[0], orders[1]]
    return this.byOrdinal
  }

  private invalidate(): void {
    this.byCode = undefined
    this.byOrdinal = undefined
  }

  private internWord(w: string): string {
    const known = this.intern.get(w)
    if (known !== undefined) return known
    this.intern.set(w, w)
    return w
  }
}

function matchesAt(doc: IndexedDoc, pos: number, lexeme: string, prefix: boolean): boolean {
  const s = doc.stems[pos]
  const r = doc.raws[pos]
  return prefix ? s.startsWith(lexeme) || r.startsWith(lexeme) : s === lexeme || r === lexeme
}

function hasPhrase(doc: IndexedDoc, lexemes: string[], prefix: boolean): boolean {
  const last = lexemes.length - 1
  outer: for (let p = 0; p + last < doc.stems.length; p++) {
    for (let i = 0; i <= last; i++) {
      if (!matchesAt(doc, p + i, lexemes[i], prefix && i === last)) continue outer
    }
    return true
  }
  return false
}

function lowerBound(sorted: string[], x: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
