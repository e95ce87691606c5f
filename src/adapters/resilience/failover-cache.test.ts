import { afterEach, describe, expect, it } from 'vitest'
import { createFailoverCache } from './failover-cache.js'
import { createMemoryCache } from '../memory/cache.js'
import { CacheError } from '../../domain/errors.js'
import type { CachePort } from '../../ports/cache.js'
import { chaosCache, type ChaosCache } from '../../../test/helpers/chaos-cache.js'
import { captureLogger } from '../../../test/helpers/capture-logger.js'
import { sleep } from '../../../test/helpers/sleep.js'


describe('failover cache (chaos-driven)', () => {
  let primaryStore: CachePort
  let primary: ChaosCache
  let fallback: CachePort
  let logger: ReturnType<typeof captureLogger>
  let cache: CachePort

  function setup(opts: { maxDirtyKeys?: number; onActivate?: (c: CachePort) => Promise<unknown> } = {}) {
    primaryStore = createMemoryCache()
    primary = chaosCache(primaryStore, 'redis')
    fallback = createMemoryCache()
    logger = captureLogger()
    cache = createFailoverCache({ primary, fallback, logger, commandTimeoutMs: 100, probeIntervalMs: 30, ...opts })
  }
  afterEach(async () => {
    await cache.close()
  })

  it('serves from the primary while it is healthy', async () => {
    setup()
    await cache.set('k', 1)
    expect(await primaryStore.get('k')).toBe(1)
    expect(await fallback.get('k')).toBeUndefined()
    expect(cache.name).toBe('failover(redis→memory)')
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'redis', degraded: false, failovers: 0 })
  })

  it('moves every call to the fallback when the primary throws, warning once', async () => {
    setup()
    primary.alwaysThrow()
    await cache.set('k', 'v')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => cache.incr(`n${i % 5}`)))
    expect(results).toHaveLength(50)
    expect(await cache.get('k')).toBe('v')
    expect(await fallback.get('k')).toBe('v')
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'memory', degraded: true, failovers: 1 })
    expect(logger.at('warn')).toHaveLength(1)
    expect(logger.at('warn')[0]!.fields).toMatchObject({ primary: 'redis', fallback: 'memory' })
  })

  it('does not wait on a slow primary longer than the command timeout', async () => {
    setup()
    await primaryStore.set('k', 'from-primary')
    primary.delay(10_000)
    const started = Date.now()
    expect(await cache.get('k')).toBeUndefined() // answered by the (empty) fallback
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await cache.stats()).degraded).toBe(true)
  })

  it('passes other errors through without failing over', async () => {
    setup()
    await expect(cache.set('k', 10n)).rejects.toMatchObject({ code: 'CACHE.INVALID_VALUE' })
    await cache.set('text', 'abc')
    await expect(cache.incr('text')).rejects.toMatchObject({ code: 'CACHE.NOT_INTEGER' })
    expect(await cache.stats()).toMatchObject({ degraded: false, failovers: 0, errors: 0 })
  })

  it('recovers when the primary answers again, deleting what changed meanwhile from it', async () => {
    setup()
    await cache.setMany([['session', 'alive'], ['untouched', 1], ['counter', 5]])
    primary.alwaysThrow()
    expect(await cache.delete('session')).toBe(false) // logged out during the outage
    await cache.set('fresh', 'new')
    await cache.incr('counter')
    primary.heal()
    await expect.poll(async () => !(await cache.stats()).degraded, { timeout: 3000, interval: 50 }).toBe(true)
    expect(await cache.get('session')).toBeUndefined()
    expect(await cache.get('fresh')).toBeUndefined()
    expect(await cache.get('counter')).toBeUndefined()
    expect(await cache.get('untouched')).toBe(1)
    await expect.poll(async () => (await fallback.get('fresh')) === undefined, { timeout: 3000, interval: 50 }).toBe(true)
    expect(await cache.stats()).toMatchObject({ active: 'redis', failovers: 1, recoveries: 1, dirtyKeys: 0 })
    expect(logger.at('warn')).toHaveLength(1)
    expect(logger.at('info')).toHaveLength(1)
  })

  it('recovers while writes keep arriving, and no key keeps a value from before the outage', async () => {
    setup()
    for (let k = 0; k < 10; k++) await cache.set(`k${k}`, 'old')
    primary.alwaysThrow()
    let running = true
    const written = new Map<string, number>()
    const writer = async (w: number) => {
      for (let i = 0; running; i++) {
        const key = `k${(w + i) % 10}`
        await cache.set(key, i)
        written.set(key, i)
        await cache.set(`fresh:${w}:${i}`, i) // a new key every time: the dirty set never empties by itself
        await sleep(1)
      }
    }
    const writers = Promise.all([0, 1, 2].map(writer))
    await sleep(50)
    primary.delay(5) // back, but every round trip lets writes in meanwhile
    await expect.poll(async () => !(await cache.stats()).degraded, { timeout: 3000, interval: 20 }).toBe(true)
    await sleep(50)
    running = false
    await writers
    for (let k = 0; k < 10; k++) expect(await cache.get(`k${k}`)).not.toBe('old')
    expect(await cache.stats()).toMatchObject({ active: 'redis', failovers: 1, recoveries: 1 })
  })

  it('clears the primary on recovery when the dirty set overflowed or clear() ran during the outage', async () => {
    setup({ maxDirtyKeys: 3 })
    await cache.set('old', 1)
    primary.alwaysThrow()
    for (let i = 0; i < 5; i++) await cache.set(`k${i}`, i)
    expect((await cache.stats()).dirtyKeys).toBe('all')
    primary.heal()
    await expect.poll(async () => !(await cache.stats()).degraded, { timeout: 3000, interval: 50 }).toBe(true)
    expect(await primaryStore.get('old')).toBeUndefined()

    await cache.set('old', 1)
    primary.alwaysThrow()
    await cache.clear()
    primary.heal()
    await expect.poll(async () => !(await cache.stats()).degraded, { timeout: 3000, interval: 50 }).toBe(true)
    expect(await cache.get('old')).toBeUndefined()
  })

  it('stays on the fallback while the primary keeps failing, probing it', async () => {
    setup()
    primary.alwaysThrow()
    await cache.get('k')
    const pings = primary.calls.ping ?? 0
    await sleep(200)
    expect((primary.calls.ping ?? 0) - pings).toBeGreaterThanOrEqual(2)
    expect((await cache.stats()).degraded).toBe(true)
  })

  it('rejects with CACHE.UNAVAILABLE, without hanging, when the fallback fails too', async () => {
    setup()
    const deadFallback = chaosCache(createMemoryCache(), 'memory')
    deadFallback.alwaysThrow()
    const both = createFailoverCache({ primary, fallback: deadFallback, logger, commandTimeoutMs: 100 })
    primary.delay(10_000)
    const err = await both.get('k').then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(CacheError)
    expect((err as CacheError).code).toBe('CACHE.UNAVAILABLE')
    await both.close()
  })

  it('counts hits and misses whichever backend answers', async () => {
    setup()
    await cache.set('a', 1)
    await cache.get('a')
    await cache.getMany(['a', 'b'])
    primary.alwaysThrow()
    await cache.get('a')
    expect(await cache.stats()).toMatchObject({ hits: 2, misses: 2 })
  })

  it('stops probing once closed', async () => {
    setup()
    primary.alwaysThrow()
    await cache.get('k')
    await cache.close()
    const pings = primary.calls.ping ?? 0
    await sleep(120)
    expect(primary.calls.ping ?? 0).toBe(pings)
  })

  it('runs onActivate on a backend before it serves: the fallback on failover, the primary before recovery', async () => {
    const order: string[] = []
    let failPrimary = true
    setup({
      async onActivate(c) {
        order.push(`activate ${c === fallback ? 'fallback' : 'primary'}`)
        await sleep(30)
        if (c === primary && failPrimary) throw new Error('store down')
        await c.set('marker', 'replayed')
      },
    })
    primary.alwaysThrow()
    order.push(`read ${String(await cache.get('marker'))}`)
    primary.heal()
    await expect.poll(async () => order.filter((o) => o === 'activate primary').length >= 2, { timeout: 3000, interval: 50 }).toBe(true)
    expect((await cache.stats()).degraded).toBe(true) // activation failed: the primary does not serve yet
    failPrimary = false
    await expect.poll(async () => !(await cache.stats()).degraded, { timeout: 3000, interval: 50 }).toBe(true)
    expect(await primaryStore.get('marker')).toBe('replayed')
    expect(order.slice(0, 2)).toEqual(['activate fallback', 'read replayed'])
  })
})
