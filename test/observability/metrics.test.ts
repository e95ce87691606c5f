import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { createMetricsApp } from '../../src/http/metrics-app.js'
import { silentLogger } from '../../src/ports/logger.js'
import { loginCookie } from '../helpers/login.js'

const ADMIN = { username: 'metrics-admin', password: 'Metrics-Admin-Pass-1' }
const env = { APP_ENV: 'test', CACHE_BACKEND: 'memory', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, RATE_LIMIT_API: '5/60' }

let main: Container
let separate: Container
let cookie: string

beforeAll(async () => {
  main = await buildContainer(loadConfig(env), silentLogger)
  separate = await buildContainer(loadConfig({ ...env, METRICS_PORT: '9464', RATE_LIMIT_LOGIN: '2/60' }), silentLogger)
  cookie = await loginCookie(main.app, ADMIN)
})

afterAll(async () => {
  await Promise.all([main?.close(), separate?.close()])
})

async function scrape(): Promise<string> {
  const res = await main.app.request('/metrics', { headers: { Cookie: cookie } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
  return res.text()
}

describe('GET /metrics on the main port', () => {
  it('is for administrators only', async () => {
    const res = await main.app.request('/metrics')
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toMatch(/problem\+json/)
  })

  it('counts requests by method, route pattern and status, with latency histograms', async () => {
    await main.app.request('/health')
    await main.app.request('/health')
    await main.app.request('/no/such/path/1')
    await main.app.request('/no/such/path/2')
    const text = await scrape()
    expect(text).toContain('# TYPE http_requests_total counter')
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/health",status="200"\} [2-9]$/m)
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 2$/m)
    expect(text).not.toContain('/no/such/path')
    expect(text).toContain('# TYPE http_request_duration_seconds histogram')
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{method="GET",route="\/health",le="\+Inf"\} [2-9]$/m)
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/health"\} [2-9]$/m)
  })

  it('exposes cache counters by backend and rate-limit outcomes by policy', async () => {
    await main.cache.set('metrics-probe', 1)
    await main.cache.get('metrics-probe')
    await main.cache.get('metrics-absent')
    // RATE_LIMIT_API=5/60 for an anonymous client: the later ones are 429
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) statuses.push((await main.app.request('/auth/me')).status)
    expect(statuses).toContain(429)
    const text = await scrape()
    expect(text).toMatch(/^cache_hits_total\{backend="memory"\} [1-9]\d*$/m)
    expect(text).toMatch(/^cache_misses_total\{backend="memory"\} [1-9]\d*$/m)
    expect(text).toMatch(/^cache_errors_total\{backend="memory"\} 0$/m)
    expect(text).toMatch(/^cache_failovers_total\{backend="memory"\} 0$/m)
    expect(text).toMatch(/^cache_degraded\{backend="memory",active="memory"\} 0$/m)
    expect(text).toMatch(/^rate_limit_requests_total\{policy="api",outcome="blocked"\} [1-9]\d*$/m)
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/auth\/me",status="429"\} [1-9]$/m)
    expect(text).toMatch(/^rate_limit_rejections_total\{policy="api"\} [1-9]$/m)
  })
})

describe('sessions_active', () => {
  it('counts live sessions in the store: up on login, down on logout', async () => {
    const own = await buildContainer(loadConfig({ ...env, RATE_LIMIT_API: '1000/60' }), silentLogger)
    try {
      const admin = await loginCookie(own.app, ADMIN)
      const gauge = async () => {
        const res = await own.app.request('/metrics', { headers: { Cookie: admin } })
        return Number(/^sessions_active (\d+)$/m.exec(await res.text())?.[1])
      }
      expect(await gauge()).toBe(1) // the scraping admin's own session
      const other = await loginCookie(own.app, ADMIN)
      expect(await gauge()).toBe(2)
      const out = await own.app.request('/auth/logout', { method: 'POST', headers: { Cookie: other } })
      expect(out.status).toBe(204)
      expect(await gauge()).toBe(1)
    } finally {
      await own.close()
    }
  })
})

describe('with METRICS_PORT set', () => {
  it('the main app has no /metrics; the metrics app serves it without a session', async () => {
    expect((await separate.app.request('/metrics')).status).toBe(404)
    await separate.app.request('/health')
    const metricsApp = createMetricsApp(separate.metrics)
    const res = await metricsApp.request('/metrics')
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/^http_requests_total\{method="GET",route="\/health",status="200"\} 1$/m)
    expect((await metricsApp.request('/health')).status).toBe(404)
  })

  it('counts login-throttle refusals under their policy', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await separate.app.request('/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: ADMIN.username, password: 'wrong-password' }),
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([401, 401, 429])
    const text = await (await createMetricsApp(separate.metrics).request('/metrics')).text()
    expect(text).toMatch(/^rate_limit_rejections_total\{policy="login"\} 1$/m)
  })
})
