import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CachePort } from '../../src/ports/cache.js'
import { CacheError } from '../../src/domain/errors.js'
import { sleep } from '../helpers/sleep.js'

export interface CacheFactoryOptions {
  prefix: string
  version?: number | string
  /** Seconds; `null` = no expiry. */
  defaultTtl?: number | null
}

export interface CacheContractOptions {
  name: string
  /** Builds a fresh adapter. Called several times per test for isolation cases. */
  create: (opts: CacheFactoryOptions) => Promise<CachePort> | CachePort
  /** Adapter-specific cases, registered inside the suite. */
  extra?: (ctx: { cache: () => CachePort; create: CacheContractOptions['create'] }) => void
}

const randomPrefix = () => `c${crypto.randomUUID().slice(0, 8)}`

/**
 * The CachePort contract (semantics in `src/ports/cache.ts`), written once and run against every adapter
 * on its real backend, like Django's BaseCacheTests and unstorage's testDriver.
 */
export function describeCachePortContract(opts: CacheContractOptions): void {
  describe(`CachePort contract: ${opts.name}`, () => {
    let cache: CachePort
    const extras: CachePort[] = []
    const make = async (o: CacheFactoryOptions) => {
      const c = await opts.create(o)
      extras.push(c)
      return c
    }

    beforeEach(async () => {
      cache = await opts.create({ prefix: randomPrefix() })
    })
    afterEach(async () => {
      await cache.clear()
      await cache.close()
      for (const c of extras.splice(0)) {
        await c.clear().catch(() => {})
        await c.close()
      }
    })
    afterAll(async () => {
      await cache?.close()
    })

    describe('get / set', () => {
      it('returns undefined on a miss, never null', async () => {
        expect(await cache.get('missing')).toBeUndefined()
      })
      it('round-trips every JSON type, including a stored null', async () => {
        const values: unknown[] = ['text', '', 0, -1.5, 2 ** 53 - 1, true, false, null, [], {}, [1, 'a', null], { a: { b: [1, { c: 'd' }] } }]
        for (const [i, v] of values.entries()) await cache.set(`k${i}`, v)
        for (const [i, v] of values.entries()) expect(await cache.get(`k${i}`)).toEqual(v)
        expect(await cache.get('k7')).toBeNull()
      })
      it('overwrites', async () => {
        await cache.set('k', 1)
        await cache.set('k', { two: 2 })
        expect(await cache.get('k')).toEqual({ two: 2 })
      })
      it('stores copies: mutating a value after set or after get never changes the cache', async () => {
        const v = { list: [1, 2], nested: { a: 1 } }
        await cache.set('k', v)
        v.list.push(3)
        v.nested.a = 99
        const got = await cache.get<typeof v>('k')
        expect(got).toEqual({ list: [1, 2], nested: { a: 1 } })
        got!.list.push(4)
        expect(await cache.get('k')).toEqual({ list: [1, 2], nested: { a: 1 } })
      })
      it('rejects what JSON cannot carry, with a clear error, and stores nothing', async () => {
        const cyclic: Record<string, unknown> = { a: 1 }
        cyclic.self = cyclic
        const bad: unknown[] = [undefined, () => 1, 10n, Symbol('s'), NaN, Infinity, cyclic, { nested: { f: () => 1 } }, [1, undefined], { u: undefined }]
        for (const [i, v] of bad.entries()) {
          const err = await cache.set(`bad${i}`, v).then(() => undefined, (e: unknown) => e)
          expect(err, `value #${i}`).toBeInstanceOf(CacheError)
          expect((err as CacheError).code).toBe('CACHE.INVALID_VALUE')
          expect((err as CacheError).message).toMatch(/cannot be (cached|stored)/)
          expect(await cache.has(`bad${i}`)).toBe(false)
        }
        await cache.set('good', 1)
        await expect(cache.set('good', 10n)).rejects.toThrow(CacheError)
        expect(await cache.get('good')).toBe(1)
        await expect(cache.setMany([['a', 1], ['b', () => 2]])).rejects.toThrow(CacheError)
        expect(await cache.has('a')).toBe(false)
      })
      it('round-trips a 1 MB value (compressed or not)', async () => {
        const big = { text: 'AHSP pekerjaan beton '.repeat(50_000).slice(0, 1_000_000), n: [1, 2, 3] }
        await cache.set('big', big)
        expect(await cache.get('big')).toEqual(big)
        const random = Array.from({ length: 20_000 }, () => crypto.randomUUID()).join('')
        await cache.set('random', random)
        expect(await cache.get('random')).toBe(random)
      })
      it('accepts odd keys: unicode, spaces, newlines, control characters, 10 KB', async () => {
        const keys = ['kunci dengan spasi', 'línea\nnueva\ttab', 'ключ 鍵 🔑', 'nul\u0000byte', '#hash-like', 'x'.repeat(10_240), '*?[]{}:%_\\']
        for (const [i, k] of keys.entries()) await cache.set(k, i)
        for (const [i, k] of keys.entries()) expect(await cache.get(k), JSON.stringify(k.slice(0, 20))).toBe(i)
        expect(await cache.get('x'.repeat(10_239))).toBeUndefined()
        expect(await cache.delete('x'.repeat(10_240))).toBe(true)
        expect(await cache.get('x'.repeat(10_240))).toBeUndefined()
      })
    })

    describe('expiry (seconds, fractional allowed)', () => {
      it('expires after the TTL and never returns an expired entry', async () => {
        await cache.set('short', 'v', 0.3)
        expect(await cache.get('short')).toBe('v')
        await sleep(450)
        expect(await cache.get('short')).toBeUndefined()
        expect(await cache.has('short')).toBe(false)
        expect(await cache.ttl('short')).toBeUndefined()
        expect(await cache.getMany(['short'])).toEqual([undefined])
      })
      it('ttl <= 0 deletes; null never expires; omitted uses the default', async () => {
        await cache.set('k', 1)
        await cache.set('k', 2, 0)
        expect(await cache.get('k')).toBeUndefined()
        await cache.set('neg', 1, -5)
        expect(await cache.has('neg')).toBe(false)
        await cache.set('forever', 1, null)
        expect(await cache.ttl('forever')).toBeNull()
        await cache.set('default', 1)
        const t = await cache.ttl('default')
        expect(t).toBeGreaterThan(290)
        expect(t).toBeLessThanOrEqual(300)
      })
      it('honours a configured default TTL', async () => {
        const c = await make({ prefix: randomPrefix(), defaultTtl: 0.3 })
        await c.set('k', 1)
        expect(await c.get('k')).toBe(1)
        await sleep(450)
        expect(await c.get('k')).toBeUndefined()
        const never = await make({ prefix: randomPrefix(), defaultTtl: null })
        await never.set('k', 1)
        expect(await never.ttl('k')).toBeNull()
      })
      it('touch resets the expiry of a live key and reports absent ones', async () => {
        await cache.set('k', 1, 0.3)
        expect(await cache.touch('k', 60)).toBe(true)
        await sleep(450)
        expect(await cache.get('k')).toBe(1)
        expect(await cache.touch('missing', 60)).toBe(false)
        expect(await cache.touch('k', null)).toBe(true)
        expect(await cache.ttl('k')).toBeNull()
      })
    })

    describe('add', () => {
      it('stores only when absent and says whether it stored', async () => {
        expect(await cache.add('k', 'first')).toBe(true)
        expect(await cache.add('k', 'second')).toBe(false)
        expect(await cache.get('k')).toBe('first')
      })
      it('treats an expired key as absent', async () => {
        await cache.set('k', 'old', 0.2)
        await sleep(300)
        expect(await cache.add('k', 'new')).toBe(true)
        expect(await cache.get('k')).toBe('new')
      })
      it('exactly one of many concurrent adds wins', async () => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => cache.add('race', i)))
        expect(results.filter(Boolean)).toHaveLength(1)
      })
    })

    describe('many', () => {
      it('getMany keeps key order with undefined for misses', async () => {
        await cache.setMany([['a', 1], ['b', { x: 2 }]])
        expect(await cache.getMany(['b', 'missing', 'a'])).toEqual([{ x: 2 }, undefined, 1])
        expect(await cache.getMany([])).toEqual([])
      })
      it('setMany applies one TTL', async () => {
        await cache.setMany(new Map([['a', 1], ['b', 2]]), 0.3)
        await sleep(450)
        expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined])
      })
      it('delete and deleteMany report what they removed', async () => {
        await cache.setMany([['a', 1], ['b', 2], ['c', 3]])
        expect(await cache.delete('a')).toBe(true)
        expect(await cache.delete('a')).toBe(false)
        expect(await cache.deleteMany(['b', 'c', 'nope'])).toBe(2)
        expect(await cache.deleteMany([])).toBe(0)
        expect(await cache.has('b')).toBe(false)
      })
    })

    describe('incr', () => {
      it('creates at delta with the TTL, then adds', async () => {
        const first = await cache.incr('n', 1, 60)
        expect(first.value).toBe(1)
        expect(first.ttl).toBeGreaterThan(58)
        expect(first.ttl).toBeLessThanOrEqual(60)
        expect((await cache.incr('n', 5)).value).toBe(6)
        expect((await cache.incr('n', -2)).value).toBe(4)
        expect(await cache.get('n')).toBe(4)
      })
      it('never extends the TTL of an existing counter', async () => {
        await cache.incr('n', 1, 0.6)
        await sleep(250)
        const later = await cache.incr('n', 1, 60)
        expect(later.value).toBe(2)
        expect(later.ttl).toBeLessThan(0.5)
        await sleep(450)
        expect(await cache.get('n')).toBeUndefined()
        expect((await cache.incr('n', 1, 60)).value).toBe(1)
      })
      it('is atomic under 200 concurrent calls', async () => {
        const results = await Promise.all(Array.from({ length: 200 }, () => cache.incr('hot', 1, 60)))
        expect(new Set(results.map((r) => r.value)).size).toBe(200)
        expect(Math.max(...results.map((r) => r.value))).toBe(200)
        expect(await cache.get('hot')).toBe(200)
      })
      it('counts on a key set as a number, refuses a non-integer', async () => {
        await cache.set('num', 41, null)
        expect(await cache.incr('num')).toEqual({ value: 42, ttl: null })
        await cache.set('text', 'abc')
        const err = await cache.incr('text').then(() => undefined, (e: unknown) => e)
        expect((err as CacheError).code).toBe('CACHE.NOT_INTEGER')
        expect(await cache.get('text')).toBe('abc')
      })
    })

    describe('namespaces', () => {
      it('two prefixes never see or clear each other', async () => {
        const a = await make({ prefix: randomPrefix() })
        const b = await make({ prefix: randomPrefix() })
        await a.set('shared', 'a')
        await b.set('shared', 'b')
        await a.incr('count')
        expect(await a.get('shared')).toBe('a')
        expect(await b.get('shared')).toBe('b')
        expect(await b.has('count')).toBe(false)
        await a.clear()
        expect(await a.get('shared')).toBeUndefined()
        expect(await b.get('shared')).toBe('b')
      })
      it('a prefix that extends another is still isolated', async () => {
        const p = randomPrefix()
        const a = await make({ prefix: p })
        const b = await make({ prefix: `${p}x` })
        await a.set('k', 'a')
        await b.set('k', 'b')
        await a.clear()
        expect(await b.get('k')).toBe('b')
      })
      it('versions isolate like prefixes', async () => {
        const p = randomPrefix()
        const v1 = await make({ prefix: p, version: 1 })
        const v2 = await make({ prefix: p, version: 2 })
        await v1.set('k', 'one')
        expect(await v2.get('k')).toBeUndefined()
        await v2.set('k', 'two')
        await v2.clear()
        expect(await v1.get('k')).toBe('one')
      })
      it('clear empties this namespace', async () => {
        await cache.setMany([['a', 1], ['b', 2]])
        await cache.incr('c')
        await cache.clear()
        expect(await cache.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, undefined])
      })
    })

    describe('operations', () => {
      it('ping answers with a latency in ms', async () => {
        const ms = await cache.ping()
        expect(ms).toBeGreaterThanOrEqual(0)
        expect(ms).toBeLessThan(1000)
      })
      it('stats count hits and misses', async () => {
        const before = await cache.stats()
        await cache.set('k', 1)
        await cache.get('k')
        await cache.get('missing')
        const after = await cache.stats()
        expect(after.hits - before.hits).toBe(1)
        expect(after.misses - before.misses).toBe(1)
        expect(typeof after.backend).toBe('string')
        expect(typeof after.degraded).toBe('boolean')
        expect(after).toHaveProperty('errors')
        expect(after).toHaveProperty('failovers')
      })
      it('close is idempotent', async () => {
        const c = await opts.create({ prefix: randomPrefix() })
        await c.close()
        await c.close()
      })
    })

    opts.extra?.({ cache: () => cache, create: opts.create })
  })
}
