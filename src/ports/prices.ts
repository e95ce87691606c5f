/**
 * Price lists: named sets of item prices in rupiah (e.g. one per region and year), user data kept by a
 * store with one semantics on every adapter (memory, PostgreSQL), checked by
 * `test/contracts/price-list.contract.ts`.
 *
 * - **Names** are 1–64 characters `[A-Za-z0-9._-]` (validated by the caller; stores trust them).
 * - **Prices** are exact canonical decimal strings (`1250000.5`, `0`), never floats; the store returns
 *   them as given.
 * - **Items** are keyed by `itemCode` within a list (the catalog's item code the price was matched to).
 * - **Version**: every `replace` gives the list a new version, greater than every version any list of
 *   the store ever had (so a list deleted and created again never reuses one). `version()` of an absent
 *   list is 0. Cached prices are stamped with it: a new version makes them stale.
 * - A miss (`get`, `version` of an absent list) is `undefined` / 0, never an error.
 * - **Errors**: a backend that cannot answer throws `BackendUnavailableError` (503).
 */
export interface PriceItem {
  itemCode: string
  description: string
  unit: string
  /** Canonical decimal text, rupiah. */
  price: string
}

export interface PriceList {
  list: string
  items: PriceItem[]
  /** ISO 8601 time of the last replace. */
  updatedAt: string
  version: number
}

export interface PriceListSummary {
  list: string
  /** Number of items. */
  items: number
  updatedAt: string
}

export interface ReplaceSummary {
  created: number
  updated: number
  unchanged: number
  removed: number
  version: number
}

export interface PriceListStore {
  /** Replace the list's items as a whole (creating the list), atomically; items sorted by `itemCode`. */
  replace(list: string, items: readonly PriceItem[]): Promise<ReplaceSummary>
  /** The list with its items sorted by `itemCode`, or `undefined`. */
  get(list: string): Promise<PriceList | undefined>
  /** Every list, sorted by name. */
  lists(): Promise<PriceListSummary[]>
  /** True if the list existed. */
  delete(list: string): Promise<boolean>
  /** The list's current version; 0 when there is no such list. */
  version(list: string): Promise<number>
  close(): Promise<void>
}

export const PRICE_LIST_NAME = /^[A-Za-z0-9._-]{1,64}$/
