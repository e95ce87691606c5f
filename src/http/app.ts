import type { Hono } from 'hono'
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { MergeSchemaPath } from 'hono/types'
import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { CachePort } from '../ports/cache.js'
import type { MetricsRegistry } from '../ports/metrics.js'
import { requestLog } from './middleware/request-log/index.js'
import { httpMetrics } from './middleware/http-metrics/index.js'
import { clientIp, type PeerAddressResolver } from './middleware/client-ip/index.js'
import { rateLimit, defaultRateLimitKey } from './middleware/rate-limit/index.js'
import { clientKey, type RateLimits } from '../use-cases/rate-limit/index.js'
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
import { bodyLimit } from './middleware/body-limit/index.js'
import { secureHeaders } from './middleware/secure-headers/index.js'
import { session } from './middleware/session/index.js'
import { originCheck } from './middleware/origin-check/index.js'
import { createAuthRoutes } from './routes/auth.js'
import { createCacheRoutes } from './routes/cache.js'
import { createOpsRoutes, type ReadinessCheck } from './routes/ops.js'
import { createAhspRoutes, type AhspRoutesDeps } from './routes/ahsp.js'
import { createPriceRoutes, type PriceRoutesDeps } from './routes/prices.js'
import { createPricingRoutes, type PricingRoutesDeps } from './routes/pricing.js'
import type { AppEnv } from './types.js'

/**
 * Everything the HTTP layer needs, built by the composition root (`src/composition/`): ports and use
 * cases, never adapters. The app constructs nothing; an absent part is not mounted, and the app's type
 * (`App<typeof deps>`) says so.
 */
