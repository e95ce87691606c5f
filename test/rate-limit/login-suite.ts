import { afterAll, describe, expect, it } from 'vitest'
import { RateLimitExceededError } from '../../src/domain/errors.js'
import type { CachePort } from '../../src/ports/cache.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createLoginThrottle } from '../../src/use-cases/rate-limit/index.js'
import { uniqueName } from '../helpers/services.js'

export interface LoginSuiteOptions {
  name: string
  createCache(prefix: string): CachePort | Promise<CachePort>
}

/** The failed-login throttle on a backend: per (username, client), exact under concurrency, successes free. */
export function describeLoginThrottleSuite(opts: LoginSuiteOptions) {
  describe(`login throttle on ${opts.name}`, () => {
    const caches: CachePort[] = []
    afterAll(async () => {
      for (const c of caches) await c.clear().then(() => c.close())
    })

    async function throttle(limit = 3, windowSeconds = 60, pendingSeconds?: number) {
      const cache = await opts.createCache(uniqueName('login'))
      caches.push(cache)
      return createLoginThrottle(cache, { limit, windowSeconds }, silentLogger, { pendingSeconds })
    }

    /** One wrong-password attempt as the login route makes it: check, then report the failure. */
    const wrongPassword = async (t: Awaited<ReturnType<typeof throttle>>, user: string, ip: string) => {
      try {
        await t.check(user, ip)
      } catch (err) {
        if (err instanceof RateLimitExceededError) return 429
        throw err
      }
      await t.fail(user, ip)
      return 401
    }

    it('refuses the attempt after `limit` failures with the seconds until the window resets', async () => {
      const t = await throttle(3, 60)
      for (let i = 0; i < 3; i++) expect(await wrongPassword(t, 'alice', '198.51.100.1')).toBe(401)
      const err = await t.check('alice', '198.51.100.1').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(RateLimitExceededError)
      expect(err).toMatchObject({ policy: 'login', limit: 3 })
      expect((err as RateLimitExceededError).retryAfter).toBeGreaterThanOrEqual(59)
      expect((err as RateLimitExceededError).retryAfter).toBeLessThanOrEqual(60)
    })

    it('lets exactly `limit` wrong guesses through per window, however many arrive at once', async () => {
      const t = await throttle(5, 60)
      const burst = await Promise.all(Array.from({ length: 40 }, () => wrongPassword(t, 'bob', '198.51.100.2')))
      const through = burst.filter((s) => s === 401).length
      // A refused attempt holds a slot for a moment too, so a burst may get fewer than 5 through, never more…
      expect(through).toBeGreaterThanOrEqual(1)
      expect(through).toBeLessThanOrEqual(5)
      // …and the rest of the 5 are available afterwards, but not one more.
      const later: number[] = []
      for (let i = 0; i < 8; i++) later.push(await wrongPassword(t, 'bob', '198.51.100.2'))
      expect(through + later.filter((s) => s === 401).length).toBe(5)
      expect(later.at(-1)).toBe(429)
    })

    it('counts per (username, client): another client or another user is unaffected', async () => {
      const t = await throttle(2, 60)
      for (let i = 0; i < 2; i++) await wrongPassword(t, 'carol', '198.51.100.3')
      expect(await wrongPassword(t, 'carol', '198.51.100.3')).toBe(429)
      await expect(t.check('carol', '198.51.100.4')).resolves.toBeUndefined()
      await expect(t.check('dave', '198.51.100.3')).resolves.toBeUndefined()
    })

    it('treats spellings of one username alike and one IPv6 /64 as one client', async () => {
      const t = await throttle(2, 60)
      await wrongPassword(t, 'Erin', '2001:db8:5:6::1')
      await wrongPassword(t, '  ERIN ', '2001:db8:5:6::ffff')
      expect(await wrongPassword(t, 'erin', '2001:db8:5:6:1:2:3:4')).toBe(429)
      expect(await wrongPassword(t, 'erin', '2001:db8:5:7::1')).toBe(401)
    })

    it('keeps odd usernames apart: separators and control characters cannot reach another key', async () => {
      const t = await throttle(1, 60)
      await wrongPassword(t, 'a:b', '198.51.100.5')
      expect(await wrongPassword(t, 'a:b', '198.51.100.5')).toBe(429)
      for (const other of ['a', 'a:b:198.51.100.5', 'a\nb', 'a%3Ab', 'x'.repeat(10_000)]) {
        expect(await wrongPassword(t, other, '198.51.100.5')).toBe(401)
      }
    })

    it('does not count successful logins, however many, and a success resets no count', async () => {
      const t = await throttle(2, 60)
      const ok = async (user: string, ip: string) => {
        await t.check(user, ip)
        await t.succeed!(user, ip)
      }
      expect(await wrongPassword(t, 'ivan', '198.51.100.10')).toBe(401)
      for (let i = 0; i < 20; i++) await ok('ivan', '198.51.100.10')
      expect(await wrongPassword(t, 'ivan', '198.51.100.10')).toBe(401)
      expect(await wrongPassword(t, 'ivan', '198.51.100.10')).toBe(429)
      await ok('ivan', '198.51.100.11') // another client's success…
      await expect(t.check('ivan', '198.51.100.10')).rejects.toBeInstanceOf(RateLimitExceededError) // …resets nothing
    })

    it('lets the slot of an unreported success lapse after pendingSeconds', async () => {
      const t = await throttle(2, 60, 0.2)
      expect(await wrongPassword(t, 'frank', '198.51.100.6')).toBe(401)
      // Successful logins are checked and never reported as failures; their slots lapse after pendingSeconds.
      for (let i = 0; i < 3; i++) {
        await t.check('frank', '198.51.100.6')
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(await wrongPassword(t, 'frank', '198.51.100.6')).toBe(401)
      expect(await wrongPassword(t, 'frank', '198.51.100.6')).toBe(429)
      await t.check('frank', '198.51.100.7') // another client's success…
      expect(await wrongPassword(t, 'frank', '198.51.100.6')).toBe(429) // …does not reset this one
      expect(await wrongPassword(t, 'frank', '198.51.100.7')).toBe(401)
    })

    it('says when to retry while slots are held by attempts still in flight', async () => {
      const t = await throttle(1, 60, 3)
      await t.check('hank', '198.51.100.9') // in flight: password being checked
      const err = (await t.check('hank', '198.51.100.9').catch((e: unknown) => e)) as RateLimitExceededError
      expect(err).toBeInstanceOf(RateLimitExceededError)
      expect(err.retryAfter).toBeGreaterThanOrEqual(1)
      expect(err.retryAfter).toBeLessThanOrEqual(3)
    })

    it('forgets the failures when the window ends', async () => {
      const t = await throttle(1, 1)
      expect(await wrongPassword(t, 'gina', '198.51.100.8')).toBe(401)
      expect(await wrongPassword(t, 'gina', '198.51.100.8')).toBe(429)
      await new Promise((r) => setTimeout(r, 1100))
      expect(await wrongPassword(t, 'gina', '198.51.100.8')).toBe(401)
    })
  })
}
