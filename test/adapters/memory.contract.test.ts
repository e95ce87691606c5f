import { describe, expect, it } from 'vitest'
import { describeCachePortContract } from '../contracts/cache.contract.js'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'

describeCachePortContract({ name: 'memory', create: (o) => createMemoryCache(o) })

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

  it('rejects a bad bound at construction', () => {
    expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(TypeError)
  })
})
