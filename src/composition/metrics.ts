import type { CachePort } from '../ports/cache.js'
import type { MetricsRegistry } from '../ports/metrics.js'
import { registerCacheMetrics } from '../use-cases/metrics/cache-metrics.js'
import { registerRateLimitMetrics } from '../use-cases/rate-limit/metrics.js'
import type { RateLimits } from '../use-cases/rate-limit/index.js'
import type { Sessions } from '../use-cases/sessions/sessions.js'

/**
 * The collectors read at scrape time: cache counters, live sessions and rate-limit outcomes, for the parts
 * given. HTTP request metrics are recorded by the app itself (`createApp({ metrics })`).
 */
export function registerAppMetrics(
  metrics: MetricsRegistry,
  parts: { cache: CachePort; sessions?: Pick<Sessions, 'countLive'>; rateLimits?: Pick<RateLimits, 'api' | 'import'> },
): MetricsRegistry {
  registerCacheMetrics(metrics, parts.cache)
  const sessions = parts.sessions
  // A store that cannot answer leaves the gauge out of that scrape.
  if (sessions) metrics.collect('sessions_active', 'Live sessions in the session store', 'gauge', async () => [{ labels: {}, value: await sessions.countLive() }])
  if (parts.rateLimits) registerRateLimitMetrics(metrics, parts.rateLimits)
  return metrics
}
