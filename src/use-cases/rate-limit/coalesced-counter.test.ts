import { describe, expect, it } from 'vitest'
import { coalescedCounter, type CountN } from './coalesced-counter.js'

/** One shared store of counters (as Redis is to several instances), answering after a turn of the event loop. */
function store() {
  const counters = new Map<string, number>()
  const trips: { key: string; n: number }[] = []
  let failNext = false
  const count: CountN = async (key, n) => {
    trips.push({ key, n })
    await new Promise((r) => setTimeout(r, 1))
    if (failNext) {
      failNext = false
      throw new Error('backend down')
    }
    const value = (counters.get(key) ?? 0) + n
    counters.set(key, value)
    return { value, ttl: 60 }
  }
  return { count, trips, counters, failNextTrip: () => (failNext = true) }
}

describe('coalescedCounter', () => {
  it('500 concurrent hits on one key: every position 1..500 once, in arrival order, in 2 round trips', async () => {
    const s = store()
    const hit = coalescedCounter(s.count)
    const positions = await Promise.all(Array.from({ length: 500 }, () => hit('k').then((c) => c.value)))
    expect(positions).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
    expect(s.trips).toEqual([
      { key: 'k', n: 1 },
      { key: 'k', n: 499 },
    ])
    expect(s.counters.get('k')).toBe(500)
  })

  it('a key with nothing in flight is sent at once: distinct keys never wait for each other', async () => {
    const s = store()
    const hit = coalescedCounter(s.count)
    const all = Promise.all(['a', 'b', 'c'].map((k) => hit(k)))
    expect(s.trips).toEqual([
      { key: 'a', n: 1 },
      { key: 'b', n: 1 },
      { key: 'c', n: 1 },
    ])
    expect((await all).map((c) => c.value)).toEqual([1, 1, 1])
  })

  it('two instances on one store: their batches are disjoint ranges, so the positions are exactly 1..N', async () => {
    const s = store()
    const a = coalescedCounter(s.count)
    const b = coalescedCounter(s.count)
    const positions = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b)('k').then((c) => c.value)))
    expect([...positions].sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
  })

  it('a failed round trip fails its own hits only; the hits that waited behind it are counted by the next one', async () => {
    const s = store()
    const hit = coalescedCounter(s.count)
    s.failNextTrip()
    const first = hit('k')
    const waiting = Array.from({ length: 9 }, () => hit('k'))
    await expect(first).rejects.toThrow('backend down')
    expect((await Promise.all(waiting)).map((c) => c.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(s.counters.get('k')).toBe(9)
  })

  it('a counter that throws synchronously rejects the hit instead of stranding the key', async () => {
    let calls = 0
    const hit = coalescedCounter((() => {
      if (++calls === 1) throw new Error('bad key')
      return Promise.resolve({ value: 1, ttl: 60 })
    }) as CountN)
    await expect(hit('k')).rejects.toThrow('bad key')
    expect((await hit('k')).value).toBe(1)
  })
})
