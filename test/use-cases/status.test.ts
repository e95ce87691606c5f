import { describe, expect, it } from 'vitest'
import { createMetricsRegistry } from '../../src/adapters/metrics/prometheus-registry.js'
import { parseExposition, quantile } from '../../src/use-cases/status/exposition.js'
import { createStatus } from '../../src/use-cases/status/status.js'

const stats = { backend: 'redis', active: 'memory', degraded: true, hits: 3, misses: 1, errors: 2, failovers: 1, recoveries: 0 }

describe('quantile from histogram buckets', () => {
  it('interpolates inside the bucket like histogram_quantile', () => {
    const b = { bounds: [0.1, 0.5, 1, Infinity], counts: [50, 90, 100, 100] }
    expect(quantile(0.5, b)).toBeCloseTo(0.1)
    expect(quantile(0.7, b)).toBeCloseTo(0.1 + 0.4 * (20 / 40))
    expect(quantile(0.99, b)).toBeCloseTo(0.5 + 0.5 * (9 / 10))
    expect(quantile(0.5, { bounds: [1, Infinity], counts: [0, 0] })).toBeNaN()
    // In +Inf: the highest finite bound.
    expect(quantile(0.99, { bounds: [1, Infinity], counts: [1, 10] })).toBe(1)
  })

  it('parses labels with escapes and special values', () => {
    const [s] = parseExposition('x_total{a="q\\"uote",le="+Inf"} +Inf\n# HELP y z\n')
    expect(s).toEqual({ name: 'x_total', labels: { a: 'q"uote', le: '+Inf' }, value: Infinity })
  })
})

describe('status report', () => {
  it('reads the registry back: requests, 5xx, rejections by policy, percentiles by route, over the window too', async () => {
    const metrics = createMetricsRegistry()
    const requests = metrics.counter('http_requests_total', 'h', ['method', 'route', 'status'])
    const duration = metrics.histogram('http_request_duration_seconds', 'h', ['method', 'route'])
    const rejected = metrics.counter('rate_limit_rejections_total', 'h', ['policy'])
    let t = 1_000_000
    const status = createStatus({ cache: { stats: async () => stats }, metrics, now: () => t, catalog: { sources: async () => [{ source: 'A', jobs: 5 }, { source: 'B', jobs: 2 }], generation: async () => 4 } })
    for (let i = 0; i < 10; i++) {
      requests.inc({ method: 'GET', route: '/a', status: i < 9 ? 200 : 503 })
      duration.observe({ method: 'GET', route: '/a' }, 0.003)
    }
    const first = await status.report()
    expect(first.requests).toEqual({ total: 10, serverErrors: 1, window: null })
    expect(first.cache).toMatchObject({ backend: 'redis', active: 'memory', degraded: true, hitRatio: 0.75, failovers: 1 })
    expect(first.catalog).toEqual({ jobs: 7, sources: 2, generation: 4 })
    expect(first.sessions).toBeNull()
    expect(first.latency).toEqual([expect.objectContaining({ route: '/a', count: 10, window: null })])
    expect(first.latency[0]!.p50Ms).toBeGreaterThan(1)
    expect(first.latency[0]!.p50Ms).toBeLessThanOrEqual(5)

    t += 10_000
    for (let i = 0; i < 20; i++) {
      requests.inc({ method: 'GET', route: '/a', status: 200 })
      duration.observe({ method: 'GET', route: '/a' }, 0.2)
    }
    rejected.inc({ policy: 'login' }, 3)
    const second = await status.report()
    expect(second.requests.window).toEqual({ seconds: 10, total: 20, perSecond: 2, serverErrors: 0 })
    expect(second.rateLimits).toEqual({ rejections: { login: 3 }, windowRejections: { login: 3 } })
    // Over the window only the slow requests count; since start the fast ones still weigh in.
    expect(second.latency[0]!.window!.count).toBe(20)
    expect(second.latency[0]!.window!.p50Ms).toBeGreaterThan(100)
    expect(second.latency[0]!.p50Ms).toBeGreaterThan(100)
    expect(second.latency[0]!.count).toBe(30)

    // Past the window, the old baseline is dropped: figures cover the last minute only.
    t += 120_000
    const third = await status.report()
    expect(third.requests.window).toBeNull()
  })

  it('a store that does not answer leaves its figure out and says so, within the bound', async () => {
    const never = new Promise<never>(() => {})
    const status = createStatus({
      cache: { stats: () => never },
      metrics: createMetricsRegistry(),
      sessions: { countLive: () => Promise.reject(new Error('down')) },
      readTimeoutMs: 50,
    })
    const started = performance.now()
    const r = await status.report()
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(r.cache).toBeNull()
    expect(r.sessions).toBeNull()
    expect(r.unavailable).toEqual(['cache', 'sessions'])
  })
})
