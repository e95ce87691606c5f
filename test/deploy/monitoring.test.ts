import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { loginCookie } from '../helpers/login.js'
import { exportedMetrics, metricsIn, ruleExpressions, type MetricUse } from './promql.js'

/**
 * The alert rules and the Grafana dashboard in deploy/ must name metrics (and labels) the app really
 * exports: checked against a real /metrics scrape, and the rules by promtool (Debian's prometheus
 * package; `.ci/run` installs it when missing — a missing promtool fails this test, it never skips).
 */
const ROOT = join(import.meta.dirname, '..', '..')
const RULES = join(ROOT, 'deploy/prometheus/ahsp-alerts.yml')
const RULE_TESTS = join(ROOT, 'deploy/prometheus/ahsp-alerts.test.yml')
const DASHBOARD = join(ROOT, 'deploy/grafana/ahsp-dashboard.json')
/** Added by Prometheus at scrape time, not by the app. */
const TARGET_LABELS = new Set(['instance', 'job'])
const ADMIN = { username: 'monitoring-admin', password: 'Monitoring-Secret-7' }

let container: Container
let exported: Map<string, Set<string>>

beforeAll(async () => {
  container = await buildContainer(
    loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, RATE_LIMIT_API: '1000/60', RATE_LIMIT_LOGIN: '1/300' }),
    silentLogger,
  )
  const app = container.app
  const cookie = await loginCookie(app, ADMIN)
  // Traffic that creates every series: searches, a 404, and a login refused by the throttle (429).
  await app.request('/ahsp/search?q=beton')
  await app.request('/ahsp/search?q=beton')
  await app.request('/nothing-here')
  const wrong = { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://localhost' }, body: JSON.stringify({ username: 'nobody', password: 'wrong' }) }
  expect((await app.request('/auth/login', wrong)).status).toBe(401)
  expect((await app.request('/auth/login', wrong)).status).toBe(429)
  const scrape = await app.request('/metrics', { headers: { Cookie: cookie } })
  expect(scrape.status).toBe(200)
  exported = exportedMetrics(await scrape.text())
})

afterAll(async () => {
  await container?.close()
})

function unknownUses(where: string, uses: MetricUse[]): string[] {
  return uses.flatMap(({ metric, labels }) => {
    const known = exported.get(metric)
    if (!known) return [`${where}: ${metric} is not exported`]
    return labels.filter((l) => !known.has(l) && !TARGET_LABELS.has(l) && l !== '__name__').map((l) => `${where}: ${metric} has no label ${l}`)
  })
}

function promtool(...args: string[]) {
  const r = spawnSync('promtool', args, { encoding: 'utf8' })
  if (r.error) throw new Error(`promtool is missing (apt-get install -y prometheus; .ci/run does it): ${r.error.message}`)
  return r
}

describe('alert rules', () => {
  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', RULES)
    expect(r.stdout + r.stderr).toContain('SUCCESS')
    expect(r.status).toBe(0)
  })

  it('fire on the series that should trigger them (promtool test rules)', () => {
    const r = promtool('test', 'rules', RULE_TESTS)
    expect(r.stdout + r.stderr, r.stdout + r.stderr).toContain('SUCCESS')
    expect(r.status).toBe(0)
  })

  it('cover the operations checklist and name only exported metrics and labels', () => {
    const rules = readFileSync(RULES, 'utf8')
    for (const alert of ['AhspCacheDegraded', 'AhspCacheFailoversFlapping', 'AhspHigh5xxRate', 'AhspHighLatencyP99', 'AhspRateLimitRejectionsSpike', 'AhspLoginThrottleRefusals']) {
      expect(rules).toContain(`alert: ${alert}`)
    }
    const exprs = ruleExpressions(rules)
    expect(exprs.length).toBeGreaterThanOrEqual(9)
    const uses = exprs.flatMap((e) => metricsIn(e))
    expect(uses.length).toBeGreaterThanOrEqual(exprs.length)
    expect(exprs.flatMap((e, i) => unknownUses(`rule ${i + 1}`, metricsIn(e)))).toEqual([])
  })
})

describe('Grafana dashboard', () => {
  it('is valid JSON whose every panel expression names exported metrics and labels', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] }
    const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })))
    expect(targets.length).toBeGreaterThanOrEqual(12)
    for (const t of targets) expect(metricsIn(t.expr).length, t.expr).toBeGreaterThan(0)
    expect(targets.flatMap((t) => unknownUses(t.panel, metricsIn(t.expr)))).toEqual([])
    // The figures an operator looks for first are all there.
    const all = targets.map((t) => t.expr).join('\n')
    for (const m of ['cache_degraded', 'cache_hits_total', 'cache_failovers_total', 'http_request_duration_seconds_bucket', 'rate_limit_rejections_total', 'sessions_active']) {
      expect(all).toContain(m)
    }
  })

  it('the expression reader finds what it should (so the checks above can fail)', () => {
    expect(metricsIn('sum by (route) (rate(http_requests_total{route="/a", status=~"5.."}[5m])) / on (x) nope_total')).toEqual([
      { metric: 'http_requests_total', labels: ['route', 'status'] },
      { metric: 'nope_total', labels: [] },
    ])
    expect(unknownUses('x', metricsIn('rate(made_up_metric[5m])'))).toEqual(['x: made_up_metric is not exported'])
    expect(unknownUses('x', metricsIn('cache_degraded{colour="red"}'))).toEqual(['x: cache_degraded has no label colour'])
  })
})
