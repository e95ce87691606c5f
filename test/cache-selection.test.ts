import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { createCacheFromConfig } from '../src/composition/cache.js'
import { TEST_REDIS_URL, uniqueName } from './helpers/services.js'
import { builtCaches } from './helpers/built-caches.js'
import { captureLogger } from './helpers/capture-logger.js'
import { startOwnRedis } from './helpers/redis-server.js'
import { createTcpGate } from './helpers/tcp-gate.js'

const SECRET = 'top-secret-pw'
const DEAD_REDIS = `redis://:${SECRET}@127.0.0.1:1/0`
const DEAD_DB = 'postgres://postgres@127.0.0.1:1/postgres'

describe('createCacheFromConfig: CACHE_BACKEND selection', () => {
  const suite = builtCaches('cachesel')
  const { build } = suite

  it('auto with nothing configured: memory, bare, silently', async () => {
    const cache = await build({})
    expect(cache.name).toBe('memory')
    expect(suite.logger().lines).toEqual([])
  })

  it('auto with a REDIS_URL that answers: redis, with memory standing by', async () => {
    const cache = await build({ REDIS_URL: TEST_REDIS_URL })
    expect(cache.name).toBe('failover(redis→memory)')
    await cache.set('k', 1)
    expect(await cache.get('k')).toBe(1)
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'redis', degraded: false })
    expect(suite.logger().lines).toEqual([])
  })

  it('auto with redis and a database: redis first, db as its fallback', async () => {
    const cache = await build({ REDIS_URL: TEST_REDIS_URL, DATABASE_URL: suite.db().url })
    expect(cache.name).toBe('failover(redis→db)')
  })

  it('auto with a dead REDIS_URL: one WARN naming redis, no password, then memory until redis answers', async () => {
    const cache = await build({ REDIS_URL: DEAD_REDIS })
    expect(cache.name).toBe('failover(redis→memory)')
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'memory', degraded: true })
    await cache.set('k', 1)
    expect(await cache.get('k')).toBe(1)
    const warns = suite.logger().at('warn')
    expect(warns).toHaveLength(1)
    expect(warns[0]!.msg).toMatch(/redis unreachable at start; using memory/)
    expect(suite.logger().text()).toMatch(/ECONNREFUSED/)
    expect(suite.logger().text()).not.toContain(SECRET)
  })

  it('explicit redis that cannot be reached falls back to db when DATABASE_URL is set', async () => {
    const cache = await build({ CACHE_BACKEND: 'redis', REDIS_URL: DEAD_REDIS, DATABASE_URL: suite.db().url })
    expect(cache.name).toBe('failover(redis→failover(db→memory))')
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'db', degraded: true })
    await cache.set('k', 'v')
    expect(await cache.get('k')).toBe('v')
    expect(suite.logger().at('warn')).toHaveLength(1)
    expect(suite.logger().at('warn')[0]!.msg).toMatch(/redis unreachable at start; using db/)
    expect(suite.logger().text()).not.toContain(SECRET)
  })

  it('explicit redis with neither redis nor db reachable ends on memory, one WARN with both reasons', async () => {
    const cache = await build({ CACHE_BACKEND: 'redis', REDIS_URL: DEAD_REDIS, DATABASE_URL: DEAD_DB })
    // both stay probed: redis as the primary, the database as its fallback
    expect(cache.name).toBe('failover(redis→failover(db→memory))')
    expect((await cache.stats()).active).toBe('memory')
    expect(suite.logger().at('warn')).toHaveLength(1)
    expect(suite.logger().at('warn')[0]!.fields.reasons).toHaveLength(2)
  })

  it('a Redis that was down at start takes over once it answers, without a restart', async () => {
    const own = await startOwnRedis()
    try {
      await own.kill()
      const cache = await build({ REDIS_URL: own.url })
      expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'memory', degraded: true })
      await cache.set('written-while-down', 1)
      await own.start()
      await expect.poll(async () => (await cache.stats()).active, { timeout: 8000, interval: 200 }).toBe('redis')
      await cache.set('k', 'on redis')
      expect(await cache.get('k')).toBe('on redis')
      expect(await cache.get('written-while-down')).toBeUndefined()
      expect(suite.logger().at('warn')).toHaveLength(1)
    } finally {
      await own.stop()
    }
  })

  it('a database cache that was down at start creates its table and takes over once PostgreSQL answers', async () => {
    const target = new URL(suite.db().url)
    const gate = await createTcpGate(target.hostname, Number(target.port || 5432))
    const url = new URL(suite.db().url)
    url.host = `127.0.0.1:${gate.port}`
    const prefix = uniqueName('gate')
    try {
      const cache = await build({ CACHE_BACKEND: 'db', DATABASE_URL: url.toString(), CACHE_KEY_PREFIX: prefix })
      expect(await cache.stats()).toMatchObject({ backend: 'db', active: 'memory', degraded: true })
      expect(suite.logger().at('warn')).toHaveLength(1)
      await cache.set('written-while-down', 1)
      expect(await cache.get('written-while-down')).toBe(1)
      await gate.open()
      await expect.poll(async () => (await cache.stats()).active, { timeout: 10_000, interval: 200 }).toBe('db')
      await cache.set('k', 'in postgres')
      expect(await cache.get('k')).toBe('in postgres')
      expect(await cache.get('written-while-down')).toBeUndefined()
      // the same namespace through a direct connection: the row is in the table this cache created
      const direct = await build({ CACHE_BACKEND: 'db', DATABASE_URL: suite.db().url, CACHE_KEY_PREFIX: prefix })
      expect(await direct.get('k')).toBe('in postgres')
    } finally {
      await gate.close()
    }
  })

  it('a database that is only Redis’s fallback and was down at start joins once PostgreSQL answers', async () => {
    const own = await startOwnRedis()
    const target = new URL(suite.db().url)
    const gate = await createTcpGate(target.hostname, Number(target.port || 5432))
    const url = new URL(suite.db().url)
    url.host = `127.0.0.1:${gate.port}`
    try {
      const cache = await build({ REDIS_URL: own.url, DATABASE_URL: url.toString() })
      expect(cache.name).toBe('failover(redis→failover(db→memory))')
      expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'redis' })
      expect(suite.logger().at('warn')).toHaveLength(1)
      await gate.open()
      await own.kill()
      await cache.set('k', 'while redis is down') // trips to the fallback
      await expect.poll(async () => (await cache.stats()).active, { timeout: 10_000, interval: 200 }).toBe('db')
      await cache.set('k2', 'in postgres')
      expect(await cache.get('k2')).toBe('in postgres')
    } finally {
      await gate.close()
      await own.stop()
    }
  })

  it('explicit redis without REDIS_URL says so', async () => {
    const cache = await build({ CACHE_BACKEND: 'redis' })
    expect(cache.name).toBe('memory')
    expect(suite.logger().text()).toMatch(/REDIS_URL is not set/)
  })

  it('CACHE_STRICT turns an unreachable explicit backend into a clear start-up error', async () => {
    const strict = (env: Record<string, string>) =>
      createCacheFromConfig(loadConfig({ CACHE_STRICT: 'true', ...env }), captureLogger()).then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    const redis = await strict({ CACHE_BACKEND: 'redis', REDIS_URL: DEAD_REDIS, DATABASE_URL: suite.db().url })
    expect(redis?.message).toMatch(/CACHE_BACKEND=redis cannot be reached .*CACHE_STRICT=true/)
    expect(redis?.message).not.toContain(SECRET)
    expect((await strict({ CACHE_BACKEND: 'redis' }))?.message).toMatch(/REDIS_URL is not set/)
    expect((await strict({ CACHE_BACKEND: 'db', DATABASE_URL: DEAD_DB }))?.message).toMatch(/CACHE_BACKEND=db/)
  })

  it('explicit db: the database, with memory standing by', async () => {
    const cache = await build({ CACHE_BACKEND: 'db', DATABASE_URL: suite.db().url, REDIS_URL: TEST_REDIS_URL })
    expect(cache.name).toBe('failover(db→memory)')
    expect(await cache.stats()).toMatchObject({ backend: 'db', active: 'db' })
  })

  it('explicit memory ignores configured servers', async () => {
    const cache = await build({ CACHE_BACKEND: 'memory', REDIS_URL: TEST_REDIS_URL, DATABASE_URL: suite.db().url })
    expect(cache.name).toBe('memory')
  })
})
