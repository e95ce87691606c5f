import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { me, openPair, sessionFor, type CacheKind, type StoreKind } from './harness.js'
import { sleep } from '../helpers/sleep.js'

const CAROL = { username: 'carol', password: 'carol-password-1' }

/** Real time, short TTLs (whole seconds: SESSION_TTL and SESSION_IDLE_TTL are integers). */
for (const [cache, store] of [['memory', 'memory'], ['redis', 'postgres']] as [CacheKind, StoreKind][]) {
  describe(`session expiry: cache ${cache} × store ${store}`, () => {
    let absolute: Awaited<ReturnType<typeof openPair>>
    let idle: Awaited<ReturnType<typeof openPair>>
    let abs: Container
    let idl: Container
    beforeAll(async () => {
      absolute = await openPair({ cache, store, env: { SESSION_TTL: '1' } })
      idle = await openPair({ cache, store, env: { SESSION_TTL: '60', SESSION_IDLE_TTL: '1' } })
      abs = await absolute.instance(silentLogger)
      idl = await idle.instance(silentLogger)
      for (const c of [abs, idl]) await c.auth.accounts.create(CAROL.username, CAROL.password, 'user')
    })
    afterAll(async () => {
      await absolute?.close()
      await idle?.close()
    })

    it('ends a session at SESSION_TTL, cached or not', async () => {
      const sid = await sessionFor(abs.app, CAROL.username, CAROL.password)
      const res = await me(abs.app, sid)
      expect(res.status).toBe(200)
      expect(Date.parse(((await res.json()) as { session: { expiresAt: string } }).session.expiresAt) - Date.now()).toBeLessThanOrEqual(1000)
      await sleep(1100)
      expect((await me(abs.app, sid)).status).toBe(401)
      await abs.cache.clear()
      expect((await me(abs.app, sid)).status).toBe(401)
    })

    it('keeps an active session past SESSION_IDLE_TTL and ends it after that much inactivity', async () => {
      const sid = await sessionFor(idl.app, CAROL.username, CAROL.password)
      for (let i = 0; i < 6; i++) {
        await sleep(250) // 1.5 s of activity in all, longer than the idle timeout
        expect((await me(idl.app, sid)).status).toBe(200)
      }
      await sleep(1100)
      expect((await me(idl.app, sid)).status).toBe(401)
      await idl.cache.clear()
      expect((await me(idl.app, sid)).status).toBe(401)
    })
  })
}
