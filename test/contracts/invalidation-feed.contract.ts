import { afterEach, describe, expect, it } from 'vitest'
import type { CachePort } from '../../src/ports/cache.js'
import type { InvalidationEvent, InvalidationFeed } from '../../src/ports/invalidation.js'
import { sleep } from '../helpers/sleep.js'

/**
 * What a backend gives the contract: a feed on the namespace `writer` writes to, with its connection
 * reachable by the test (to cut it or silence it) while `writer` talks to the server directly.
 */
export interface FeedSubject {
  feed: InvalidationFeed
  /** A cache on a client of its own (another instance), same backend and namespace as the feed. */
  writer: CachePort
  /** A cache of another namespace on the same server (its changes are not this feed's keys). */
  neighbour: CachePort
  /** The stored key (`keys.ts`) of a caller's key in the feed's namespace. */
  stored(key: string): string
  /** Ends the feed's connection on the server side (pg_terminate_backend, CLIENT KILL). */
  killConnection(): Promise<void>
  /** Makes the server silent to the feed (paused or partitioned: nothing answered, nothing closed). */
  silence(): Promise<void>
  /** Undoes `silence`. */
  restore(): Promise<void>
  /** Has the server remove expired entries now (PostgreSQL: the cleanup pass; Redis: a read). */
  collectExpired(key: string): Promise<void>
  close(): Promise<void>
}

export interface FeedContractOptions {
  name: string
  create(): Promise<FeedSubject>
  /** The near tier's lease: a healthy feed's `confirmedAt()` is never older; a silent one is past it within about as long. */
  leaseMs: number
}

interface Recorder {
  events: InvalidationEvent[]
  /** Stored keys delivered so far, in order. */
  keys(): string[]
  flushes(): number
}

function record(feed: InvalidationFeed): Recorder {
  const events: InvalidationEvent[] = []
  feed.subscribe((e) => events.push(e))
  return {
    events,
    keys: () => events.flatMap((e) => ('keys' in e ? e.keys : [])),
    flushes: () => events.filter((e) => 'flush' in e).length,
  }
}

/** Waits until `confirmedAt()` is within the lease (defined alone may be an old confirmation of a silent channel). */
function fresh(feed: InvalidationFeed, leaseMs: number): boolean {
  const at = feed.confirmedAt()
  return at !== undefined && performance.now() - at <= leaseMs
}

/** Delivered as a key or covered by a flush after `since` events. */
function covered(r: Recorder, key: string, since = 0): boolean {
  return r.events.slice(since).some((e) => ('flush' in e ? true : e.keys.includes(key)))
}

