import { describe, expect, it } from 'vitest'
import { createMetricsRegistry } from '../../src/adapters/metrics/prometheus-registry.js'
import { registerCacheMetrics } from '../../src/use-cases/metrics/cache-metrics.js'

describe('cache metrics', () => {
  it('exposes cache stats by backend from one stats() call per scrape', async () => {
    const m = createMetricsRegistry()
    let calls = 0
    registerCacheMetrics(m, {
      async stats() {
        calls++
        return { backend: 'redis', active: 'memory', degraded: true, hits: 5, misses: 2, errors: 3, failovers: 1 }
      },
    })
    const text = await m.render()
    expect(calls).toBe(1)
    expect(text).toContain('cache_hits_total{backend="redis"} 5\n')
    expect(text).toContain('cache_misses_total{backend="redis"} 2\n')
    expect(text).toContain('cache_errors_total{backend="redis"} 3\n')
    expect(text).toContain('cache_failovers_total{backend="redis"} 1\n')
    expect(text).toContain('cache_degraded{backend="redis",active="memory"} 1\n')
  })
})
