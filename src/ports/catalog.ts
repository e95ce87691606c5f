/**
 * The AHSP catalog: jobs (pekerjaan) with their components (rincian), and full-text search over jobs.
 * One semantics on every adapter (memory, PostgreSQL), checked by `test/contracts/catalog.contract.ts`.
 */
export type Category = 'TK' | 'BHN' | 'ALT' | 'LAIN'
export const CATEGORIES: readonly Category[] = ['TK', 'BHN', 'ALT', 'LAIN']

export interface Job {
  /** Source / edition, e.g. `AHSP 2025`. (source, code) is unique. */
  source: string
  /** Dotted job code, e.g. `1.1.1.1`. */
  code: string
  name: string
  unit: string
  classification: string
  subClassification: string
}

export interface Component {
  category: Category
  itemCode: string
  description: string
  unit: string
  /** Exact decimal as a string (`"0.038700"` may be normalised to `"0.0387"`), never a rounded float. */
  coefficient: string
}

export interface JobWithComponents extends Job {
  components: Component[]
}

/** Bounds of a search request, defined once (the HTTP routes validate against them too). */
export const SEARCH_LIMITS = {
  /** Results per page. */
  maxLimit: 100,
  /** Deepest page. */
  maxPage: 10_000,
  /** Longest query text, in characters; longer is a 400 at the HTTP edge, cut at this length below it. */
  maxQueryChars: 500,
} as const

/** What a job search matches `q` against: the job's name (default) or its components' items. */
export type SearchIn = 'name' | 'components'
export const SEARCH_IN: readonly SearchIn[] = ['name', 'components']

/** An item (resource) as the catalog's components name it: what a price list prices. */
export interface CatalogItem {
  itemCode: string
  description: string
  unit: string
  category: Category
}

export interface SearchQuery {
  /** Raw user query: words, "quoted phrases", OR, -exclude, codes and code prefixes. */
  q: string
  /** `components`: the jobs having a component whose item matches `q` (ordered like a one-word search). */
  in?: SearchIn
  source?: string
  /** Only jobs having at least one component of this category. */
  category?: Category
  /** 1-based. */
  page: number
  /** 1..100. */
  limit: number
}

export interface SearchHit extends Job {
  /** Higher is better; comparable only within one result. */
  rank: number
}

export interface SearchResult {
  total: number
  items: SearchHit[]
  /** True when nothing matched exactly and the typo-tolerant (trigram) fallback produced the items. */
  fuzzy?: boolean
}

/** A distinct item (labour, material, equipment) that components name, with how many jobs use it. */
export interface Item {
  category: Category
  itemCode: string
  description: string
  unit: string
  jobs: number
}

export interface ItemQuery {
  /** Same syntax and matching as job search, on the item's description. */
  q: string
  category?: Category
  page: number
  limit: number
}

export interface ItemResult {
  total: number
  items: Item[]
  fuzzy?: boolean
}

export interface ImportSummary {
  created: number
  /** Jobs that existed and whose fields or components changed. */
  updated: number
  /** Jobs that existed and were identical (a re-import of the same file yields only these). */
  unchanged: number
  /** Components written (of created and updated jobs). */
  components: number
}

/** A job as a caller names it: without `source`, the job of that code from the first source in sort order. */
export interface JobRef {
  code: string
  source?: string
}

export interface CatalogStore {
  search(query: SearchQuery): Promise<SearchResult>
  /** The distinct items of the catalog matching `q`, best first (same ranking as jobs, on descriptions). */
  searchItems(query: ItemQuery): Promise<ItemResult>
  /** The job with its components; without `source`, the job of that code from the first source in sort order. `undefined` if none. */
  getJob(code: string, source?: string): Promise<JobWithComponents | undefined>
  /**
   * Many jobs at once (an estimate's lines): for each ref what `getJob(code, source)` answers, in the order
   * of `refs`. PostgreSQL answers them in two statements, not two per job.
   */
  getJobs(refs: readonly JobRef[]): Promise<(JobWithComponents | undefined)[]>
  /** Sources with their job counts, sorted by source. */
  sources(): Promise<{ source: string; jobs: number }[]>
  /**
   * Upsert by (source, code); each job's components are replaced as a whole. All-or-nothing: one
   * transaction. Bumps the generation when anything changed. `onProgress(done, total)` is optional.
   */
  upsertJobs(jobs: readonly JobWithComponents[], onProgress?: (done: number, total: number) => void): Promise<ImportSummary>
  /**
   * Every distinct (itemCode, description, unit, category) of the components, sorted by itemCode, then
   * description, unit, category (code points). Empty catalog → `[]`.
   */
  items(): Promise<CatalogItem[]>
  /** Catalog generation: a counter bumped by every import that changed something. Durable. */
  generation(): Promise<number>
  close(): Promise<void>
}
