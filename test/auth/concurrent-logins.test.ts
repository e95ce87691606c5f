import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { login, me, openPair, sidOf } from './harness.js'

const N = 1000

describe(`${N} concurrent logins of different users (cache redis × store postgres)`, () => {
  let env: Awaited<ReturnType<typeof openPair>>
  let c: Container
  const names = Array.from({ length: N }, (_, i) => `user${String(i).padStart(4, '0')}`)

  beforeAll(async () => {
    env = await openPair({ cache: 'redis', store: 'postgres' })
    c = await env.instance(silentLogger)
    // Hashed with the test-only low iteration count (the harness sets it): the real KDF is ~250 ms each.
    for (let i = 0; i < N; i += 100) {
      await Promise.all(names.slice(i, i + 100).map((n) => c.auth.accounts.create(n, `${n}-password`, 'user')))
    }
  }, 60_000)
  afterAll(async () => {
    await env?.close()
  })

  it('loses and crosses no session, in the cache and after a flush from the store', async () => {
    const responses = await Promise.all(names.map((n) => login(c.app, n, `${n}-password`)))
    expect(responses.map((r) => r.status)).toEqual(names.map(() => 200))
    const sids = responses.map((r) => sidOf(r)!)
    expect(new Set(sids).size).toBe(N)
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { user: { username: string } }[]
    expect(bodies.map((b) => b.user.username)).toEqual(names)

    const check = async () => {
      const mine = await Promise.all(sids.map((sid) => me(c.app, sid)))
      const who = (await Promise.all(mine.map((r) => r.json()))) as { user?: { username: string } }[]
      expect(who.map((w) => w.user?.username)).toEqual(names)
    }
    await check()
    await c.cache.clear()
    await check()
  }, 60_000)
})
