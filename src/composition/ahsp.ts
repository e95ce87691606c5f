import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import { createCachedCatalog, type CachedCatalog } from '../use-cases/catalog/cached-catalog.js'
import { createImportCatalog, type ImportCatalog } from '../use-cases/import/import-catalog.js'

export interface AhspUseCases {
  /** Search, job and sources reads, cached through the CachePort and made stale by an import. */
  catalog: CachedCatalog
  /** `POST /ahsp/import` and `npm run cli -- catalog import`: an import that changes something invalidates `catalog`. */
  importCatalog: ImportCatalog
}

/** The catalog use cases on a store and the shared cache, with the `FTS_*` settings. */
export function createAhspUseCases(store: CatalogStore, cache: CachePort, config: Pick<Config, 'fts'>, logger: Logger): AhspUseCases {
  const { cacheResults, cacheTtl, minQueryLength } = config.fts
  const catalog = createCachedCatalog({ store, cache, enabled: cacheResults, ttl: cacheTtl, minQueryLength, logger })
  const importCatalog = createImportCatalog({ store, onChanged: () => catalog.invalidate() })
  return { catalog, importCatalog }
}
