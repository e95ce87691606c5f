import { describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemorySessionStore } from '../../src/adapters/memory/session-store.js'
import { createMemoryUserStore } from '../../src/adapters/memory/user-store.js'
import { BackendUnavailableError } from '../../src/domain/errors.js'
import type { SessionStore } from '../../src/ports/session-store.js'
import { silentLogger } from '../../src/ports/logger.js'
import { chaosCache } from '../helpers/chaos-cache.js'
import { hashSessionId, newSessionId } from '../../src/use-cases/sessions/session-id.js'
import { createSessions, type SessionsOptions } from '../../src/use-cases/sessions/sessions.js'

/** Counts store calls, can make them fail, and can hold a `get`'s answer (read done, reply not yet back). */
function spyStore(inner: SessionStore) {
  const calls: Record<string, number> = {}
  let failing = false
  let gate: Promise<void> | undefined
  const store = {} as SessionStore
  for (const m of Object.keys(inner) as (keyof SessionStore)[]) {
    ;(store as unknown as Record<string, unknown>)[m] = async (...args: unknown[]) => {
      calls[m] = (calls[m] ?? 0) + 1
      if (failing) throw new BackendUnavailableError('[test] store down')
      const result = await (inner[m] as (...a: unknown[]) => Promise<unknown>)(...args)
      if (gate && m === 'get') await gate
      return result
    }
  }
  return {
    store,
    calls,
    fail: (on: boolean) => void (failing = on),
    hold(): () => void {
      let release!: () => void
      gate = new Promise((r) => (release = r))
      return () => {
        gate = undefined
        release()
      }
    },
  }
}

async function setup(opts: Partial<SessionsOptions> = {}) {
  let t = Date.UTC(2030, 0, 1)
  const now = () => t
  const cache = chaosCache(createMemoryCache({ now }))
  const spy = spyStore(createMemorySessionStore({ now }))
  const users = createMemoryUserStore()
  const alice = await users.create({ username: 'alice', role: 'user', passwordHash: 'x' })
  const sessions = createSessions({ cache, store: spy.store, users, logger: silentLogger, ttl: 3600, now, ...opts })
  const user = { id: alice.id, username: alice.username, role: alice.role }
  return { sessions, cache, spy, user, users, advance: (ms: number) => void (t += ms), now }
}
const reset = (calls: Record<string, number>) => Object.keys(calls).forEach((k) => delete calls[k])

