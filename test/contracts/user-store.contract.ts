import { beforeEach, describe, expect, it } from 'vitest'
import { ConflictError } from '../../src/domain/errors.js'
import type { UserStore } from '../../src/ports/users.js'

export interface UserStoreContractOptions {
  name: string
  /** A store over an empty backend (fresh schema, fresh map). */
  create: () => Promise<UserStore> | UserStore
}

const name = () => `u${crypto.randomUUID().slice(0, 8)}`

/** The UserStore contract (semantics in `src/ports/users.ts`), run against every adapter. */
export function describeUserStoreContract(opts: UserStoreContractOptions): void {
  describe(`UserStore contract: ${opts.name}`, () => {
    let store: UserStore
    beforeEach(async () => {
      store = await opts.create()
    })

    it('creates a user with a fresh id and finds it by username and id', async () => {
      const u = await store.create({ username: name(), role: 'user', passwordHash: 'h1' })
      expect(u.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(await store.findByUsername(u.username)).toEqual(u)
      expect(await store.findById(u.id)).toEqual(u)
    })

    it('returns undefined on a miss, also for ids that are not UUIDs', async () => {
      expect(await store.findByUsername('nobody-' + name())).toBeUndefined()
      expect(await store.findById(crypto.randomUUID())).toBeUndefined()
      expect(await store.findById('not a uuid \u00e9')).toBeUndefined()
    })

    it('a name no store can hold (NUL, a huge one) is a miss, not an error', async () => {
      for (const n of ['a\u0000b', '\u0000', 'x'.repeat(100_000)]) expect(await store.findByUsername(n)).toBeUndefined()
    })

    it('compares usernames exactly (case-sensitive)', async () => {
      const n = name()
      await store.create({ username: n, role: 'user', passwordHash: 'h' })
      expect(await store.findByUsername(n.toUpperCase())).toBeUndefined()
    })

    it('refuses a taken username with ConflictError, also under concurrency', async () => {
      const n = name()
      await store.create({ username: n, role: 'user', passwordHash: 'h' })
      await expect(store.create({ username: n, role: 'admin', passwordHash: 'x' })).rejects.toBeInstanceOf(ConflictError)
      const m = name()
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => store.create({ username: m, role: 'user', passwordHash: 'h' })),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError)
    })

    it('setPassword replaces the hash and reports whether the user exists', async () => {
      const u = await store.create({ username: name(), role: 'user', passwordHash: 'old' })
      expect(await store.setPassword(u.id, 'new')).toBe(true)
      expect((await store.findById(u.id))?.passwordHash).toBe('new')
      expect(await store.setPassword(crypto.randomUUID(), 'x')).toBe(false)
    })

    it('upsert creates, then updates role and hash keeping the id; concurrent upserts make one user', async () => {
      const n = name()
      const a = await store.upsert({ username: n, role: 'user', passwordHash: 'h1' })
      const b = await store.upsert({ username: n, role: 'admin', passwordHash: 'h2' })
      expect(b).toEqual({ id: a.id, username: n, role: 'admin', passwordHash: 'h2' })
      const m = name()
      const all = await Promise.all(Array.from({ length: 5 }, (_, i) => store.upsert({ username: m, role: 'admin', passwordHash: `p${i}` })))
      expect(new Set(all.map((u) => u.id)).size).toBe(1)
    })

    it('values are copies: mutating a result changes nothing stored', async () => {
      const u = await store.create({ username: name(), role: 'user', passwordHash: 'h' })
      u.role = 'admin'
      expect((await store.findById(u.id))?.role).toBe('user')
    })

    it('lists users ordered by username', async () => {
      const names = ['b' + name(), 'a' + name(), 'c' + name()]
      for (const n of names) await store.create({ username: n, role: 'user', passwordHash: 'h' })
      const listed = (await store.list()).map((u) => u.username).filter((n) => names.includes(n))
      expect(listed).toEqual([...names].sort())
    })
  })
}
