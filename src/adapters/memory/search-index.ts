/**
 * In-memory inverted index over job names: lexeme → doc ids, with per-doc token positions for phrases.
 * Evaluates the shared `ParsedQuery` with bitsets and sorts by the shared ranking (see ranking.ts).
 * Each position holds the stem and, when it differs, the unstemmed word (as the PostgreSQL tsvector does).
 */
import type { JobWithComponents } from '../../ports/catalog.js'
import { codeKey, codeSortKey, words } from '../../domain/search/normalise.js'
import { stemIndonesian } from '../../domain/search/indonesian-stemmer.js'
import type { Alternative, ParsedQuery } from '../../domain/search/query-parser.js'
import { compareStatic, featureScore, MAX_FEATURE_SCORE, headWord, rankPad, isStatic, rankFeatures, type RankFeatures, type RankProbe } from '../../domain/search/ranking.js'
import { trigrams } from '../../domain/search/fuzzy.js'
import { MAX_TOKENS_PER_TEXT } from '../../domain/search/normalise.js'
import { Bitset } from './bitset.js'

export interface IndexedDoc {
  id: number
  job: JobWithComponents
  codeKey: string
  codeSort: string
  /** `' ' + stems + ' '`, what rank features are measured on (ranking.ts). */
  searchPad: string
  /** The head word (ranking.ts `headWord`). */
  head: string
  stems: string[]
  raws: string[]
  categoryMask: number
}

export const CATEGORY_BITS = { TK: 1, BHN: 2, ALT: 4, LAIN: 8 } as const

const ORDINAL_SPAN = 2097152 // max docs for the packed sort key (2^21)
/** Docs a walk of the static order may visit before sorting the matches is cheaper. */
const WALK_BUDGET = 4096
const DENSE_POSTINGS = 1024

/** The query-independent orders [by length then code, by code only]: doc ids, and each doc's place. */
interface StaticOrders {
  ids: [Int32Array, Int32Array]
  ordinalOf: [Int32Array, Int32Array]
}

export class SearchIndex {
  readonly docs: (IndexedDoc | undefined)[] = []
  private readonly free: number[] = []
  private readonly postings = new Map<string, Set<number>>()
  private readonly intern = new Map<string, string>()
  private sortedLexemes?: string[]
  private byCode?: { key: string; id: number }[]
  private orders?: StaticOrders
  private readonly dense = new Map<string, Bitset>()
  private trigramIndex?: Map<string, string[]>

