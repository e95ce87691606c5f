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
  // The near tier (CACHE_NEAR): no samples when it is off.
  const near = (pick: (n: Record<string, number>) => number) => async (): Promise<Sample[]> => {
    const s = await read()
    const n = s.near as Record<string, number> | undefined
    return n ? [{ labels: { backend: s.backend }, value: pick(n) }] : []
  }
  for (const [name, help] of [
    ['hits', 'Near-cache reads served in process'],
    ['misses', 'Near-cache reads fetched from the remote (then kept)'],
    ['bypasses', 'Near-cache reads sent to the remote because the invalidation channel was not confirmed within the lease'],
    ['evictions', 'Near copies dropped to stay within CACHE_NEAR_MAX_ENTRIES / CACHE_NEAR_MAX_SIZE'],
    ['invalidations', 'Keys the invalidation channel reported changed'],
    ['flushes', 'Times every near copy was dropped (channel broke or reconnected, server flush, backend switch)'],
  ] as const) {
    metrics.collect(`cache_near_${name}_total`, help, 'counter', near((n) => n[name]!))
  }
  metrics.collect('cache_near_entries', 'Near copies held', 'gauge', near((n) => n.entries!))
  metrics.collect('cache_near_bytes', 'Approximate bytes of the near copies', 'gauge', near((n) => n.bytes!))
  metrics.collect('cache_near_live', '1 while near copies may be served (channel confirmed within the lease)', 'gauge', near((n) => (n.live ? 1 : 0)))
  metrics.collect('cache_degraded', '1 while the cache serves from its fallback backend', 'gauge', async () => {
    const s = await read()
    return [{ labels: { backend: s.backend, active: s.active }, value: s.degraded ? 1 : 0 }]
  })
}
