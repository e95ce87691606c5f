import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { ADMIN, logout, me, openPair, ORIGIN, sessionFor } from '../auth/harness.js'
import { nearOf, untilLive, withinLease } from './helpers.js'

/**
 * Issue 16: three app instances with CACHE_NEAR on one Redis (and one PostgreSQL). Each instance keeps
 * sessions and catalog answers in process; Redis' invalidations must end them everywhere. The bound
 * asserted is the documented one (docs/near-cache.md): nothing is served later than the lease (50 ms)
 * after the write was acknowledged; how soon it is in practice is measured in bench/near.ts.
 */
const LEASE_MS = 50

describe('three instances with a near cache on one Redis', () => {
  let pair: Awaited<ReturnType<typeof openPair>>
  let fleet: Container[]
  beforeAll(async () => {
    pair = await openPair({ cache: 'redis', store: 'postgres', env: { CACHE_NEAR: 'true', CACHE_NEAR_LEASE_MS: String(LEASE_MS), CATALOG_SEED: 'false' } })
    fleet = await Promise.all([0, 1, 2].map(() => pair.instance(silentLogger)))
    await untilLive(fleet)
  })
  afterAll(async () => {
    await pair.close()
  })

  it('logout on A: B and C refuse the session (served from their near copies until then)', async () => {
    const [a, b, c] = fleet as [Container, Container, Container]
    const sid = await sessionFor(a.app, ADMIN.username, ADMIN.password)
    for (const inst of [b, c]) for (let i = 0; i < 3; i++) expect((await me(inst.app, sid)).status).toBe(200)
    const before = await nearOf(b)
    expect((await me(b.app, sid)).status).toBe(200)
    expect((await nearOf(b)).hits).toBeGreaterThan(before.hits) // a near hit, not a Redis GET
    expect((await logout(a.app, sid)).status).toBe(204)
    const acknowledged = performance.now()
    for (const inst of [b, c]) await withinLease(acknowledged, LEASE_MS, async () => (await me(inst.app, sid)).status === 401)
    for (const inst of [a, b, c]) expect((await me(inst.app, sid)).status).toBe(401)
  })

  it('reports the near counters in /cache/stats and /metrics', async () => {
    const b = fleet[1]!
    const sid = await sessionFor(b.app, ADMIN.username, ADMIN.password)
    for (let i = 0; i < 3; i++) await me(b.app, sid)
    const stats = (await (await b.app.request('/cache/stats', { headers: { cookie: `sid=${sid}` } })).json()) as { near: { hits: number; live: boolean } }
    expect(stats.near.hits).toBeGreaterThan(0)
    expect(stats.near.live).toBe(true)
    const metrics = await (await b.app.request('/metrics', { headers: { cookie: `sid=${sid}` } })).text()
    const hits = Number(/^cache_near_hits_total\{backend="redis"\} (\d+)/m.exec(metrics)?.[1])
    expect(hits).toBeGreaterThan(0)
    expect(metrics).toMatch(/^cache_near_live\{backend="redis"\} 1$/m)
    expect(metrics).toMatch(/^cache_near_bypasses_total\{backend="redis"\} \d+$/m)
  })

  it("an import on A: B's cached search shows the new job", async () => {
    const [a, b] = fleet as [Container, Container]
    const word = `nearword${Date.now().toString(36)}`
    const search = async () => (await (await b.app.request(`/ahsp/search?q=${word}`)).json()) as { total: number }
    expect((await search()).total).toBe(0)
    const hit = await b.app.request(`/ahsp/search?q=${word}`)
    expect(hit.headers.get('x-cache')).toBe('HIT')
    const sid = await sessionFor(a.app, ADMIN.username, ADMIN.password)
    const component = { category: 'TK', itemCode: 'L.01', description: 'Pekerja', unit: 'OH', coefficient: '0.25' }
    const job = { source: 'NEAR', code: '7.7.8', name: `Pekerjaan ${word}`, unit: 'm2', components: [component] }
    const imported = await a.app.request('/ahsp/import', {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: `sid=${sid}`, 'content-type': 'application/json' },
      body: JSON.stringify([job]),
    })
    expect(imported.status).toBe(200)
    await withinLease(performance.now(), LEASE_MS, async () => (await search()).total === 1)
  })

  it('500 concurrent requests on a limit of 100, spread over the three: exactly 100 pass', async () => {
    const limited = await Promise.all([0, 1, 2].map(() => pair.instance(silentLogger, { RATE_LIMIT_API: '100/60', TRUST_PROXY: 'true' })))
    await untilLive(limited)
    const headers = { 'x-forwarded-for': '198.51.100.77' } // a client of its own: a fresh budget
    const statuses = await Promise.all(
      Array.from({ length: 500 }, (_, i) => Promise.resolve(limited[i % 3]!.app.request('/ahsp/sources', { headers })).then((r) => r.status)),
    )
    expect(statuses.filter((s) => s === 200)).toHaveLength(100)
    expect(statuses.filter((s) => s === 429)).toHaveLength(400)
  })
})
