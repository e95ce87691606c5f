/**
 * The CatalogStore contract, run against every adapter on the real SNI 2025 data. Expected results are
 * written out (not taken from one adapter), so both adapters passing means both give the same answers.
 */
import { describe } from 'vitest'
import type { CatalogStore, JobWithComponents } from '../../src/ports/catalog.js'
import { searchCases } from './catalog-search.cases.js'
import { storeCases } from './catalog-store.cases.js'
import { itemCases } from './catalog-items.cases.js'

export interface CatalogFactory {
  /** A fresh, empty store (its own schema / process state), and how to dispose of it. */
  create(): Promise<{ store: CatalogStore; dispose(): Promise<void> }>
}

export interface CatalogContext {
  /** The store loaded with the real jobs (shared by the read-only search cases). */
  loaded(): CatalogStore
  jobs: JobWithComponents[]
}

export function describeCatalogContract(name: string, factory: CatalogFactory): void {
  describe(`CatalogStore contract: ${name}`, () => {
    searchCases(factory)
    storeCases(factory)
    itemCases(factory)
  })
}
