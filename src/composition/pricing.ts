import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import type { PriceListStore } from '../ports/prices.js'
import type { Sql } from '../adapters/sql/client.js'
import { createPgPriceLists } from '../adapters/sql/price-lists.js'
import { createMemoryPriceLists } from '../adapters/memory/price-lists.js'
import type { CachedCatalog } from '../use-cases/catalog/cached-catalog.js'
import { createImportPrices, type ImportPrices } from '../use-cases/pricing/import-prices.js'
import { createPricing, type Pricing } from '../use-cases/pricing/pricing.js'

export interface PricingUseCases {
  prices: PriceListStore
  importPrices: ImportPrices
  pricing: Pricing
  listChanged(list: string, version: number): Promise<void>
}

/** Price lists in PostgreSQL with a database, else in memory; prices and estimates cached on the shared cache. */
export async function createPricingUseCases(
  deps: { sql?: Sql; catalogStore: CatalogStore; catalog: CachedCatalog; cache: CachePort; logger: Logger },
  config: Pick<Config, 'fts' | 'pricing'>,
): Promise<PricingUseCases> {
  const prices = deps.sql ? await createPgPriceLists(deps.sql) : createMemoryPriceLists()
  const pricing = createPricing({
    catalog: deps.catalogStore,
    catalogGeneration: () => deps.catalog.generation(),
    prices,
    cache: deps.cache,
    ttl: config.fts.cacheResults ? config.fts.cacheTtl : 0,
    overheadPercent: config.pricing.overheadPercent,
    taxPercent: config.pricing.taxPercent,
    logger: deps.logger,
  })
  const listChanged = (list: string, version: number) => pricing.listChanged(list, version)
  const importPrices = createImportPrices({ prices, catalog: deps.catalogStore, onChanged: listChanged })
  return { prices, importPrices, pricing, listChanged }
}
