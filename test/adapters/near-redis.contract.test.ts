import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { describeCachePortContract, type CacheFactoryOptions } from '../contracts/cache.contract.js'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { createRedisTrackingFeed, disjointPrefixes } from '../../src/adapters/redis/tracking-feed.js'
import { createNearCache, type NearCache } from '../../src/adapters/near/near-cache.js'
import { keyNamespace } from '../../src/adapters/shared/keys.js'
import { TEST_REDIS_URL, uniqueName } from '../helpers/services.js'
import { sleep } from '../helpers/sleep.js'

/** A near tier over Redis with every key near (`''`), so the whole contract runs through the local copies. */
async function nearRedis(o: CacheFactoryOptions, url = TEST_REDIS_URL): Promise<NearCache> {
  const ns = keyNamespace(o.prefix, o.version)
  const feed = createRedisTrackingFeed({ client: url, prefixes: [ns.base], heartbeatPrefix: `${ns.base}__near_heartbeat__:` })
  const near = createNearCache(createRedisCache({ client: url, ...o }), feed, { prefix: o.prefix, version: o.version, prefixes: [''] })
  for (let i = 0; i < 200 && !near.nearStats().live; i++) await sleep(10)
  // A tier that never went live would pass the contract by reading through to the backend: not a test of it.
  if (!near.nearStats().live) throw new Error('the near tier did not go live')
  return near
}

describeCachePortContract({ name: 'near(redis)', create: (o) => nearRedis(o) })

describe('near(redis) on the shared server', () => {
  let raw: Redis
  beforeAll(() => {
    raw = new Redis(TEST_REDIS_URL)
  })
  afterAll(async () => {
    await raw.quit()
  })

  it('is live and serves repeated reads without a round trip', async () => {
    const prefix = uniqueName('near')
    const a = await nearRedis({ prefix })
    expect(a.nearStats().live).toBe(true)
    await a.set('session:x', { u: 1 }, 60)
    for (let i = 0; i < 10; i++) expect(await a.get('session:x')).toEqual({ u: 1 })
    expect(a.nearStats()).toMatchObject({ hits: 9, misses: 1 })
    await a.clear()
    await a.close()
  })

  it("drops copies on writes by anyone — another instance, a raw client, the server's own expiry", async () => {
    const prefix = uniqueName('near')
    const [a, b] = [await nearRedis({ prefix }), await nearRedis({ prefix })]
    const settle = async (key: string, want: unknown) => {
      for (let i = 0; i < 100 && JSON.stringify(await b.get(key)) !== JSON.stringify(want); i++) await sleep(1)
      return b.get(key)
    }
    await a.set('k', 1, 60)
    expect(await b.get('k')).toBe(1)
    await a.set('k', 2, 60)
    expect(await settle('k', 2)).toBe(2)
    await raw.set(`${prefix}:1:k`, '3')
    expect(await settle('k', 3)).toBe(3)
    await a.set('short', 'v', 0.05)
    expect(await b.get('short')).toBe('v')
    await sleep(80)
    expect(await b.get('short')).toBeUndefined()
    const long = 'L'.repeat(300) // stored hashed: `<base>#<sha256>`
    await a.set(long, 'one', 60)
    expect(await b.get(long)).toBe('one')
    await a.set(long, 'two', 60)
    expect(await settle(long, 'two')).toBe('two')
    expect(b.nearStats().invalidations).toBeGreaterThanOrEqual(3)
    await a.clear()
    await Promise.all([a.close(), b.close()])
  })

  it('flushes on FLUSHDB of its database (a nil invalidation), then serves again once confirmed', async () => {
    const url = TEST_REDIS_URL.replace(/\/\d*$/, '') + '/9'
    const prefix = uniqueName('near')
    const a = await nearRedis({ prefix }, url)
    await a.set('k', 1, 60)
    await a.get('k')
    const db9 = new Redis(url)
    await db9.flushdb()
    await sleep(20)
    expect(a.nearStats().flushes).toBeGreaterThanOrEqual(1)
    expect(a.nearStats().entries).toBe(0)
    for (let i = 0; i < 100 && !a.nearStats().live; i++) await sleep(5)
    expect(a.nearStats().live).toBe(true)
    await db9.quit()
    await a.close()
  })

  it('tracks disjoint prefixes only (Redis refuses overlapping ones)', () => {
    expect(disjointPrefixes(['a:1:session:', 'a:1:', 'b:', 'a:1:#', 'b:'])).toEqual(['b:', 'a:1:'])
  })
})