  add(job: JobWithComponents): IndexedDoc {
    const raws = words(job.name)
      .slice(0, MAX_TOKENS_PER_TEXT)
      .map((w) => this.internWord(w))
    const stems = raws.map((w) => this.internWord(stemIndonesian(w)))
    const searchPad = rankPad(stems)
    const id = this.free.pop() ?? this.docs.length
    let categoryMask = 0
    for (const c of job.components) categoryMask |= CATEGORY_BITS[c.category]
    const doc: IndexedDoc = {
      id,
      job,
      codeKey: codeKey(job.code),
      codeSort: codeSortKey(job.code),
      // join() yields a flat string (a `+` concatenation would be a rope, flattened on first search).
      searchPad,
      head: headWord(searchPad),
      stems,
      raws,
      categoryMask,
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
    if (!this.sortedLexemes) {
      this.sortedLexemes = [...this.postings.keys()].sort()
      this.trigramIndex = undefined
    }
    return this.sortedLexemes
  }

  /**
   * Indexed lexemes sharing at least one trigram with `grams` and within `edits` of `length` in length (the
   * fuzzy fallback's candidates: a word further in length is further in edits).
   */
  candidates(grams: string[], length: number, edits: number): string[] {
    const all = this.lexemes()
    if (!this.trigramIndex) {
      this.trigramIndex = new Map()
      for (const w of all) {
        for (const t of trigrams(w)) {
          const list = this.trigramIndex.get(t)
          if (list) list.push(w)
          else this.trigramIndex.set(t, [w])
        }
      }
    }
    const out = new Set<string>()
    for (const t of grams) {
      for (const w of this.trigramIndex.get(t) ?? []) if (Math.abs(w.length - length) <= edits) out.add(w)
    }
    return [...out]
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
   * With constant query features (no code, no phrase) the order is the precomputed one: dense matches
   * walk it and stop after the page, sparse ones sort their ordinals (ints). Otherwise each match gets
   * one packed float key (features 1–2, then the ordinal) and a numeric sort gives the order.
   */
  rank(
    probe: RankProbe,
    bits: Bitset,
    accept: ((doc: IndexedDoc) => boolean) | undefined,
    offset: number,
    limit: number,
  ): { total: number; page: { doc: IndexedDoc; features: RankFeatures }[] } {
    const which = probe.byLength ? 0 : 1
    const order = this.prepare()
    const ordinalOf = order.ordinalOf[which]
    const byOrdinal = order.ids[which]
    // Without filters the total is a popcount; the ids are listed only when the matches get sorted.
    let list: Int32Array | undefined
    const ids = () => (list ??= accept ? bits.ids().filter((id) => accept(this.docs[id]!)) : bits.ids())
    const total = accept ? ids().length : bits.count()
    const hit = (id: number) => {
      const doc = this.docs[id]!
      return { doc, features: rankFeatures(probe, doc.codeKey, doc.searchPad, doc.head) }
    }
    if (total === 0 || offset >= total) return { total, page: [] }
    if (isStatic(probe)) {
      if (((offset + limit) * byOrdinal.length) / total <= WALK_BUDGET) {
        const page: number[] = []
        let seen = 0
        for (let o = 0; o < byOrdinal.length && seen < offset + limit; o++) {
          const id = byOrdinal[o]
          if (!bits.has(id) || (accept && !accept(this.docs[id]!))) continue
          if (seen++ >= offset) page.push(id)
        }
        return { total, page: page.map(hit) }
      }
      const ordinals = Int32Array.from(ids(), (id) => ordinalOf[id]).sort()
      return { total, page: Array.from(ordinals.subarray(offset, offset + limit), (o) => hit(byOrdinal[o])) }
    }
    const matches = ids()
    const keys = new Float64Array(total)
    for (let i = 0; i < total; i++) {
      const doc = this.docs[matches[i]]!
      const f = rankFeatures(probe, doc.codeKey, doc.searchPad, doc.head)
      keys[i] = (MAX_FEATURE_SCORE - featureScore(f)) * ORDINAL_SPAN + ordinalOf[matches[i]]
    }
    keys.sort()
    return { total, page: Array.from(keys.subarray(offset, offset + limit), (k) => hit(byOrdinal[k % ORDINAL_SPAN])) }
  }

  /** Builds the lazily kept structures now (after an import), so no search pays for them. */
  prepare(): StaticOrders {
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
    if (!prefix) return this.addPostings(out, lexeme)
    const all = this.lexemes()
    for (let i = lowerBound(all, lexeme); i < all.length && all[i].startsWith(lexeme); i++) this.addPostings(out, all[i])
    return out
  }

  /** Frequent lexemes keep a ready bitset (OR-ing 3,000 words beats setting 60,000 bits one by one). */
  private addPostings(out: Bitset, lexeme: string): Bitset {
    const ids = this.postings.get(lexeme)
    if (!ids) return out
    if (ids.size < DENSE_POSTINGS) {
      for (const id of ids) out.set(id)
      return out
    }
    let dense = this.dense.get(lexeme)
    if (!dense) {
      dense = new Bitset(this.docs.length)
      for (const id of ids) dense.set(id)
      this.dense.set(lexeme, dense)
    }
    return out.or(dense)
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

  private ordinals(): StaticOrders {
    if (this.orders) return this.orders
    const keyed = this.docs
      .filter((d): d is IndexedDoc => d !== undefined)
      .map((d) => ({ d, k: { textLength: d.searchPad.length, codeSort: d.codeSort, code: d.job.code, source: d.job.source } }))
    const orders: StaticOrders = { ids: [new Int32Array(0), new Int32Array(0)], ordinalOf: [new Int32Array(0), new Int32Array(0)] }
    for (const which of [0, 1] as const) {
      const sorted = [...keyed].sort((a, b) => compareStatic(a.k, b.k, which === 0))
      orders.ids[which] = Int32Array.from(sorted, (x) => x.d.id)
      orders.ordinalOf[which] = new Int32Array(this.docs.length)
      sorted.forEach((x, o) => (orders.ordinalOf[which][x.d.id] = o))
    }
    this.orders = orders
    return orders
  }

  private invalidate(): void {
    this.byCode = undefined
    this.orders = undefined
    this.dense.clear()
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
