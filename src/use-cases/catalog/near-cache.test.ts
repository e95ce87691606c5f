import { describe, expect, it } from 'vitest'
import { createNearCache } from './near-cache.js'

describe('near cache', () => {
  it('bounds entries and characters, oldest out first', () => {
    const c = createNearCache(2, 60, { maxChars: 10 })
    c.set('a', '1234')
    c.set('b', '1234')
    c.set('c', '12')
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([undefined, '1234', '12'])
    c.set('d', '123456')
    expect([c.get('b'), c.get('c'), c.get('d')]).toEqual([undefined, '12', '123456'])
    c.set('e', 'x'.repeat(11))
    expect(c.get('e')).toBeUndefined()
  })

  it('expires entries after the TTL; 0 entries or TTL 0 disables it', () => {
    let t = 0
    const c = createNearCache(10, 1, { now: () => t })
    c.set('a', 'v')
    t = 999
    expect(c.get('a')).toBe('v')
    t = 1000
    expect(c.get('a')).toBeUndefined()
    for (const off of [createNearCache(0, 60), createNearCache(10, 0)]) {
      off.set('a', 'v')
      expect(off.get('a')).toBeUndefined()
    }
  })
})
