/**
 * @module
 * Request counts and latency histograms for `/metrics`, labelled by route pattern (never the raw path,
 * which would make one series per job code or scanned URL).
 */
import type { MiddlewareHandler } from 'hono'
import { RateLimitExceededError } from '../../../domain/errors.js'
import type { MetricsPort } from '../../../ports/metrics.js'
import { routeLabel } from '../../route-label.js'
import type { AppEnv } from '../../types.js'

export interface HttpMetricsOptions {
  metrics: MetricsPort
}

/** @example app.use('*', httpMetrics({ metrics })) */
export const httpMetrics = (options: HttpMetricsOptions): MiddlewareHandler<AppEnv> => {
  const requests = options.metrics.counter('http_requests_total', 'HTTP requests answered', ['method', 'route', 'status'])
  const duration = options.metrics.histogram('http_request_duration_seconds', 'HTTP request latency', ['method', 'route'])
  const rejected = options.metrics.counter('rate_limit_rejections_total', 'Requests answered 429, by rate-limit policy', ['policy'])
  return async function httpMetrics(c, next) {
    const started = performance.now()
    await next()
    const route = routeLabel(c)
    // Unknown methods (PROPFIND…) would otherwise each become a series.
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER'
    requests.inc({ method, route, status: c.res.status })
    duration.observe({ method, route }, (performance.now() - started) / 1000)
    // Every policy (api, import, login) refuses by throwing this; Hono keeps the error on the context.
    if (c.error instanceof RateLimitExceededError) rejected.inc({ policy: c.error.policy })
  }
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
