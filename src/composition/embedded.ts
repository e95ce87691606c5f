import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { ReferenceFiles } from '../ports/reference.js'
import { createMemoryCache } from '../adapters/memory/cache.js'
import { createMemoryPriceLists } from '../adapters/memory/price-lists.js'
import { createMemorySessionStore } from '../adapters/memory/session-store.js'
import { createMemoryUserStore } from '../adapters/memory/user-store.js'
import { createShippedMemoryCatalog } from './catalog-embedded.js'
import { assembleContainer, type Container, type RuntimeOptions } from './container.js'

export interface EmbeddedOptions {
  /** The shipped reference's bytes: the entry point bundles `data/ahsp/*.tsv.gz` as modules. */
  reference: ReferenceFiles
  /** `app_info{runtime, runtime_version}` on `/metrics`. */
  runtime: { name: string; version: string }
}

/**
 * The embedded default with no filesystem, no socket and no `node:` module (workerd, an edge isolate): memory
 * cache, memory users, sessions and price lists, the shipped reference in memory. Every import here, to the
 * leaves, is Web-standard; the architecture test keeps it so. Settings that need a server are refused at start.
 */
export async function buildEmbeddedContainer(config: Config, logger: Logger, options: EmbeddedOptions, runtime: RuntimeOptions = {}): Promise<Container> {
  const unsupported = [
    config.databaseUrl && 'DATABASE_URL',
    config.redisUrl && 'REDIS_URL',
    config.cache.backend !== 'auto' && config.cache.backend !== 'memory' && `CACHE_BACKEND=${config.cache.backend}`,
  ].filter(Boolean)
  if (unsupported.length > 0) throw new Error(`${unsupported.join(', ')}: not available on ${options.runtime.name} (memory only: unset it)`)
  return assembleContainer(
    config,
    logger,
    {
      registerRuntimeMetrics: (metrics) =>
        metrics.collect('app_info', 'Always 1; labels name the runtime serving this instance', 'gauge', () => [
          { labels: { runtime: options.runtime.name, runtime_version: options.runtime.version }, value: 1 },
        ]),
      cache: async () =>
        createMemoryCache({ prefix: config.cache.keyPrefix, version: config.cache.version, defaultTtl: config.cache.timeout, maxEntries: config.cache.maxEntries }),
      authStores: async () => ({ users: createMemoryUserStore(), sessionStore: createMemorySessionStore(), shared: false }),
      catalog: async () => createShippedMemoryCatalog(options.reference, logger),
      prices: async () => createMemoryPriceLists(),
    },
    runtime,
  )
}
