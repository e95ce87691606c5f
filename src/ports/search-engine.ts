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

/** The vocabulary an adapter exposes: every indexed lexeme. */
export interface Vocabulary {
  /** True if `lexeme` (or, with `prefix`, any lexeme starting with it) is indexed. */
  has(lexeme: string, prefix: boolean): Promise<boolean> | boolean
  /** Indexed words sharing at least one trigram with `trigrams` (a superset of the answer is fine). */
  candidates(trigrams: string[]): Promise<string[]> | string[]
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
