import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { CachePort } from '../ports/cache.js'
import type { CatalogStore } from '../ports/catalog.js'
import type { DocsBundle } from '../ports/docs-bundle.js'
import type { MetricsRegistry } from '../ports/metrics.js'
import type { PriceListStore } from '../ports/prices.js'
import { createApp, type AppType, type FullAppDeps } from '../http/app.js'
import type { ReadinessCheck } from '../http/routes/ops.js'
import type { PeerAddressResolver } from '../http/middleware/client-ip/index.js'
import { createMetricsRegistry } from '../adapters/metrics/prometheus-registry.js'
import type { Sql } from '../adapters/sql/client.js'
import { createRateLimits } from '../use-cases/rate-limit/index.js'
import { createStatus, type Status } from '../use-cases/status/status.js'
import type { PgPools } from './pools.js'
import { assembleAuth, createActivationRelay, type ActivationRelay, type AuthComponents, type AuthStores } from './auth-assembly.js'
import { logCatalogContents } from './catalog-embedded.js'
import { createAhspUseCases } from './ahsp.js'
import { registerAppMetrics } from './metrics.js'
import { createPricingUseCases } from './pricing.js'

export interface Container {
  app: AppType
  cache: CachePort
  logger: Logger
  /** Served by `app` at `/metrics` (admin) or by the entry point on `METRICS_PORT`. */
  metrics: MetricsRegistry
  /** Users, sessions, login (stores: PostgreSQL with `DATABASE_URL`, else memory). */
  auth: AuthComponents
  /** The auth pool's client, when `DATABASE_URL` is set (start-up work and tests; replaced on recycle). */
  sql?: Sql
  /** One bounded PostgreSQL pool per concern (auth, catalog reads, imports), when `DATABASE_URL` is set. */
  pools?: PgPools
  /** The AHSP catalog: PostgreSQL with `DATABASE_URL` (seeded when empty), else memory with the shipped reference. */
  catalog: CatalogStore
  /** The operators' status report (`/status` for admins; also on `METRICS_PORT` when set). */
  status: Status
  /** Close every connection and timer this container opened. Idempotent. */
  close(): Promise<void>
}

/** What only the entry point knows: the runtime. */
export interface RuntimeOptions {
  /** Peer address of a request (`@hono/node-server/conninfo` on Node, `server.requestIP` on Bun). */
  getPeerAddress?: PeerAddressResolver
  /** PBKDF2 iterations for new password hashes (default 600,000). Tests only: the KDF is slow on purpose. */
  passwordIterations?: number
}

/**
 * Where the state lives: the only part that differs between the full composition (`buildContainer`: Redis,
 * PostgreSQL, files) and the embedded one (`buildEmbeddedContainer`: memory only, no `node:` module, for workerd).
 * Each factory is called once, in the order of the fields.
 */
export interface Backends {
  /** Process or isolate gauges for `/metrics` (`app_info{runtime}`, memory). */
  registerRuntimeMetrics(metrics: MetricsRegistry): void
  /** The shared cache; `activation` replays session revocations into a backend that becomes active. */
  cache(activation: ActivationRelay): Promise<CachePort>
  /** The PostgreSQL pools, when there is a database: readiness pings the auth pool; ended last. */
  pools?: PgPools
  authStores(): Promise<AuthStores>
  catalog(): Promise<CatalogStore>
  prices(): Promise<PriceListStore>
  /** The API reference script for `/docs`; without it `/docs` renders but its script answers 404. */
  docsBundle?: DocsBundle
}

/** Builds every use case and the app on the given backends: the composition both entry point families share. */
export async function assembleContainer(config: Config, logger: Logger, backends: Backends, runtime: RuntimeOptions = {}): Promise<Container> {
  const closers: (() => Promise<void>)[] = []
  const readiness: ReadinessCheck[] = []
  const metrics = createMetricsRegistry()
  backends.registerRuntimeMetrics(metrics)

  const activation = createActivationRelay()
  const cache = await backends.cache(activation)
  closers.push(() => cache.close())

  // A pool per concern, so a locked catalog never delays logins; closed after the stores (closers run in reverse).
  const pools = backends.pools
  if (pools) {
    closers.unshift(() => pools.end())
    readiness.push({
      name: 'database',
      required: true,
      async ping() {
        const started = performance.now()
        await pools.auth.run((sql) => sql`select 1`)
        return performance.now() - started
      },
    })
  }
  const auth = await assembleAuth(config, logger, cache, await backends.authStores(), { passwordIterations: runtime.passwordIterations, activation })
  closers.push(() => auth.close())

  const catalog = await backends.catalog()
  closers.push(() => catalog.close())
  await logCatalogContents(catalog, logger)

  // On the shared cache, so every instance on the same backend shares the counts.
  const rateLimits = createRateLimits(cache, config.rateLimit, logger)

  registerAppMetrics(metrics, { cache, sessions: auth.auth.sessions, rateLimits })
  const ahsp = createAhspUseCases(catalog, cache, config, logger)
  const pricing = createPricingUseCases({ prices: await backends.prices(), catalogStore: catalog, catalog: ahsp.catalog, cache, logger }, config)
  closers.push(() => pricing.prices.close())
  const status = createStatus({ cache, metrics, sessions: auth.auth.sessions, catalog })

  const deps: FullAppDeps = {
    config, logger, cache, readiness, metrics, rateLimits, getPeerAddress: runtime.getPeerAddress,
    auth: auth.auth, ahsp, pricing, docsBundle: backends.docsBundle, status,
  }
  const app: AppType = createApp(deps)

  let closed: Promise<void> | undefined
  return {
    app,
    cache,
    logger,
    metrics,
    auth,
    sql: pools?.auth.sql,
    pools,
    catalog,
    status,
    close() {
      closed ??= (async () => {
        for (const close of closers.reverse()) {
          try {
            await close()
          } catch (err) {
            logger.warn('error while closing', { err: (err as Error).message })
          }
        }
      })()
      return closed
    },
  }
}
