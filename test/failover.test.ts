import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import type { CachePort } from '../src/ports/cache.js'
import { createRedisCache } from '../src/adapters/redis/cache.js'
import { createMemoryCache } from '../src/adapters/memory/cache.js'
import { createFailoverCache } from '../src/adapters/resilience/failover-cache.js'
import { SERVERS, startOwnRedis, type OwnRedis } from './helpers/redis-server.js'
import { captureLogger } from './helpers/capture-logger.js'
import { loadConfig } from '../src/config.js'
import { buildContainer } from '../src/composition/index.js'
import { sleep } from './helpers/sleep.js'

const COMMAND_TIMEOUT_MS = 300
/** "Never hangs": generous for a loaded 2-core machine, far below anything a hang would take. */
const BOUND_MS = COMMAND_TIMEOUT_MS + 1700

/** Awaits `p`, failing the test if it takes longer than BOUND_MS. */
async function bounded<T>(p: Promise<T>): Promise<T> {
  const started = Date.now()
  const value = await p
  expect(Date.now() - started).toBeLessThan(BOUND_MS)
  return value
}

describe.each(SERVERS)('runtime failover against a %s this test owns', (server) => {
  let dir: string
  let own: OwnRedis
  let cache: CachePort | undefined
  const recovered = async () => !(await cache!.stats()).degraded

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ahsp-failover-'))
    // AOF with fsync on every write: a SIGKILLed server comes back with its data, as a real one would,
    // so the test can prove that keys changed during the outage do not come back from it.
    own = await startOwnRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], server)
  })
  afterEach(async () => {
    await cache?.close()
    cache = undefined
  })
  afterAll(async () => {
    await own.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('survives a crash without throwing or hanging, recovers, and invalidates what changed meanwhile', async () => {
    const logger = captureLogger()
    const primary = createRedisCache({ client: own.url, prefix: 'crash', commandTimeoutMs: COMMAND_TIMEOUT_MS })
    cache = createFailoverCache({
      primary,
      fallback: createMemoryCache({ prefix: 'crash' }),
      logger,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      probeIntervalMs: 100,
    })
    await cache.set('session', 'alive', 60)
    await cache.set('keep', 'kept', 60)
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'redis', degraded: false })

    await own.kill()
    await bounded(cache.set('during', 'x', 60))
    expect(await bounded(cache.get('during'))).toBe('x')
    expect(await bounded(cache.delete('session'))).toBe(false) // a logout during the outage
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => bounded(i % 2 ? cache!.incr('hits', 1, 60) : cache!.get('keep'))),
    )
    expect(burst).toHaveLength(100)
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'memory', degraded: true, failovers: 1 })
    expect(logger.at('warn')).toHaveLength(1)

    await own.start()
    await expect.poll(recovered, { timeout: 10_000, interval: 50 }).toBe(true)
    expect(await cache.get('keep')).toBe('kept') // the primary serves again, with its persisted data
    expect(await cache.get('session')).toBeUndefined() // persisted in Redis, but invalidated on the way back
    expect(await cache.get('during')).toBeUndefined()
    expect(await cache.get('hits')).toBeUndefined()
    expect(await cache.stats()).toMatchObject({ active: 'redis', degraded: false, failovers: 1, recoveries: 1 })
    expect(logger.at('warn')).toHaveLength(1)
    expect(logger.at('info')).toHaveLength(1)
  })

  it('fails over from a Redis that stops answering (CLIENT PAUSE) within the command timeout', async () => {
    const logger = captureLogger()
    // The adapter's own timeout is long on purpose: the failover guard is what must cut the wait.
    const primary = createRedisCache({ client: own.url, prefix: 'slow', commandTimeoutMs: 10_000 })
    cache = createFailoverCache({
      primary,
      fallback: createMemoryCache({ prefix: 'slow' }),
      logger,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      probeIntervalMs: 100,
    })
    await cache.set('session', 'alive', 60)
    const admin = new Redis({ port: own.port, lazyConnect: true })
    await admin.connect()
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL')
    try {
      expect(await bounded(cache.get('session'))).toBeUndefined() // answered by the empty fallback
      expect(await bounded(cache.delete('session'))).toBe(false)
      expect(await cache.stats()).toMatchObject({ active: 'memory', degraded: true, failovers: 1 })
      await expect.poll(recovered, { timeout: 10_000, interval: 50 }).toBe(true)
      expect(await cache.get('session')).toBeUndefined()
      expect(await admin.get('slow:1:session')).toBeNull()
      expect(logger.at('warn')[0]!.fields.reason).toMatch(/no answer within 300 ms/)
    } finally {
      await admin.quit()
    }
  })

  it('through the composition root: /ready says degraded while Redis is down and ok once it is back', async () => {
    const logger = captureLogger()
    const config = loadConfig({ APP_ENV: 'test', REDIS_URL: own.url, CACHE_KEY_PREFIX: 'e2e' })
    const container = await buildContainer(config, logger, { passwordIterations: 1000 })
    const ready = async () => (await container.app.request('/ready')).json() as Promise<{ status: string; checks: { cache: Record<string, unknown> } }>
    try {
      expect(container.cache.name).toBe('failover(redis→memory)')
      expect((await ready()).checks.cache).toMatchObject({ backend: 'redis', active: 'redis', ok: true })
      await own.kill()
      await bounded(container.cache.set('k', 1))
      const down = await ready()
      expect(down.status).toBe('degraded')
      expect(down.checks.cache).toMatchObject({ backend: 'redis', active: 'memory', ok: true })
      await own.start()
      await expect.poll(async () => (await ready()).status === 'ok', { timeout: 10_000, interval: 50 }).toBe(true)
      expect((await ready()).checks.cache).toMatchObject({ active: 'redis' })
      expect(logger.text()).not.toMatch(/"level":"error"/)
    } finally {
      await container.close()
    }
  })
})