describe('sessions (cached_db)', () => {
  it('creates a 256-bit base64url id and keeps only its SHA-256 in cache and store', async () => {
    const { sessions, cache, user, now } = await setup()
    const s = await sessions.create(user)
    expect(s.id).toMatch(/^[\w-]{43}$/)
    expect(s.expiresAt).toBe(now() + 3600_000)
    expect(await cache.get('session:' + s.id)).toBeUndefined()
    expect(await cache.get('session:' + hashSessionId(s.id))).toMatchObject({ u: user.id })
    expect(await sessions.resolve(s.id)).toEqual({ user, expiresAt: s.expiresAt })
  })

  it('a valid cached session costs one cache get and no store access', async () => {
    const { sessions, cache, spy, user } = await setup()
    const s = await sessions.create(user)
    reset(cache.calls as Record<string, number>)
    reset(spy.calls)
    expect(await sessions.resolve(s.id)).toBeDefined()
    expect(cache.calls).toEqual({ get: 1 })
    expect(spy.calls).toEqual({})
  })

  it('an unknown well-formed id costs one store read, then none until its tombstone expires', async () => {
    const { sessions, spy, user, advance } = await setup({ tombstoneTtl: 60 })
    const unknown = newSessionId()
    for (let i = 0; i < 5; i++) expect(await sessions.resolve(unknown)).toBeUndefined()
    expect(spy.calls.get).toBe(1)
    advance(61_000)
    expect(await sessions.resolve(unknown)).toBeUndefined()
    expect(spy.calls.get).toBe(2)
    // Sessions created meanwhile are unaffected.
    const s = await sessions.create(user)
    expect(await sessions.resolve(s.id)).toBeDefined()
  })

  it('falls back to the store after a cache flush and refills the cache', async () => {
    const { sessions, cache, spy, user } = await setup()
    const s = await sessions.create(user)
    await cache.clear()
    reset(spy.calls)
    expect((await sessions.resolve(s.id))?.user).toEqual(user)
    expect(spy.calls.get).toBe(1)
    expect(await sessions.resolve(s.id)).toBeDefined()
    expect(spy.calls.get).toBe(1)
  })

  it('never fails nor logs anyone out on cache errors: the store answers', async () => {
    const { sessions, cache, user } = await setup()
    const before = await sessions.create(user)
    cache.alwaysThrow()
    const during = await sessions.create(user)
    expect(await sessions.resolve(before.id)).toBeDefined()
    expect(await sessions.resolve(during.id)).toBeDefined()
    expect(await sessions.destroy(during.id)).toBe(true)
    expect(await sessions.resolve(during.id)).toBeUndefined()
    cache.heal()
    expect(await sessions.resolve(during.id)).toBeUndefined()
  })

  it('a store failure on create is a BackendUnavailableError', async () => {
    const { sessions, spy, user } = await setup()
    spy.fail(true)
    await expect(sessions.create(user)).rejects.toBeInstanceOf(BackendUnavailableError)
  })

  it('ignores garbage ids without touching the cache', async () => {
    const { sessions, cache } = await setup()
    for (const id of [undefined, '', 'x', 'a'.repeat(44), '!'.repeat(43)]) expect(await sessions.resolve(id)).toBeUndefined()
    expect(await sessions.resolve(newSessionId())).toBeUndefined()
    expect(cache.calls.get).toBe(1)
  })

  it('logout ends the session in cache and store and is idempotent', async () => {
    const { sessions, user } = await setup()
    const s = await sessions.create(user)
    expect(await sessions.destroy(s.id)).toBe(true)
    expect(await sessions.resolve(s.id)).toBeUndefined()
    expect(await sessions.destroy(s.id)).toBe(false)
    expect(await sessions.destroy('garbage')).toBe(false)
  })

  it('a store read racing a logout cannot put the session back into the cache', async () => {
    const { sessions, cache, spy, user } = await setup()
    const s = await sessions.create(user)
    await cache.clear()
    const release = spy.hold()
    const reading = sessions.resolve(s.id) // cache miss; the store has answered "live" but the reply is held
    await new Promise((r) => setTimeout(r, 5))
    await sessions.destroy(s.id) // completes entirely in between
    release()
    expect(await reading).toBeDefined() // the racing request itself was authenticated before the logout
    expect(await sessions.resolve(s.id)).toBeUndefined()
    expect(await sessions.resolve(s.id)).toBeUndefined()
  })

  it('ends at the absolute expiry, whatever the activity', async () => {
    const { sessions, user, advance } = await setup({ ttl: 10, idleTtl: 5 })
    const s = await sessions.create(user)
    for (let i = 0; i < 9; i++) {
      advance(1000)
      expect(await sessions.resolve(s.id)).toBeDefined()
    }
    advance(1000)
    expect(await sessions.resolve(s.id)).toBeUndefined()
  })

  it('idle expiry slides with activity, writing the store at most once per idleTtl/N', async () => {
    const { sessions, spy, user, advance } = await setup({ idleTtl: 10, idleRefreshDivisor: 5 })
    const s = await sessions.create(user)
    reset(spy.calls)
    for (let i = 0; i < 100; i++) {
      advance(100) // 10 s of activity in 100 ms steps
      expect(await sessions.resolve(s.id)).toBeDefined()
    }
    // A slide happens once the last one is more than a 2 s step old: at 2.1, 4.2, 6.3 and 8.4 s.
    expect(spy.calls.touch).toBe(4)
    expect(spy.calls.get ?? 0).toBe(0)
    advance(8_399) // now 18.399 s: still within 10 s of the last slide (8.4 s)
    expect(await sessions.resolve(s.id)).toBeDefined()
    advance(10_001)
    expect(await sessions.resolve(s.id)).toBeUndefined()
  })

  it('idle expiry survives a cache flush: the store holds the last slide', async () => {
    const { sessions, cache, user, advance } = await setup({ idleTtl: 10 })
    const s = await sessions.create(user)
    advance(8000)
    expect(await sessions.resolve(s.id)).toBeDefined() // slides to +18 s
    await cache.clear()
    advance(9000)
    expect(await sessions.resolve(s.id)).toBeDefined()
    await cache.clear()
    advance(10_001)
    expect(await sessions.resolve(s.id)).toBeUndefined()
  })

  it('logoutEverywhere ends every session of that user only', async () => {
    const { sessions, users, user } = await setup()
    const bob = await users.create({ username: 'bob', role: 'admin', passwordHash: 'x' })
    const mine = [await sessions.create(user), await sessions.create(user)]
    const his = await sessions.create(bob)
    expect(await sessions.logoutEverywhere(user.id)).toBe(2)
    for (const s of mine) expect(await sessions.resolve(s.id)).toBeUndefined()
    expect((await sessions.resolve(his.id))?.user.role).toBe('admin')
  })

  it('treats an unreadable cache entry as a miss and repairs it from the store', async () => {
    const { sessions, cache, user } = await setup()
    const s = await sessions.create(user)
    const key = 'session:' + hashSessionId(s.id)
    await cache.set(key, { something: 'else' })
    expect((await sessions.resolve(s.id))?.user).toEqual(user)
    expect(await cache.get(key)).toMatchObject({ u: user.id })
  })

  it('rejects impossible timings at construction', async () => {
    await expect(setup({ ttl: 0 })).rejects.toThrow(TypeError)
  })
})
