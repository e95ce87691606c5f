import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { CachePort } from '../ports/cache.js'
import { createMetricsRegistry, type MetricsRegistry } from '../use-cases/metrics/registry.js'
import { registerCacheMetrics } from '../use-cases/metrics/cache-metrics.js'
import { requestLog } from './middleware/request-log/index.js'
import { httpMetrics } from './middleware/http-metrics/index.js'
import { clientIp, type PeerAddressResolver } from './middleware/client-ip/index.js'
import { rateLimit, defaultRateLimitKey } from './middleware/rate-limit/index.js'
import { clientKey, type RateLimits } from '../use-cases/rate-limit/index.js'
import { registerRateLimitMetrics } from '../use-cases/rate-limit/metrics.js'
import { createMetricsRoutes } from './routes/metrics.js'
import { registerApiDocs, isDocsPath } from './routes/docs.js'
import type { DocsBundle } from '../ports/docs-bundle.js'
import type { Status } from '../use-cases/status/status.js'
import { createStatusRoutes } from './routes/status.js'
import { createTestOnlyRoutes } from './routes/test-only.js'
import { createErrorHandler } from './error-handler.js'
import { notFoundOrMethodNotAllowed } from './method-not-allowed.js'
import { createRouter } from './router.js'
import type { Auth } from '../use-cases/auth/login.js'
import { secureHeaders } from './middleware/secure-headers/index.js'
import { session } from './middleware/session/index.js'
import { originCheck } from './middleware/origin-check/index.js'
import { createAuthRoutes } from './routes/auth.js'
import { createCacheRoutes } from './routes/cache.js'
import { createOpsRoutes, type ReadinessCheck } from './routes/ops.js'
import type { CatalogStore } from '../ports/catalog.js'
import { createCachedCatalog } from '../use-cases/catalog/cached-catalog.js'
import { createImportCatalog } from '../use-cases/import/import-catalog.js'
import { createAhspRoutes } from './routes/ahsp.js'

/** Everything the HTTP layer needs, built by the composition root. Ports and use cases only. */
export interface AppDeps {
  config: Config
  logger: Logger
  cache: CachePort
  /** Dependencies `/ready` probes besides the cache. */
  readiness: ReadinessCheck[]
  /** Prometheus registry for `/metrics`; middleware records into it (e.g. `metrics.counter(...)`). */
  metrics?: MetricsRegistry
  /** Login, logout and sessions; absent = no `/auth/*` routes and no session loading (unit tests of other areas). */
  auth?: Auth
  /** The runtime's peer address (passed in by the entry point); absent under `app.request()`. */
  getPeerAddress?: PeerAddressResolver
  /** API, import and login limits on the shared cache; absent = nothing is limited (unit tests). */
  rateLimits?: RateLimits
  /** The AHSP catalog store; absent = no `/ahsp/*` routes (unit tests of other areas). */
  catalog?: CatalogStore
  /** The API reference's browser script, served at `/docs/assets/`; absent = `/docs` without its script. */
  docsBundle?: DocsBundle
  /** The operators' status report: `/status` and `/status.json`, administrators only on this port. */
  status?: Status
}

/**
 * Probes and scrapes are never rate limited: an orchestrator polling them must not lock clients out.
 * Nor is the documentation (`isDocsPath`): reading the reference must not use up a client's API limit.
 */
const UNLIMITED_PATHS = new Set(['/health', '/ready', '/metrics'])
const unlimited = (path: string) => UNLIMITED_PATHS.has(path) || isDocsPath(path)

/**
 * Builds the one Hono app served by every runtime. Middleware order matters: request id, logging and metrics
 * first, then security headers and body bounds, then the session, origin check and rate limits, then routes.
 */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? createMetricsRegistry()
  registerCacheMetrics(metrics, deps.cache)
  if (deps.auth) {
    const { sessions } = deps.auth
    // Read from the store at scrape time; a store that cannot answer leaves the gauge out of that scrape.
    metrics.collect('sessions_active', 'Live sessions in the session store', 'gauge', async () => [{ labels: {}, value: await sessions.countLive() }])
  }
  const app = createRouter()
  app.onError(createErrorHandler(deps.logger))
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes))

  // --- middleware ---
  app.use('*', requestLog({ logger: deps.logger, observers: [httpMetrics({ metrics })] }))
  app.use('*', clientIp({ trustProxy: deps.config.trustProxy, getPeerAddress: deps.getPeerAddress }))
  app.use('*', secureHeaders({ production: deps.config.appEnv === 'production' }))
  if (deps.auth) app.use('*', session({ sessions: deps.auth.sessions }))
  // Only where a cross-site request could change something: a GET passes no check, so it skips the step.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', originCheck({ trustProxy: deps.config.trustProxy }))
  // Rate limits come after the session middleware: a logged-in client counts by user id.
  if (deps.rateLimits) {
    const limits = deps.rateLimits
    registerRateLimitMetrics(metrics, limits)
    const apiKey = (c: Parameters<typeof defaultRateLimitKey>[0]) =>
      unlimited(c.req.path) ? undefined : defaultRateLimitKey(c)
    app.use('*', rateLimit({ limiter: limits.api, key: apiKey }))
    // Per user; without one the route answers 401/403 and there is nothing to count.
    const importKey = (c: Parameters<typeof defaultRateLimitKey>[0]) =>
      c.req.method === 'POST' && c.get('user') ? clientKey(c.get('user')!.id, '') : undefined
    app.use('/ahsp/import', rateLimit({ limiter: limits.import, key: importKey }))
  }

  // --- routes ---
  // One chain, so `AppType` (and `hc<AppType>()`) knows every route: add routes with `.route()` here.
  // An optional part whose dependency is absent (unit tests) mounts an empty router of the same type.
  const routes = app
    .route('/', createOpsRoutes({ cache: deps.cache, checks: deps.readiness }))
    .route('/', createCacheRoutes({ cache: deps.cache }))
    .route('/', optional(deps.auth, (auth) => {
      const secureCookies = deps.config.appEnv === 'production'
      return createAuthRoutes({ auth, sessionTtl: deps.config.session.ttl, secureCookies, loginThrottle: deps.rateLimits?.login })
    }))
    .route('/', optional(deps.catalog, (store) => {
      const { cacheResults, cacheTtl, minQueryLength } = deps.config.fts
      const catalog = createCachedCatalog({ store, cache: deps.cache, enabled: cacheResults, ttl: cacheTtl, minQueryLength, logger: deps.logger })
      const importCatalog = createImportCatalog({ store, onChanged: () => catalog.invalidate() })
      return createAhspRoutes({ catalog, importCatalog })
    }))

  // Outside the typed chain on purpose: text/HTML endpoints, not for `hc` clients.
  // With METRICS_PORT set, /metrics lives on its own listener instead (see src/http/metrics-app.ts).
  if (deps.config.metricsPort === 0) app.route('/', createMetricsRoutes({ metrics, adminOnly: true }))
  if (deps.status) app.route('/', createStatusRoutes({ status: deps.status, adminOnly: true }))
  if (deps.config.appEnv === 'test') app.route('/', createTestOnlyRoutes())
  registerApiDocs(app, { version: '0.1.0', bundle: deps.docsBundle })
  return routes
}

/** `make(dep)`, or an empty router typed like it when the dependency is absent. */
function optional<D, R>(dep: D | undefined, make: (dep: D) => R): R {
  return dep === undefined ? (createRouter() as unknown as R) : make(dep)
}

/** The app's type, for `hc<AppType>()` typed clients. */
export type AppType = ReturnType<typeof createApp>
