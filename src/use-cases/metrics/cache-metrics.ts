import type { CachePort, CacheStats } from '../../ports/cache.js'
import type { MetricsPort, Sample } from '../../ports/metrics.js'

/**
 * Cache counters read from `cache.stats()` at scrape time, labelled by the configured backend;
 * `cache_degraded` also names the backend currently serving. One `stats()` call serves every metric of
 * a scrape: they are read together, so they stay consistent with each other.
 */
export function registerCacheMetrics(metrics: MetricsPort, cache: Pick<CachePort, 'stats'>): void {
  let pending: Promise<CacheStats> | undefined
  const read = () => {
    pending ??= cache.stats().finally(() => queueMicrotask(() => (pending = undefined)))
    return pending
  }
  // Counters carry only the configured backend: a label that changed on failover would restart the series.
  const series = (pick: (s: CacheStats) => number) => async (): Promise<Sample[]> => {
    const s = await read()
    return [{ labels: { backend: s.backend }, value: pick(s) }]
  }
  metrics.collect('cache_hits_total', 'Cache reads that found a value', 'counter', series((s) => s.hits))
  metrics.collect('cache_misses_total', 'Cache reads that found nothing', 'counter', series((s) => s.misses))
  metrics.collect('cache_errors_total', 'Cache backend commands that failed', 'counter', series((s) => s.errors))
  metrics.collect('cache_failovers_total', 'Times traffic moved from the primary backend to its fallback', 'counter', series((s) => s.failovers))
  metrics.collect('cache_recoveries_total', 'Times traffic moved back from the fallback to the primary', 'counter', series((s) =>
    typeof s.recoveries === 'number' ? s.recoveries : 0,
  ))
  metrics.collect('cache_refusals_total', 'Cache commands the server answered but refused (OOM, READONLY, NOPERM…), by reason', 'counter', async () => {
    const s = await read()
    const byReason = (typeof s.refusals === 'object' && s.refusals !== null ? s.refusals : {}) as Record<string, number>
    return Object.entries(byReason).map(([reason, value]) => ({ labels: { backend: s.backend, reason }, value }))
  })
  metrics.collect('cache_degraded', '1 while the cache serves from its fallback backend', 'gauge', async () => {
    const s = await read()
    return [{ labels: { backend: s.backend, active: s.active }, value: s.degraded ? 1 : 0 }]
  })
}
