/**
 * @module
 * Request counts and latency histograms for `/metrics`, labelled by route pattern (never the raw path,
 * which would make one series per job code or scanned URL).
 */
import { RateLimitExceededError } from '../../../domain/errors.js'
import type { MetricsPort } from '../../../ports/metrics.js'
import type { RequestObserver } from '../request-log/index.js'

export interface HttpMetricsOptions {
  metrics: MetricsPort
}

/**
 * An observer for the request log (which already times each request and resolves its route), not a
 * middleware of its own: one fewer step per request, and the route resolved once.
 *
 * @example app.use('*', requestLog({ logger, observers: [httpMetrics({ metrics })] }))
 */
export const httpMetrics = (options: HttpMetricsOptions): RequestObserver => {
  const requests = options.metrics.counter('http_requests_total', 'HTTP requests answered', ['method', 'route', 'status'])
  const duration = options.metrics.histogram('http_request_duration_seconds', 'HTTP request latency', ['method', 'route'])
  const rejected = options.metrics.counter('rate_limit_rejections_total', 'Requests answered 429, by rate-limit policy', ['policy'])
  return function httpMetrics(c, { method: raw, route, status, seconds }) {
    // Unknown methods (PROPFIND…) would otherwise each become a series.
    const method = KNOWN_METHODS.has(raw) ? raw : 'OTHER'
    requests.inc({ method, route, status })
    duration.observe({ method, route }, seconds)
    // Every policy (api, import, login) refuses by throwing this; Hono keeps the error on the context.
    if (c.error instanceof RateLimitExceededError) rejected.inc({ policy: c.error.policy })
  }
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
