import { describe, expect, it } from 'vitest'
import { createMetricsRegistry } from './registry.js'

describe('metrics registry', () => {
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

  it('histograms share the memo without mixing series', async () => {
    const m = createMetricsRegistry()
    const h = m.histogram('lat_seconds', 'Latency', ['route'], [0.1, 1])
    h.observe({ route: '/a' }, 0.05)
    h.observe({ route: '/a' }, 0.5)
    h.observe({ route: '/b' }, 2)
    const text = await m.render()
    expect(text).toContain('lat_seconds_bucket{route="/a",le="0.1"} 1')
    expect(text).toContain('lat_seconds_bucket{route="/a",le="1"} 2')
    expect(text).toContain('lat_seconds_count{route="/a"} 2')
    expect(text).toContain('lat_seconds_bucket{route="/b",le="+Inf"} 1')
    expect(text).toContain('lat_seconds_count{route="/b"} 1')
  })
})
