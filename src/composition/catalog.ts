import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import type { PgPools } from './pools.js'
import { readShippedReference } from '../adapters/reference/files.js'
import { parseReference } from '../use-cases/import/reference.js'
import { createShippedMemoryCatalog } from './catalog-embedded.js'

export interface CatalogOptions {
  /** `CATALOG_SEED`: an empty PostgreSQL catalog is filled with the shipped reference at start. */
  seed: boolean
}

/**
 * PostgreSQL catalog on its pools (reads, imports) when there is a database (seeded with the shipped SNI 2025
 * reference when empty); else the shipped reference in memory — the embedded default.
 */
export async function createCatalog(pools: PgPools | undefined, logger: Logger, options: CatalogOptions): Promise<CatalogStore> {
  if (!pools) return createShippedMemoryCatalog(readShippedReference(), logger)
  const { createPgCatalog } = await import('../adapters/sql/catalog.js')
  const catalog = await createPgCatalog(pools.catalog, { imports: pools.imports })
  if (options.seed) await seedIfEmpty(catalog, logger)
  return catalog
}

/**
 * Several instances may start at once: each may see the catalog empty and import, but imports are
 * serialised by the store (an advisory transaction lock) and idempotent, so the second changes nothing.
 * A database that cannot be read or written at start is reported, not fatal: the API serves what it can.
 */
async function seedIfEmpty(catalog: CatalogStore, logger: Logger): Promise<void> {
  try {
    const sources = await catalog.sources()
    if (sources.some((s) => s.jobs > 0)) return
    const started = performance.now()
    const summary = await catalog.upsertJobs(parseReference(readShippedReference()))
    logger.info('catalog was empty: seeded with the shipped SNI 2025 reference (CATALOG_SEED=false skips this)', {
      ...summary,
      ms: Math.round(performance.now() - started),
    })
  } catch (err) {
    logger.warn('catalog could not be seeded at start', { err: (err as Error).message })
  }
}
