import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { CachePort } from '../ports/cache.js'
import { createMetricsRegistry, type MetricsRegistry } from '../use-cases/metrics/registry.js'
import { createErrorHandler, problem } from './error-handler.js'
import { createRouter } from './router.js'
import { createOpsRoutes, type ReadinessCheck } from './routes/ops.js'

/** Everything the HTTP layer needs, built by the composition root. Ports and use cases only. */
export interface AppDeps {
  config: Config
  logger: Logger
  cache: CachePort
  /** Dependencies `/ready` probes besides the cache. */
  readiness: ReadinessCheck[]
  /** Prometheus registry for `/metrics`; middleware records into it (e.g. `metrics.counter(...)`). */
  metrics?: MetricsRegistry
}

/**
 * Builds the one Hono app served by every runtime. Middleware order matters: request id and logging
 * first, then security headers and body bounds, then the session, origin check and rate limits, then routes.
 */
export function createApp(deps: AppDeps) {
  const metrics = deps.metrics ?? createMetricsRegistry()
  void metrics
  const app = createRouter()
  app.onError(createErrorHandler(deps.logger))
  app.notFound((c) => problem(c, 404, `No route for ${c.req.method} ${c.req.path}`))

  // --- middleware ---
  app.use('*', async (c, next) => {
    c.set('requestId', crypto.randomUUID())
    c.set('logger', deps.logger)
    await next()
  })

  // --- routes ---
  const routes = app.route('/', createOpsRoutes({ cache: deps.cache, checks: deps.readiness }))

  return routes
}

/** The app's type, for `hc<AppType>()` typed clients. */
export type AppType = ReturnType<typeof createApp>
