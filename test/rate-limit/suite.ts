import { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createApp } from '../../src/http/app.js'
import { createErrorHandler } from '../../src/http/error-handler.js'
import { clientIp } from '../../src/http/middleware/client-ip/index.js'
import { rateLimit } from '../../src/http/middleware/rate-limit/index.js'
import { rateLimitOf } from '../helpers/rate-limit-header.js'
import type { AppEnv } from '../../src/http/types.js'
import type { CachePort } from '../../src/ports/cache.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createFixedWindowLimiter, createRateLimits } from '../../src/use-cases/rate-limit/index.js'
import { uniqueName } from '../helpers/services.js'
import { sleep } from '../helpers/sleep.js'

export interface RateLimitSuiteOptions {
  name: string
  /** A cache on the backend under test; the same prefix on `shared` backends reaches the same counters. */
  createCache(prefix: string): CachePort | Promise<CachePort>
  /** Two caches with one prefix share data (Redis, PostgreSQL), as two app instances would. */
  shared: boolean
}


/**
 * The rate-limit behaviour every backend must give, through the real app (`createApp`) and its error
 * handler: exact counting under concurrency, window reset, header values, client identity, probes exempt.
 */
export function describeRateLimitSuite(opts: RateLimitSuiteOptions) {
  describe(`rate limits on ${opts.name}`, () => {
    const caches: CachePort[] = []
    afterAll(async () => {
      for (const c of caches) await c.clear().then(() => c.close())
    })

    async function cache(prefix = uniqueName('rl')): Promise<CachePort> {
      const c = await opts.createCache(prefix)
      caches.push(c)
      return c
    }

    async function appOn(c: CachePort, env: Record<string, string> = {}) {
      const config = loadConfig({ APP_ENV: 'test', ...env })
      const rateLimits = createRateLimits(c, config.rateLimit, silentLogger)
      return Object.assign(createApp({ config, logger: silentLogger, cache: c, readiness: [], rateLimits }), { rateLimits })
    }

    // A limited route that always answers 200 (the docs, /health and /ready are outside the API limit).
    const PROBE = '/__test/slow?ms=0'
    const get = async (app: { request: Hono['request'] }, path: string, headers: Record<string, string> = {}) =>
      app.request(path, { headers })

    it('lets exactly N of N+k concurrent requests through (500 against a limit of 100)', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '100/60' })
      // A cheap answer (404) keeps the test about counting: every status but 429 is a request let through.
      const res = await Promise.all(Array.from({ length: 500 }, () => get(app, '/rl-probe')))
      const statuses = res.map((r) => r.status)
      expect(statuses.filter((s) => s === 404)).toHaveLength(100)
      expect(statuses.filter((s) => s === 429)).toHaveLength(400)
      const remaining = res.filter((r) => r.status === 404).map((r) => rateLimitOf(r)!.remaining)
      expect(new Set(remaining).size).toBe(100) // every allowed request saw its own count: no lost increments
      expect(app.rateLimits.api.stats()).toEqual({ allowed: 100, blocked: 400, failedOpen: 0 })
    })

    it('sets draft-6 headers on allowed and refused responses, and a problem+json 429', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '2/60' })
      const first = await get(app, PROBE)
      expect(first.status).toBe(200)
      expect(first.headers.get('ratelimit-policy')).toBe('2;w=60')
      expect(first.headers.get('ratelimit')).toMatch(/^limit=2, remaining=1, reset=\d+$/)
      const { reset } = rateLimitOf(first)!
      expect(reset).toBeGreaterThanOrEqual(59)
      expect(reset).toBeLessThanOrEqual(60)
      expect(rateLimitOf(await get(app, '/no-such-route'))!.remaining).toBe(0) // 404s count too
      const refused = await get(app, PROBE)
      expect(refused.status).toBe(429)
      expect(refused.headers.get('content-type')).toBe('application/problem+json')
      expect(rateLimitOf(refused)).toMatchObject({ limit: 2, remaining: 0 })
      const retryAfter = Number(refused.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThanOrEqual(58)
      expect(retryAfter).toBeLessThanOrEqual(60)
      const body = await refused.json()
      expect(body).toMatchObject({ status: 429, title: 'Too Many Requests', policy: 'api', limit: 2, retryAfter })
      expect(body.detail).toContain('"api"')
    })

    it('starts a new window when the old one expires', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '2/1' })
      expect((await get(app, PROBE)).status).toBe(200)
      expect((await get(app, PROBE)).status).toBe(200)
      const refused = await get(app, PROBE)
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBe('1')
      await sleep(1100)
      const again = await get(app, PROBE)
      expect(again.status).toBe(200)
      expect(rateLimitOf(again)!.remaining).toBe(1)
    })

    it('never limits /health, /ready or the documentation, and sends them no RateLimit headers', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '1/60' })
      for (let i = 0; i < 5; i++) {
        for (const path of ['/health', '/ready', '/', '/openapi.json', '/docs']) {
          const res = await get(app, path)
          expect(res.status).toBe(200)
          expect(res.headers.get('ratelimit')).toBeNull()
          expect(res.headers.get('ratelimit-policy')).toBeNull()
        }
      }
      expect((await get(app, PROBE)).status).toBe(200)
      expect((await get(app, PROBE)).status).toBe(429)
    })

    it('ignores a spoofed X-Forwarded-For without TRUST_PROXY', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '2/60' })
      const statuses = []
      for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) {
        statuses.push((await get(app, PROBE, { 'x-forwarded-for': ip })).status)
      }
      expect(statuses).toEqual([200, 200, 429])
    })

    it('with TRUST_PROXY counts the right-most untrusted hop, whatever the client forged to its left', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '2/60', TRUST_PROXY: 'true' })
      const via = (forged: string, real: string) =>
        get(app, PROBE, { 'x-forwarded-for': `${forged}, ${real}, 10.0.0.1` }).then((r) => r.status)
      expect([await via('6.6.6.6', '203.0.113.5'), await via('7.7.7.7', '203.0.113.5')]).toEqual([200, 200])
      expect(await via('8.8.8.8', '203.0.113.5')).toBe(429)
      expect(await via('6.6.6.6', '203.0.113.6')).toBe(200)
    })

    it('groups IPv6 clients by /64', async () => {
      const app = await appOn(await cache(), { RATE_LIMIT_API: '2/60', TRUST_PROXY: 'true' })
      const from = (ip: string) => get(app, PROBE, { 'x-forwarded-for': ip }).then((r) => r.status)
      expect(await from('2001:db8:1:2::1')).toBe(200)
      expect(await from('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(200)
      expect(await from('[2001:0db8:0001:0002::abcd]:443')).toBe(429)
      expect(await from('2001:db8:1:3::1')).toBe(200)
    })

    it('counts a logged-in user by id, across addresses, apart from anonymous traffic', async () => {
      const c = await cache()
      const limiter = createFixedWindowLimiter(c, { name: 'api', limit: 2, windowSeconds: 60, onBackendFailure: 'open' }, silentLogger)
      const app = new Hono<AppEnv>()
      app.onError(createErrorHandler(silentLogger))
      app.use(clientIp({ trustProxy: true }))
      app.use(async (ctx, next) => {
        const id = ctx.req.header('x-test-user')
        if (id) ctx.set('user', { id, username: id, role: 'user' })
        await next()
      })
      app.use(rateLimit({ limiter }))
      app.get('/', (ctx) => ctx.text('ok'))
      const as = async (user: string | undefined, ip: string) =>
        (await get(app, '/', { 'x-forwarded-for': ip, ...(user ? { 'x-test-user': user } : {}) })).status
      expect([await as('u1', '1.1.1.1'), await as('u1', '2.2.2.2'), await as('u1', '3.3.3.3')]).toEqual([200, 200, 429])
      expect(await as('u2', '1.1.1.1')).toBe(200)
      expect([await as(undefined, '1.1.1.1'), await as(undefined, '1.1.1.1')]).toEqual([200, 200])
    })

    if (opts.shared) it('shares one count between two app instances on the same backend', async () => {
      const prefix = uniqueName('rl')
      const a = await appOn(await cache(prefix), { RATE_LIMIT_API: '10/60' })
      const b = await appOn(await cache(prefix), { RATE_LIMIT_API: '10/60' })
      const res = await Promise.all(Array.from({ length: 30 }, (_, i) => get(i % 2 ? a : b, PROBE)))
      expect(res.filter((r) => r.status === 200)).toHaveLength(10)
      const other = await appOn(await cache(), { RATE_LIMIT_API: '10/60' })
      expect((await get(other, PROBE)).status).toBe(200) // another prefix: another count
    })
  })
}