export interface AppDeps {
  config: Config
  logger: Logger
  cache: CachePort
  /** Dependencies `/ready` probes besides the cache. */
  readiness: ReadinessCheck[]
  /** Prometheus registry: HTTP metrics are recorded into it and it is served at `/metrics` (unless `METRICS_PORT`). Absent = neither. */
  metrics?: MetricsRegistry
  /** Login, logout and sessions; absent = no `/auth/*` routes and no session loading (unit tests of other areas). */
  auth?: Auth
  /** The runtime's peer address (passed in by the entry point); absent under `app.request()`. */
  getPeerAddress?: PeerAddressResolver
  /** API, import and login limits on the shared cache; absent = nothing is limited (unit tests). */
  rateLimits?: RateLimits
  /** The AHSP catalog use cases (search, jobs, import); absent = no `/ahsp/*` routes (unit tests of other areas). */
  ahsp?: AhspRoutesDeps
  /** Price lists, job unit prices and estimates; absent = no `/prices*`, `/ahsp/jobs/:code/price`, `/estimates`. */
  pricing?: PriceRoutesDeps & PricingRoutesDeps
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

type SchemaOf<A> = A extends OpenAPIHono<AppEnv, infer S, '/'> ? S : A extends Hono<never, infer S, '/'> ? S : never
type Part<Deps, Key extends string, Routes> = Deps extends { [K in Key]: object } ? MergeSchemaPath<SchemaOf<Routes>, '/'> : never
type BaseSchema = SchemaOf<ReturnType<typeof createOpsRoutes>> | SchemaOf<ReturnType<typeof createCacheRoutes>>

/** A misspelt or retired part is a type error, not a silently unmounted route. */
type NoExtra<Deps> = { [K in Exclude<keyof Deps, keyof AppDeps>]: never }

/** The app `createApp(deps)` returns: the always-mounted routes, plus `/auth/*` and `/ahsp/*` when their deps are given. */
export type App<Deps extends AppDeps> = OpenAPIHono<
  AppEnv,
  | BaseSchema
  | Part<Deps, 'auth', ReturnType<typeof createAuthRoutes>>
  | Part<Deps, 'ahsp', ReturnType<typeof createAhspRoutes>>
  | Part<Deps, 'pricing', ReturnType<typeof createPriceRoutes>>
  | Part<Deps, 'pricing', ReturnType<typeof createPricingRoutes>>,
  '/'
>

/**
 * Builds the one Hono app served by every runtime from parts the composition root built. Middleware order
 * matters: request id, logging and metrics first, then security headers, then the session, origin check and
 * rate limits, then routes.
 */
export function createApp<const Deps extends AppDeps>(deps: Deps & NoExtra<Deps>): App<Deps> {
  const app = createRouter()
  app.onError(createErrorHandler(deps.logger))
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes))

  // --- middleware ---
  app.use('*', requestLog({ logger: deps.logger, observers: deps.metrics ? [httpMetrics({ metrics: deps.metrics })] : [] }))
  app.use('*', clientIp({ trustProxy: deps.config.trustProxy, getPeerAddress: deps.getPeerAddress }))
  app.use('*', secureHeaders({ production: deps.config.appEnv === 'production' }))
  app.use('*', bodyLimit({ maxBytes: deps.config.bodyLimit }))
  if (deps.auth) app.use('*', session({ sessions: deps.auth.sessions }))
  // Only where a cross-site request could change something: a GET passes no check, so it skips the step.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', originCheck({ trustProxy: deps.config.trustProxy }))
  // Rate limits come after the session middleware: a logged-in client counts by user id.
  if (deps.rateLimits) {
    const limits = deps.rateLimits
    const apiKey = (c: Parameters<typeof defaultRateLimitKey>[0]) =>
      unlimited(c.req.path) ? undefined : defaultRateLimitKey(c)
    app.use('*', rateLimit({ limiter: limits.api, key: apiKey }))
    // Per user; without one the route answers 401/403 and there is nothing to count.
    const importKey = (c: Parameters<typeof defaultRateLimitKey>[0]) =>
      c.req.method === 'POST' && c.get('user') ? clientKey(c.get('user')!.id, '') : undefined
    app.use('/ahsp/import', rateLimit({ limiter: limits.import, key: importKey }))
    // Price-list writes count against the import limit, per user, like catalog imports.
    const priceWriteKey = (c: Parameters<typeof defaultRateLimitKey>[0]) =>
      (c.req.method === 'PUT' || c.req.method === 'DELETE') && c.get('user') ? clientKey(c.get('user')!.id, '') : undefined
    app.use('/prices/*', rateLimit({ limiter: limits.import, key: priceWriteKey }))
  }

  // --- routes (typed by `App<Deps>`: add a part there when you mount one here) ---
  app.route('/', createOpsRoutes({ cache: deps.cache, checks: deps.readiness }))
  app.route('/', createCacheRoutes({ cache: deps.cache }))
  if (deps.auth) {
    const secureCookies = deps.config.appEnv === 'production'
    app.route('/', createAuthRoutes({ auth: deps.auth, sessionTtl: deps.config.session.ttl, secureCookies, loginThrottle: deps.rateLimits?.login }))
  }
  if (deps.ahsp) app.route('/', createAhspRoutes(deps.ahsp))
  if (deps.pricing) app.route('/', createPriceRoutes(deps.pricing)).route('/', createPricingRoutes(deps.pricing))

  // Outside the typed routes on purpose: text/HTML endpoints, not for `hc` clients.
  // With METRICS_PORT set, /metrics lives on its own listener instead (see src/http/metrics-app.ts).
  if (deps.metrics && deps.config.metricsPort === 0) app.route('/', createMetricsRoutes({ metrics: deps.metrics, adminOnly: true }))
  if (deps.status) app.route('/', createStatusRoutes({ status: deps.status, adminOnly: true }))
  if (deps.config.appEnv === 'test') app.route('/', createTestOnlyRoutes())
  registerApiDocs(app, { version: '0.1.0', bundle: deps.docsBundle })
  // `route()` adds to `app` in place; `App<Deps>` lists exactly the parts mounted above (test/http/app-type.test.ts).
  return app as unknown as App<Deps>
}

/** Every part given: the production app (`buildContainer`), for `hc<AppType>()` typed clients. */
export type FullAppDeps = AppDeps & Required<Pick<AppDeps, 'auth' | 'ahsp' | 'pricing'>>
export type AppType = App<FullAppDeps>
