import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { CachePort } from '../ports/cache.js'
import { createApp, type AppType, type FullAppDeps } from '../http/app.js'
import type { ReadinessCheck } from '../http/routes/ops.js'
import { createCacheFromConfig } from './cache.js'
import { createMetricsRegistry } from '../adapters/metrics/prometheus-registry.js'
import type { MetricsRegistry } from '../ports/metrics.js'
import { registerProcessMetrics } from '../adapters/process/process-metrics.js'
import { createRateLimits } from '../use-cases/rate-limit/index.js'
import type { PeerAddressResolver } from '../http/middleware/client-ip/index.js'
import type { Sql } from '../adapters/sql/client.js'
import { createPgPools, type PgPools } from './pools.js'
import { createActivationRelay, createAuthComponents, type AuthComponents } from './auth.js'
import { createCatalog, logCatalogContents } from './catalog.js'
import { createScalarBundle } from '../adapters/docs/scalar-bundle.js'
import { createStatus, type Status } from '../use-cases/status/status.js'
import type { CatalogStore } from '../ports/catalog.js'
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

/** The composition root: the only place adapters meet use cases, and where every use case is constructed. */
export async function buildContainer(config: Config, logger: Logger, runtime: RuntimeOptions = {}): Promise<Container> {
  const closers: (() => Promise<void>)[] = []
  const readiness: ReadinessCheck[] = []
  const metrics = createMetricsRegistry()
  registerProcessMetrics(metrics)

  const activation = createActivationRelay()
  const cache = await createCacheFromConfig(config, logger, activation)
  closers.push(() => cache.close())

  // A pool per concern, so a locked catalog never delays logins; closed after the stores (closers run in reverse).
  const pools = config.databaseUrl ? createPgPools(config.databaseUrl, config.databasePrepare) : undefined
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
  const sql = pools?.auth.sql
  const auth = await createAuthComponents(config, logger, cache, pools?.auth, { passwordIterations: runtime.passwordIterations, activation })
  closers.push(() => auth.close())

  const catalog = await createCatalog(pools, logger, { seed: config.catalogSeed })
  closers.push(() => catalog.close())
  await logCatalogContents(catalog, logger)

  // On the shared cache, so every instance on the same backend shares the counts.
  const rateLimits = createRateLimits(cache, config.rateLimit, logger)

  registerAppMetrics(metrics, { cache, sessions: auth.auth.sessions, rateLimits })
  const ahsp = createAhspUseCases(catalog, cache, config, logger)
  const pricing = await createPricingUseCases({ sql, catalogStore: catalog, catalog: ahsp.catalog, cache, logger }, config)
  closers.push(() => pricing.prices.close())
  const status = createStatus({ cache, metrics, sessions: auth.auth.sessions, catalog })

  const deps: FullAppDeps = {
    config, logger, cache, readiness, metrics, rateLimits, getPeerAddress: runtime.getPeerAddress,
    auth: auth.auth, ahsp, pricing, docsBundle: createScalarBundle(), status,
  }
  const app: AppType = createApp(deps)

  let closed: Promise<void> | undefined
  return {
    app,
    cache,
    logger,
    metrics,
    auth,
    sql,
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
