import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import { createCacheFromConfig } from './cache.js'
import { registerProcessMetrics } from '../adapters/process/process-metrics.js'
import { createScalarBundle } from '../adapters/docs/scalar-bundle.js'
import { createMemoryPriceLists } from '../adapters/memory/price-lists.js'
import { authStoresFor } from './auth.js'
import { createCatalog } from './catalog.js'
import { assembleContainer, type Container, type RuntimeOptions } from './container.js'

export type { Container, RuntimeOptions } from './container.js'

/**
 * The composition root of the Node, Bun and Deno servers: Redis, PostgreSQL and the shipped reference read
 * from `data/ahsp/`, as configured (`buildEmbeddedContainer` is the memory-only one, for workerd).
 */
export async function buildContainer(config: Config, logger: Logger, runtime: RuntimeOptions = {}): Promise<Container> {
  // PostgreSQL's modules (postgres.js) and Redis' (ioredis, in cache.ts) are imported only when configured: the
  // embedded default would otherwise load them before its first answer (`npm run build` splits them into chunks).
  const pools = config.databaseUrl ? (await import('./pools.js')).createPgPools(config.databaseUrl, config.databasePrepare) : undefined
  return assembleContainer(
    config,
    logger,
    {
      registerRuntimeMetrics: registerProcessMetrics,
      cache: (activation) => createCacheFromConfig(config, logger, activation),
      pools,
      authStores: () => authStoresFor(pools?.auth, logger),
      catalog: () => createCatalog(pools, logger, { seed: config.catalogSeed }),
      prices: async () => (pools ? await (await import('../adapters/sql/price-lists.js')).createPgPriceLists(pools.auth.sql) : createMemoryPriceLists()),
      docsBundle: createScalarBundle(),
    },
    runtime,
  )
}
