import { describe, expect, it } from 'vitest'
import { describeCachePortContract } from '../contracts/cache.contract.js'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'

describeCachePortContract({ name: 'memory', create: (o) => createMemoryCache(o) })

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length

describe('memory adapter', () => {
  it('evicts down to maxEntries, keeping recently used entries', async () => {
    const cache = createMemoryCache({ maxEntries: 3 })
    await cache.setMany([['a', 1], ['b', 2], ['c', 3]])
    await cache.get('a')
    await cache.set('d', 4)
    expect(await cache.getMany(['a', 'b', 'c', 'd'])).toEqual([1, undefined, 3, 4])
    expect((await cache.stats()).entries).toBe(3)
  })

  it('expires lazily against its clock, with no timers', async () => {
    let t = 1_000_000
    const cache = createMemoryCache({ now: () => t })
    await cache.set('k', 'v', 10)
    t += 9_999
    expect(await cache.get('k')).toBe('v')
    t += 2
    expect(await cache.get('k')).toBeUndefined()
  })

  it('honours fractional TTLs to the millisecond', async () => {
    let t = 0
    const cache = createMemoryCache({ now: () => t })
    await cache.set('k', 1, 0.25)
    t = 249
    expect(await cache.get('k')).toBe(1)
    t = 250
    expect(await cache.get('k')).toBeUndefined()
  })

  it('starts no timers, so it never keeps the process alive', async () => {
    const before = timers()
    const cache = createMemoryCache({ maxEntries: 5 })
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i, 0.01 * (i + 1))
    await cache.incr('n', 1, 60)
    await cache.touch('k19', 30)
    expect(timers()).toBe(before)
    await cache.close()
  })

  it('rejects a bad bound at construction', () => {
    expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(TypeError)
    expect(() => createMemoryCache({ maxEntries: 1.5 })).toThrow(TypeError)
  })
})
