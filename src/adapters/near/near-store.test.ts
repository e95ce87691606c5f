import { describe, expect, it } from 'vitest'
import { createNearStore } from './near-store.js'

const entry = (n = 1) => ({ value: n, bytes: 100, expiresAt: null })

describe('near store (second-chance eviction)', () => {
  it('evicts the oldest entry not read since, never the one just stored', () => {
    const store = createNearStore(3, 1_000_000)
    for (const k of ['a', 'b', 'c']) store.set(k, entry())
    store.set('d', entry()) // all had their chance: the hand clears them, then a (oldest) goes
    expect(store.get('a', 0)).toBeUndefined()
    store.get('b', 0)
    store.set('e', entry()) // b was read since: c goes instead
    expect(store.get('b', 0)).toBeDefined()
    expect(store.get('c', 0)).toBeUndefined()
    expect(store.get('e', 0)).toBeDefined()
    expect(store.stats()).toMatchObject({ entries: 3, evictions: 2 })
  })
  it('bounds bytes, drops what is larger than the bound and what has expired', () => {
    const store = createNearStore(100, 250)
    store.set('a', entry())
    store.set('b', entry())
    store.set('c', entry())
    expect(store.stats().bytes).toBeLessThanOrEqual(250)
    store.set('huge', { value: 1, bytes: 300, expiresAt: null })
    expect(store.get('huge', 0)).toBeUndefined()
    store.set('old', { value: 1, bytes: 10, expiresAt: 5 })
    expect(store.get('old', 4)).toBeDefined()
    expect(store.get('old', 5)).toBeUndefined()
  })
})
