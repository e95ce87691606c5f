import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { createFailoverCache } from '../../src/adapters/resilience/failover-cache.js'
import { loadConfig } from '../../src/config.js'
import { BackendUnavailableError, RateLimitExceededError } from '../../src/domain/errors.js'
import { createApp } from '../../src/http/app.js'
import { registerAppMetrics } from '../../src/composition/metrics.js'
import type { CachePort } from '../../src/ports/cache.js'
import { silentLogger, type Logger } from '../../src/ports/logger.js'
import { createRateLimits, type RateLimits } from '../../src/use-cases/rate-limit/index.js'
import { createMetricsRegistry } from '../../src/adapters/metrics/prometheus-registry.js'
import { captureLogger } from '../helpers/capture-logger.js'
import { chaosCache } from '../helpers/chaos-cache.js'
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'
import { uniqueName } from '../helpers/services.js'

function appOn(cache: CachePort, logger: Logger, env: Record<string, string>) {
  const config = loadConfig({ APP_ENV: 'test', ...env })
  const rateLimits = createRateLimits(cache, config.rateLimit, logger)
  const metrics = registerAppMetrics(createMetricsRegistry(), { cache, rateLimits })
  return { app: createApp({ config, logger, cache, readiness: [], rateLimits, metrics }), rateLimits, metrics }
}

async function statuses(app: ReturnType<typeof appOn>['app'], n: number, path = '/rl-probe'): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await app.request(path)).status)
  return out
}

/** One wrong password as the login route makes it. */
async function wrongPassword(limits: RateLimits, user: string, ip: string): Promise<number> {
  try {
    await limits.login.check(user, ip)
  } catch (err) {
    if (err instanceof RateLimitExceededError) return 429
    if (err instanceof BackendUnavailableError) return 503
    throw err
  }
  await limits.login.fail(user, ip)
  return 401
}

describe('failure policy when no cache backend can count', () => {
  it('API limit fails open: requests are served uncounted, without headers, logged and counted', async () => {
    const cache = chaosCache(createMemoryCache())
    const logger = captureLogger()
    const { app, rateLimits, metrics } = appOn(cache, logger, { RATE_LIMIT_API: '2/60' })
    expect(await statuses(app, 3)).toEqual([404, 404, 429])
    cache.alwaysThrow()
    const res = await app.request('/rl-probe')
    expect(res.status).toBe(404)
    expect(res.headers.get('ratelimit')).toBeNull()
    expect(await statuses(app, 5)).toEqual([404, 404, 404, 404, 404])
    expect(rateLimits.api.stats()).toMatchObject({ failedOpen: 6 })
    const warns = logger.at('warn').filter((l) => l.msg.includes('rate limit backend failing'))
    expect(warns).toHaveLength(1) // one line per interval, not one per request
    expect(warns[0]!.fields).toMatchObject({ policy: 'api', failedOpen: 1 })
    const text = await metrics.render()
    expect(text).toContain('rate_limit_requests_total{policy="api",outcome="failed_open"} 6')
    expect(text).toContain('rate_limit_requests_total{policy="api",outcome="blocked"} 1')
    cache.heal()
    expect((await app.request('/rl-probe')).status).toBe(429) // counting resumes where it was
  })

  it('login limit fails closed: no counting possible → 503, never unlimited guesses', async () => {
    const cache = chaosCache(createMemoryCache())
    const logger = captureLogger()
    const limits = createRateLimits(cache, loadConfig({ RATE_LIMIT_LOGIN: '3/60' }).rateLimit, logger)
    expect(await wrongPassword(limits, 'alice', '198.51.100.1')).toBe(401)
    cache.alwaysThrow()
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => wrongPassword(limits, 'alice', '198.51.100.1')))
    expect(outcomes).toEqual(Array(10).fill(503))
    await expect(limits.login.fail('alice', '198.51.100.1')).rejects.toBeInstanceOf(BackendUnavailableError)
    expect(logger.at('error').some((l) => l.msg.includes('refusing logins'))).toBe(true)
    cache.heal()
    expect(await wrongPassword(limits, 'alice', '198.51.100.1')).toBe(401)
  })
})

describe('failure policy with the failover cache when its Redis is killed', () => {
  let redis: OwnRedis
  const opened: CachePort[] = []

  beforeAll(async () => {
    redis = await startOwnRedis()
  })
  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => {})
    await redis?.stop()
  })

  function failover(fallback: CachePort = createMemoryCache()): CachePort {
    const primary = createRedisCache({ client: redis.url, prefix: uniqueName('rl'), commandTimeoutMs: 300, connectTimeoutMs: 300 })
    const cache = createFailoverCache({ primary, fallback, logger: silentLogger, commandTimeoutMs: 300, probeIntervalMs: 200 })
    opened.push(cache, primary)
    return cache
  }

  it('keeps counting both limits on the fallback; with the fallback gone too, API open and login closed', async () => {
    const fallback = chaosCache(createMemoryCache())
    const cache = failover(fallback)
    const { app, rateLimits } = appOn(cache, silentLogger, { RATE_LIMIT_API: '3/60', RATE_LIMIT_LOGIN: '2/60' })

    expect(await statuses(app, 2)).toEqual([404, 404]) // counted on Redis
    expect(await wrongPassword(rateLimits, 'bob', '198.51.100.2')).toBe(401)
    expect((await cache.stats()).active).toBe('redis')

    await redis.kill()
    // Redis is gone: the failover cache serves from memory, where the counts start afresh.
    const afterKill = await statuses(app, 4)
    expect(afterKill).toEqual([404, 404, 404, 429])
    expect((await cache.stats()).degraded).toBe(true)
    // Failed logins keep counting on the fallback: still a limit, never unlimited guesses.
    expect([await wrongPassword(rateLimits, 'bob', '198.51.100.2'), await wrongPassword(rateLimits, 'bob', '198.51.100.2')]).toEqual([401, 401])
    expect(await wrongPassword(rateLimits, 'bob', '198.51.100.2')).toBe(429)
    expect(rateLimits.api.stats().failedOpen).toBe(0)

    // And the fallback fails as well: the API serves uncounted, logins are refused.
    fallback.alwaysThrow()
    expect(await statuses(app, 3)).toEqual([404, 404, 404])
    expect(rateLimits.api.stats().failedOpen).toBe(3)
    expect(await wrongPassword(rateLimits, 'carol', '198.51.100.3')).toBe(503)
  })
})
