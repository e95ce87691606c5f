import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { CatalogStore } from '../ports/catalog.js'
import type { Logger } from '../ports/logger.js'
import type { PriceListStore } from '../ports/prices.js'
import type { CachedCatalog } from '../use-cases/catalog/cached-catalog.js'
import { createImportPrices, type ImportPrices } from '../use-cases/pricing/import-prices.js'
import { createPricing, type Pricing } from '../use-cases/pricing/pricing.js'

export interface PricingUseCases {
  prices: PriceListStore
  importPrices: ImportPrices
  pricing: Pricing
  listChanged(list: string, version: number): Promise<void>
}

/** Pricing on the given price lists (PostgreSQL or memory); prices and estimates cached on the shared cache. */
export function createPricingUseCases(
  deps: { prices: PriceListStore; catalogStore: CatalogStore; catalog: CachedCatalog; cache: CachePort; logger: Logger },
  config: Pick<Config, 'fts' | 'pricing'>,
): PricingUseCases {
  const prices = deps.prices
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
