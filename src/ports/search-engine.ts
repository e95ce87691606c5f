/**
 * The search engine port: what a catalog adapter evaluates so that the shared search flow
 * (`domain/search/search.ts`) can run on it. The adapter owns matching and ordering of a parsed query over
 * its storage; parsing, paging checks and the fuzzy fallback are shared and pure.
 */
import type { Category } from './catalog.js'
import type { ParsedQuery } from '../domain/search/query-parser.js'

export interface SearchFilters {
  /** Exact (cleaned) source. */
  source?: string
  /** Only jobs having at least one component of this category. */
  category?: Category
}

/** A word of a query the fuzzy fallback asks about. */
export interface WordProbe {
  lexeme: string
  /** As a prefix (type-ahead). */
  prefix: boolean
  /** Its trigrams (`domain/search/fuzzy.ts`). */
  trigrams: string[]
}

/** The vocabulary an adapter exposes: every indexed lexeme. */
export interface Vocabulary {
  /**
   * For each word, in one round trip for the whole query: `undefined` when the catalog knows it (names or
   * items; with `prefix`, any lexeme starting with it), else the words of this collection sharing at least
   * one trigram with it and within `maxEdits(lexeme)` of its length (a superset of the close ones is fine).
   */
  lookup(words: readonly WordProbe[]): Promise<(string[] | undefined)[]> | (string[] | undefined)[]
}

/**
 * One searchable collection of an adapter: jobs by name, jobs by their components' items, or items.
 * `Hit` is what a page holds (a job with its rank, an item with its job count).
 */
export interface SearchEngine<Hit> {
  /**
   * One page of the documents matching `q` (which has a positive clause), in ranking order, and the total.
   * Errors: the adapter's (a store that does not answer is `BackendUnavailableError`).
   */
  run(q: ParsedQuery, filters: SearchFilters, offset: number, limit: number): Promise<{ total: number; items: Hit[] }>
  /** `has` answers for the whole catalog (names and items); `candidates` only from this collection. */
  vocabulary: Vocabulary
}
