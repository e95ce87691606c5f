import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REVOCATION_RETENTION_MS, type SessionRecord, type SessionStore } from '../../src/ports/session-store.js'

export interface SessionStoreContractOptions {
  name: string
  /** A store over an empty backend whose clock is `now`. */
  create: (opts: { now: () => number }) => Promise<SessionStore> | SessionStore
}

const T0 = Date.UTC(2030, 0, 1)
const hash = () => crypto.randomUUID().replaceAll('-', '') + 'AbC_-x'

/** The SessionStore contract (semantics in `src/ports/session-store.ts`), run against every adapter. */
export function describeSessionStoreContract(opts: SessionStoreContractOptions): void {
  describe(`SessionStore contract: ${opts.name}`, () => {
    let t = T0
    let store: SessionStore
    const rec = (over: Partial<SessionRecord> = {}): SessionRecord => ({
      idHash: hash(),
      userId: crypto.randomUUID(),
      createdAt: t,
      expiresAt: t + 60_000,
      idleExpiresAt: null,
      ...over,
    })

    beforeEach(async () => {
      t = T0
      store = await opts.create({ now: () => t })
    })
    afterEach(async () => {
      await store.close()
    })

    it('stores a session and reads it back by hash; a miss is undefined', async () => {
      const r = rec({ idleExpiresAt: T0 + 10_000 })
      await store.create(r)
      expect(await store.get(r.idHash)).toEqual(r)
      expect(await store.get(hash())).toBeUndefined()
    })

    it('refuses a duplicate hash', async () => {
      const r = rec()
      await store.create(r)
      await expect(store.create({ ...r, userId: 'other' })).rejects.toThrow()
      expect((await store.get(r.idHash))?.userId).toBe(r.userId)
    })

    it('hides a session from its absolute expiry on (boundary included)', async () => {
      const r = rec()
      await store.create(r)
      t = r.expiresAt - 1
      expect(await store.get(r.idHash)).toBeDefined()
      t = r.expiresAt
      expect(await store.get(r.idHash)).toBeUndefined()
      expect(await store.touch(r.idHash, t + 1000)).toBe(false)
    })

    it('hides a session after its idle expiry unless touched', async () => {
      const r = rec({ idleExpiresAt: T0 + 10_000 })
      await store.create(r)
      t = T0 + 9_000
      expect(await store.touch(r.idHash, t + 10_000)).toBe(true)
      expect((await store.get(r.idHash))?.idleExpiresAt).toBe(T0 + 19_000)
      t = T0 + 18_999
      expect(await store.get(r.idHash)).toBeDefined()
      t = T0 + 19_000
      expect(await store.get(r.idHash)).toBeUndefined()
    })

    it('touch never moves idle expiry backward nor past the absolute expiry, nor adds one', async () => {
      const r = rec({ idleExpiresAt: T0 + 10_000 })
      await store.create(r)
      expect(await store.touch(r.idHash, T0 + 5_000)).toBe(true)
      expect((await store.get(r.idHash))?.idleExpiresAt).toBe(T0 + 10_000)
      expect(await store.touch(r.idHash, T0 + 999_999)).toBe(true)
      expect((await store.get(r.idHash))?.idleExpiresAt).toBe(r.expiresAt)
      const noIdle = rec()
      await store.create(noIdle)
      expect(await store.touch(noIdle.idHash, T0 + 5_000)).toBe(true)
      expect((await store.get(noIdle.idHash))?.idleExpiresAt).toBeNull()
      expect(await store.touch(hash(), T0 + 5_000)).toBe(false)
    })

    it('delete is idempotent and reports whether something was removed', async () => {
      const r = rec()
      await store.create(r)
      expect(await store.delete(r.idHash)).toBe(true)
      expect(await store.get(r.idHash)).toBeUndefined()
      expect(await store.delete(r.idHash)).toBe(false)
    })

    it('deleteByUser removes every session of that user only, returning their hashes', async () => {
      const user = crypto.randomUUID()
      const mine = [rec({ userId: user }), rec({ userId: user }), rec({ userId: user })]
      const other = rec()
      for (const r of [...mine, other]) await store.create(r)
      expect((await store.deleteByUser(user)).sort()).toEqual(mine.map((r) => r.idHash).sort())
      for (const r of mine) expect(await store.get(r.idHash)).toBeUndefined()
      expect(await store.get(other.idHash)).toBeDefined()
      expect(await store.deleteByUser(user)).toEqual([])
    })

    it('pruneExpired removes absolutely and idly expired sessions, keeps live ones; concurrent prunes agree', async () => {
      const expired = [rec({ expiresAt: T0 + 1000 }), rec({ idleExpiresAt: T0 + 1000 }), rec({ expiresAt: T0 + 2000 })]
      const live = rec({ idleExpiresAt: T0 + 50_000 })
      for (const r of [...expired, live]) await store.create(r)
      t = T0 + 5000
      const counts = await Promise.all([store.pruneExpired(), store.pruneExpired()])
      expect(counts[0]! + counts[1]!).toBe(3)
      expect(await store.get(live.idHash)).toBeDefined()
      for (const r of expired) expect(await store.delete(r.idHash)).toBe(false)
      expect(await store.pruneExpired()).toBe(0)
    })

    it('countLive counts live sessions only: not expired (absolutely or idly), not deleted', async () => {
      const before = await store.countLive()
      const live = [rec(), rec({ idleExpiresAt: T0 + 50_000 }), rec({ userId: 'someone-else' })]
      const dying = [rec({ expiresAt: T0 + 1000 }), rec({ idleExpiresAt: T0 + 1000 })]
      for (const r of [...live, ...dying]) await store.create(r)
      expect(await store.countLive()).toBe(before + 5)
      t = T0 + 5000
      expect(await store.countLive()).toBe(before + 3)
      await store.delete(live[0]!.idHash)
      expect(await store.countLive()).toBe(before + 2)
    })

    it('records every delete and deleteByUser as a revocation (oldest first), not expiry or pruning', async () => {
      const one = rec()
      const user = crypto.randomUUID()
      const hers = [rec({ userId: user }), rec({ userId: user })]
      const expiring = rec({ expiresAt: T0 + 1000 })
      for (const r of [one, ...hers, expiring]) await store.create(r)
      t = T0 + 10
      await store.delete(one.idHash)
      await store.delete(hash()) // nothing removed, nothing recorded
      t = T0 + 20
      await store.deleteByUser(user)
      t = T0 + 5000
      await store.pruneExpired()
      const mine = new Set([one, ...hers, expiring].map((r) => r.idHash))
      const seen = (await store.revokedSince(T0)).filter((r) => mine.has(r.idHash))
      expect(seen[0]?.idHash).toBe(one.idHash)
      expect(seen.map((r) => r.idHash).sort()).toEqual([one.idHash, ...hers.map((r) => r.idHash)].sort())
      expect(seen.map((r) => r.revokedAt)).toEqual([T0 + 10, T0 + 20, T0 + 20])
      expect((await store.revokedSince(T0 + 11)).filter((r) => mine.has(r.idHash)).map((r) => r.idHash).sort()).toEqual(
        hers.map((r) => r.idHash).sort(),
      )
    })

    it('keeps revocations for the retention period, then prunes them', async () => {
      const r = rec({ expiresAt: T0 + 10 * REVOCATION_RETENTION_MS })
      await store.create(r)
      await store.delete(r.idHash)
      t = T0 + REVOCATION_RETENTION_MS - 1
      await store.pruneExpired()
      expect((await store.revokedSince(T0)).some((x) => x.idHash === r.idHash)).toBe(true)
      t = T0 + REVOCATION_RETENTION_MS + 1
      await store.pruneExpired()
      expect((await store.revokedSince(T0)).some((x) => x.idHash === r.idHash)).toBe(false)
    })

    it('has an epoch: non-empty and stable for the life of the store', async () => {
      const e = await store.epoch()
      expect(e).toMatch(/.{8,}/)
      await store.create(rec())
      expect(await store.epoch()).toBe(e)
    })

    it('returns copies', async () => {
      const r = rec()
      await store.create(r)
      r.userId = 'changed'
      const got = (await store.get(r.idHash))!
      got.expiresAt = 0
      expect((await store.get(r.idHash))?.expiresAt).toBe(T0 + 60_000)
      expect((await store.get(r.idHash))?.userId).not.toBe('changed')
    })
  })
}
