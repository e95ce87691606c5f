import type { MetricsPort, Sample } from '../../ports/metrics.js'
import type { FixedWindowLimiter } from './fixed-window.js'

/**
 * `rate_limit_requests_total{policy, outcome}`: requests each limit allowed, blocked (429) or served
 * uncounted because its backend failed (`failed_open`, the counter the fail-open policy promises).
 */
export function registerRateLimitMetrics(metrics: MetricsPort, limiters: { api: FixedWindowLimiter; import: FixedWindowLimiter }): void {
  metrics.collect('rate_limit_requests_total', 'Requests checked by a rate limit, by outcome', 'counter', () => {
    const samples: Sample[] = []
    for (const limiter of [limiters.api, limiters.import]) {
      const s = limiter.stats()
      const policy = limiter.policy.name
      samples.push(
        { labels: { policy, outcome: 'allowed' }, value: s.allowed },
        { labels: { policy, outcome: 'blocked' }, value: s.blocked },
        { labels: { policy, outcome: 'failed_open' }, value: s.failedOpen },
      )
    }
    return samples
  })
}
