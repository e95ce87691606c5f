import { afterEach, describe, expect, it } from 'vitest'
import { createNearCache, type NearCache } from './near-cache.js'
import { createMemoryCache } from '../memory/cache.js'
import { chaosCache, type ChaosCache } from '../../../test/helpers/chaos-cache.js'
import { manualFeed, type ManualFeed } from '../../../test/helpers/manual-feed.js'

describe('near cache (unit: a memory remote, a feed driven by the test)', () => {
  let clock = 1000
  let remote: ChaosCache
  let feed: ManualFeed
  let near: NearCache
  const setup = (o: { maxEntries?: number; maxBytes?: number } = {}) => {
    clock = 1000
    remote = chaosCache(createMemoryCache({ prefix: 'p', version: 1, now: () => clock }), 'redis')
    feed = manualFeed()
    feed.confirm(clock)
    near = createNearCache(remote, feed, { prefix: 'p', version: 1, prefixes: ['session:'], leaseMs: 50, now: () => clock, ...o })
  }
  afterEach(async () => {
    await near.close()
  })
  const gets = () => remote.calls.get ?? 0

  it('serves an opted-in key from process after the first read, as a private copy', async () => {
    setup()
    await near.set('session:a', { user: 'u' }, 60)
    expect(await near.get('session:a')).toEqual({ user: 'u' })
    const copy = await near.get<{ user: string }>('session:a')
    expect(gets()).toBe(1)
    copy!.user = 'changed'
    expect(await near.get('session:a')).toEqual({ user: 'u' })
    expect(near.nearStats()).toMatchObject({ hits: 2, misses: 1, entries: 1 })
  })

  it('never keeps other keys near: rate-limit counters count on the remote every time', async () => {
    setup()
    await near.incr('rl:api:1.2.3.4', 1, 60)
    await near.get('rl:api:1.2.3.4')
    await near.get('rl:api:1.2.3.4')
    expect(gets()).toBe(2)
    expect(remote.calls.incr).toBe(1)
    expect(near.nearStats().entries).toBe(0)
  })

  it('drops a copy on an invalidation of its stored key, and everything on a flush', async () => {
    setup()
    await near.setMany([['session:a', 1], ['session:b', 2]], 60)
    await near.getMany(['session:a', 'session:b'])
    feed.emit({ keys: ['p:1:session:a'] })
    expect(near.nearStats().entries).toBe(1)
    await near.get('session:b')
    expect(gets()).toBe(2)
    feed.emit({ flush: 'test' })
    expect(near.nearStats()).toMatchObject({ entries: 0, flushes: 1, invalidations: 1 })
  })

  it('does not keep a value fetched while its key was invalidated (the reply raced the invalidation)', async () => {
    setup()
    await remote.set('session:a', 'old', 60)
    remote.delay(20)
    const read = near.get('session:a')
    await new Promise((r) => setTimeout(r, 5))
    feed.emit({ keys: ['p:1:session:a'] })
    expect(await read).toBe('old') // what the remote answered
    remote.heal()
    expect(near.nearStats().entries).toBe(0) // but it is not kept
    const flushed = near.get('session:a')
    feed.emit({ flush: 'test' })
    await flushed
    expect(near.nearStats().entries).toBe(0)
  })

  it('bypasses to the remote once the feed has not confirmed within the lease, and serves again after', async () => {
    setup()
    await near.set('session:a', 1, 60)
    await near.get('session:a')
    clock += 51
    await near.get('session:a')
    expect(gets()).toBe(2)
    expect(near.nearStats()).toMatchObject({ bypasses: 1, live: false })
    feed.confirm(clock)
    await near.get('session:a')
    expect(gets()).toBe(2)
    feed.confirm(undefined)
    await near.get('session:a')
    expect(gets()).toBe(3)
  })

  it("honours the remote's expiry locally", async () => {
    setup()
    await near.set('session:a', 1, 0.1)
    await near.get('session:a')
    clock += 40
    feed.confirm(clock)
    expect(await near.get('session:a')).toBe(1)
    expect(gets()).toBe(1)
    clock += 70
    feed.confirm(clock)
    expect(await near.get('session:a')).toBeUndefined()
    expect(gets()).toBe(2)
  })

  it('drops the local copy on every write of the key', async () => {
    setup()
    for (const write of [
      () => near.set('session:a', 2, 60),
      () => near.delete('session:a'),
      () => near.touch('session:a', 60),
      () => near.add('session:a', 3, 60),
      () => near.deleteMany(['session:a']),
      () => near.clear(),
    ]) {
      await near.set('session:a', 1, 60)
      await near.get('session:a')
      await write()
      expect(near.nearStats().entries).toBe(0)
    }
  })

  it('stays within its entry and byte bounds, least recently read first', async () => {
    setup({ maxEntries: 2 })
    for (const k of ['a', 'b', 'c']) {
      await near.set(`session:${k}`, k, 60)
      await near.get(`session:${k}`)
    }
    expect(near.nearStats()).toMatchObject({ entries: 2, evictions: 1 })
    await near.get('session:a')
    expect(gets()).toBe(4)
    await near.close()
    setup({ maxBytes: 2000 })
    await near.set('session:big', 'x'.repeat(900), 60)
    await near.set('session:small', 'y', 60)
    await near.get('session:big')
    await near.get('session:small')
    expect(near.nearStats().bytes).toBeLessThanOrEqual(2000)
    expect(near.nearStats().evictions).toBe(1)
  })

  it('reports its counters inside the remote stats', async () => {
    setup()
    const stats = await near.stats()
    expect(stats.near).toMatchObject({ hits: 0, leaseMs: 50, live: true, feed: { live: true } })
  })
})