export function describeInvalidationFeedContract(options: FeedContractOptions): void {
  describe(`InvalidationFeed contract: ${options.name}`, () => {
    let subject: FeedSubject | undefined
    async function start(): Promise<FeedSubject & { r: Recorder }> {
      subject = await options.create()
      const r = record(subject.feed)
      await expect.poll(() => fresh(subject!.feed, options.leaseMs), { timeout: 10_000, interval: 10 }).toBe(true)
      return { ...subject, r }
    }
    afterEach(async () => {
      await subject?.close()
      subject = undefined
    })

    it('goes live: confirmedAt() is a recent time of this process clock, stats say live', async () => {
      const s = await start()
      const at = s.feed.confirmedAt()!
      expect(at).toBeLessThanOrEqual(performance.now())
      expect(performance.now() - at).toBeLessThanOrEqual(options.leaseMs)
      expect(s.feed.stats()).toMatchObject({ live: true })
      expect(s.feed.stats().heartbeats).toBeGreaterThanOrEqual(1)
    })

    it('delivers a write by another client as the stored key, and each kind of write', async () => {
      const s = await start()
      await s.writer.set('a', 1)
      await expect.poll(() => s.r.keys()).toContain(s.stored('a'))
      await s.writer.setMany([['b', 1], ['c', 2]])
      await s.writer.incr('n')
      await s.writer.add('d', 1)
      await s.writer.touch('a', 60)
      for (const k of ['b', 'c', 'n', 'd']) await expect.poll(() => s.r.keys()).toContain(s.stored(k))
      const before = s.r.events.length
      await s.writer.delete('a')
      await s.writer.deleteMany(['b', 'c'])
      await expect.poll(() => ['a', 'b', 'c'].every((k) => covered(s.r, s.stored(k), before))).toBe(true)
    })

    it('delivers changes in the order they were made', async () => {
      const s = await start()
      const keys = Array.from({ length: 30 }, (_, i) => `o${i}`)
      for (const k of keys) await s.writer.set(k, k)
      const mine = new Set(keys.map(s.stored))
      await expect.poll(() => s.r.keys().filter((k) => mine.has(k))).toEqual(keys.map(s.stored))
    })

    it('delivers clear and the removal of expired entries (as keys or a flush)', async () => {
      const s = await start()
      await s.writer.setMany([['x', 1], ['y', 2]])
      await expect.poll(() => s.r.keys()).toContain(s.stored('y'))
      let since = s.r.events.length
      await s.writer.clear()
      await expect.poll(() => ['x', 'y'].every((k) => covered(s.r, s.stored(k), since))).toBe(true)
      await s.writer.set('short', 1, 0.05)
      await expect.poll(() => s.r.keys()).toContain(s.stored('short'))
      since = s.r.events.length
      await sleep(120)
      await s.writer.get('short')
      await s.collectExpired('short')
      await expect.poll(() => covered(s.r, s.stored('short'), since)).toBe(true)
    })

    it('gives only keys of its own namespace', async () => {
      const s = await start()
      await s.neighbour.set('other', 1)
      await s.writer.set('after', 1)
      await expect.poll(() => s.r.keys()).toContain(s.stored('after'))
      expect(s.r.keys().every((k) => k.startsWith(s.stored('')))).toBe(true)
    })

    it('keeps confirmedAt() within the lease while healthy (heartbeats)', async () => {
      const s = await start()
      const end = performance.now() + 4 * options.leaseMs
      let worst = 0
      while (performance.now() < end) {
        const at = s.feed.confirmedAt()
        expect(at).toBeDefined()
        worst = Math.max(worst, performance.now() - at!)
        await sleep(10)
      }
      expect(worst).toBeLessThanOrEqual(options.leaseMs)
    })

    it('heartbeats on demand: a feed nobody asks sends none; asking brings a fresh confirmation within the lease', async () => {
      const s = await start()
      await sleep(options.leaseMs) // nobody asks: the heartbeat in flight comes back, the next is not sent
      const idle = s.feed.stats().heartbeats
      await sleep(2 * options.leaseMs)
      expect(s.feed.stats().heartbeats - idle).toBeLessThanOrEqual(1)
      const asked = s.feed.stats().heartbeats
      await expect.poll(() => fresh(s.feed, options.leaseMs), { timeout: 2 * options.leaseMs, interval: 5 }).toBe(true)
      expect(s.feed.stats().heartbeats).toBeGreaterThan(asked)
    })

    it('a killed connection: flush, confirmedAt() undefined, then live again with later writes delivered', async () => {
      const s = await start()
      // At each flush and until a heartbeat comes back on the new connection: not live.
      const atFlush: (number | undefined)[] = []
      s.feed.subscribe((e) => void ('flush' in e && atFlush.push(s.feed.confirmedAt())))
      const flushed = s.r.flushes() // a feed may flush once as it starts
      await s.killConnection()
      await expect.poll(() => s.r.flushes(), { timeout: 5000 }).toBeGreaterThan(flushed)
      await expect.poll(() => fresh(s.feed, options.leaseMs), { timeout: 10_000, interval: 10 }).toBe(true)
      expect(atFlush.length).toBeGreaterThanOrEqual(1)
      expect(atFlush.every((x) => x === undefined)).toBe(true)
      expect(s.feed.stats().reconnects).toBeGreaterThanOrEqual(1)
      await s.writer.set('again', 1)
      await expect.poll(() => s.r.keys()).toContain(s.stored('again'))
    })

    it('a silent server: not live within the lease; a change made meanwhile is covered by a flush before live again', async () => {
      const s = await start()
      await s.silence()
      const cut = performance.now()
      await s.writer.set('during', 1)
      const since = s.r.events.length
      await expect.poll(() => fresh(s.feed, options.leaseMs), { timeout: 10_000, interval: 10 }).toBe(false)
      expect(performance.now() - cut).toBeLessThanOrEqual(2 * options.leaseMs + 500)
      await s.restore()
      await expect.poll(() => fresh(s.feed, options.leaseMs), { timeout: 10_000, interval: 10 }).toBe(true)
      expect(covered(s.r, s.stored('during'), since)).toBe(true)
    })

    it('stops delivering after unsubscribe and after close; close is idempotent', async () => {
      const s = await start()
      const got: InvalidationEvent[] = []
      const off = s.feed.subscribe((e) => got.push(e))
      off()
      await s.writer.set('u', 1)
      await expect.poll(() => s.r.keys()).toContain(s.stored('u'))
      expect(got).toEqual([])
      await s.feed.close()
      await s.feed.close()
      expect(s.feed.confirmedAt()).toBeUndefined()
      const n = s.r.events.length
      await s.writer.set('v', 1)
      await sleep(100)
      expect(s.r.events.length).toBe(n)
    })
  })
}
