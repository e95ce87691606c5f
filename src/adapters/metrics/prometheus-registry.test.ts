import { describe, expect, it } from 'vitest'
import { createMetricsRegistry } from './prometheus-registry.js'

describe('metrics registry', () => {
  it('renders counters with HELP, TYPE and escaped labels', async () => {
    const m = createMetricsRegistry()
    const c = m.counter('rate_limit_rejections_total', 'Requests refused\nby policy', ['policy'])
    c.inc({ policy: 'login' })
    c.inc({ policy: 'login' }, 2)
    c.inc({ policy: 'a"b\\c\nd' })
    const text = await m.render()
    expect(text).toContain('# HELP rate_limit_rejections_total Requests refused\\nby policy\n')
    expect(text).toContain('# TYPE rate_limit_rejections_total counter\n')
    expect(text).toContain('rate_limit_rejections_total{policy="login"} 3\n')
    expect(text).toContain('rate_limit_rejections_total{policy="a\\"b\\\\c\\nd"} 1\n')
    expect(text.endsWith('\n')).toBe(true)
  })

  it('returns the same counter for the same name and refuses a type clash', () => {
    const m = createMetricsRegistry()
    expect(m.counter('x_total', 'x')).toBe(m.counter('x_total', 'x'))
    expect(() => m.gauge('x_total', 'x')).toThrow(/already registered/)
    expect(() => m.counter('bad-name', 'x')).toThrow(/invalid metric name/)
    expect(() => m.counter('ok_total', 'x', ['le'])).toThrow(/invalid label/)
    expect(() => m.counter('ok_total', 'x').inc({}, -1)).toThrow(/only increase/)
  })

  it('renders cumulative histogram buckets, sum and count', async () => {
    const m = createMetricsRegistry()
    const h = m.histogram('lat_seconds', 'Latency', ['route'], [0.1, 1])
    h.observe({ route: '/a' }, 0.05)
    h.observe({ route: '/a' }, 0.5)
    h.observe({ route: '/a' }, 3)
    h.observe({ route: '/b' }, 2) // another series: kept apart from /a
    const text = await m.render()
    expect(text).toContain('lat_seconds_bucket{route="/a",le="0.1"} 1\n')
    expect(text).toContain('lat_seconds_bucket{route="/a",le="1"} 2\n')
    expect(text).toContain('lat_seconds_bucket{route="/a",le="+Inf"} 3\n')
    expect(text).toContain('lat_seconds_sum{route="/a"} 3.55\n')
    expect(text).toContain('lat_seconds_count{route="/a"} 3\n')
    expect(text).toContain('lat_seconds_bucket{route="/b",le="1"} 0\n')
    expect(text).toContain('lat_seconds_count{route="/b"} 1\n')
  })

  it('gauges go up and down; collectors are read at scrape time and a failing one is left out', async () => {
    const m = createMetricsRegistry()
    const g = m.gauge('inflight', 'In flight')
    g.inc()
    g.inc()
    g.dec()
    let n = 1
    m.collect('sessions_active', 'Active sessions', 'gauge', () => [{ labels: {}, value: n }])
    m.collect('broken_total', 'Broken', 'counter', async () => {
      throw new Error('down')
    })
    expect(await m.render()).toContain('inflight 1\n')
    n = 7
    const text = await m.render()
    expect(text).toContain('sessions_active 7\n')
    expect(text).not.toContain('broken_total')
  })

  it('keeps one series per distinct label set, escaped, whatever the memo has seen', async () => {
    const m = createMetricsRegistry()
    const c = m.counter('req_total', 'Requests', ['method', 'route', 'status'])
    c.inc({ method: 'GET', route: '/a', status: 200 })
    c.inc({ method: 'GET', route: '/a', status: 200 })
    c.inc({ method: 'GET', route: '/a', status: '200' }) // same text, same series
    c.inc({ method: 'GET', route: '/b', status: 200 })
    c.inc({ method: 'POST', route: '/a', status: 200 })
    c.inc({ method: 'GET', route: 'x"\\\ny', status: 500 })
    c.inc({ method: 'GET', route: '/a' }) // a missing label is the empty value
    const text = await m.render()
    expect(text).toContain('req_total{method="GET",route="/a",status="200"} 3')
    expect(text).toContain('req_total{method="GET",route="/b",status="200"} 1')
    expect(text).toContain('req_total{method="POST",route="/a",status="200"} 1')
    expect(text).toContain('req_total{method="GET",route="x\\"\\\\\\ny",status="500"} 1')
    expect(text).toContain('req_total{method="GET",route="/a",status=""} 1')
  })
})
