import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { captureLogger } from '../helpers/capture-logger.js'
import { ADMIN, login, logout, me, openPair, ORIGIN, sessionFor, sidOf, type PairEnv } from './harness.js'

const ALICE = { username: 'alice', password: 'alice-password-1' }

/**
 * The spec's Sessions section through HTTP, on one cache × store pair. `shared` pairs (a cache every
 * instance sees) also run the two-instance cases.
 */
export function describeAuthHttp(pair: PairEnv & { shared: boolean }): void {
  describe(`auth over HTTP: cache ${pair.cache} × store ${pair.store}`, () => {
    const logger = captureLogger()
    let env: Awaited<ReturnType<typeof openPair>>
    let a: Container
    let app: Container['app']
    let aliceId: string

    beforeAll(async () => {
      env = await openPair(pair)
      a = await env.instance(logger)
      app = a.app
      aliceId = (await a.auth.accounts.create(ALICE.username, ALICE.password, 'user')).id
    })
    afterAll(async () => {
      await env?.close()
    })

    it('logs in, answers /auth/me, logs out (idempotently)', async () => {
      const res = await login(app, ALICE.username, ALICE.password)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ user: { id: aliceId, username: 'alice', role: 'user' } })
      const sid = sidOf(res)!
      expect(sid).toMatch(/^[\w-]{43}$/)

      const mine = await me(app, sid)
      expect(mine.status).toBe(200)
      const body = (await mine.json()) as { user: unknown; session: { expiresAt: string } }
      expect(body.user).toEqual({ id: aliceId, username: 'alice', role: 'user' })
      const left = Date.parse(body.session.expiresAt) - Date.now()
      expect(left).toBeGreaterThan(1_209_600_000 - 60_000)
      expect(left).toBeLessThanOrEqual(1_209_600_000)

      const out = await logout(app, sid)
      expect(out.status).toBe(204)
      expect(out.headers.get('set-cookie')).toMatch(/^sid=; Max-Age=0;.*Path=\/; HttpOnly; SameSite=Lax/)
      expect((await me(app, sid)).status).toBe(401)
      expect((await logout(app, sid)).status).toBe(204)
      expect((await logout(app)).status).toBe(204)
    })

    it('sets sid HttpOnly, SameSite=Lax, Path=/ and not Secure outside production', async () => {
      const cookie = (await login(app, ALICE.username, ALICE.password)).headers.get('set-cookie')!
      expect(cookie).toMatch(/^sid=[\w-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/)
      expect(cookie).not.toMatch(/Secure/i)
    })

    it('answers unknown user and wrong password with the same 401; malformed bodies with 400', async () => {
      const wrong = await login(app, ALICE.username, 'not-her-password')
      const unknown = await login(app, 'nobody', 'not-her-password')
      expect(wrong.status).toBe(401)
      expect(unknown.status).toBe(401)
      expect(sidOf(wrong)).toBeUndefined()
      expect(await wrong.text()).toBe(await unknown.text())
      expect(wrong.headers.get('content-type')).toBe('application/problem+json')
      const post = (body: string, type = 'application/json') =>
        app.request('/auth/login', { method: 'POST', headers: { 'content-type': type }, body })
      for (const bad of ['{', '[]', '{"username":"alice"}', '{"username":1,"password":"x"}', '{"username":"","password":"x"}']) {
        const res = await post(bad)
        expect(res.status, bad).toBe(400)
        expect(((await res.json()) as { status: number }).status).toBe(400)
      }
      // Not JSON at all: the media type is refused (which also stops cross-site form posts).
      expect((await post('username=alice&password=x', 'application/x-www-form-urlencoded')).status).toBe(415)
    })

    it('gives a new id on every login; the pre-login cookie is useless afterwards', async () => {
      const first = await sessionFor(app, ALICE.username, ALICE.password)
      const res = await login(app, ALICE.username, ALICE.password, first)
      const second = sidOf(res)!
      expect(second).not.toBe(first)
      expect((await me(app, first)).status).toBe(401)
      expect((await me(app, second)).status).toBe(200)
    })

    it('keeps the session through a cache flush (the store answers and refills)', async () => {
      const sid = await sessionFor(app, ALICE.username, ALICE.password)
      await a.cache.clear()
      expect((await me(app, sid)).status).toBe(200)
      expect((await me(app, sid)).status).toBe(200)
    })

    it('treats tampered and random cookies as no session: 401, nothing logged as a problem', async () => {
      const sid = await sessionFor(app, ALICE.username, ALICE.password)
      const flipped = sid.slice(0, -1) + (sid.endsWith('A') ? 'B' : 'A')
      const random = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/[+/=]/g, 'x').slice(0, 43)
      const before = logger.lines.length
      for (const bad of [flipped, random, '', 'x', sid + 'x', '%00%ff', 'a'.repeat(5000), `${sid.slice(0, 42)}.`]) {
        const res = await me(app, bad)
        expect(res.status, bad.slice(0, 50)).toBe(401)
      }
      const problems = logger.lines.slice(before).filter((l) => l.level === 'error' || l.level === 'warn')
      expect(problems).toEqual([])
      expect(logger.text()).not.toContain(sid)
    })

    it('refuses cookie-authenticated unsafe requests from another origin (403)', async () => {
      const sid = await sessionFor(app, ALICE.username, ALICE.password)
      const post = (headers: Record<string, string>) => app.request('/auth/logout', { method: 'POST', headers })
      expect((await post({ cookie: `sid=${sid}`, origin: 'https://evil.example' })).status).toBe(403)
      expect((await post({ cookie: `sid=${sid}`, origin: 'null' })).status).toBe(403)
      expect((await post({ cookie: `sid=${sid}`, referer: 'https://evil.example/page' })).status).toBe(403)
      expect((await me(app, sid)).status).toBe(200) // the refused logout did nothing
      expect((await post({ origin: 'https://evil.example' })).status).toBe(204) // no cookie: nothing to forge
      expect((await post({ cookie: `sid=${sid}`, referer: `${ORIGIN}/somewhere` })).status).toBe(204)
    })

    it('guards /cache/stats: 401 anonymous, 403 for a user, 200 with hitRatio for an admin', async () => {
      expect((await app.request('/cache/stats')).status).toBe(401)
      const user = await sessionFor(app, ALICE.username, ALICE.password)
      expect((await app.request('/cache/stats', { headers: { cookie: `sid=${user}` } })).status).toBe(403)
      const admin = await sessionFor(app, ADMIN.username, ADMIN.password)
      const res = await app.request('/cache/stats', { headers: { cookie: `sid=${admin}` } })
      expect(res.status).toBe(200)
      const stats = (await res.json()) as Record<string, unknown>
      expect(stats).toMatchObject({ backend: expect.any(String), hits: expect.any(Number), misses: expect.any(Number) })
      expect(stats.hitRatio).toBeGreaterThanOrEqual(0)
      expect(stats.hitRatio).toBeLessThanOrEqual(1)
    })

    it('sends secure headers on every response, HSTS only in production', async () => {
      for (const res of [await app.request('/health'), await me(app), await app.request('/nope')]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff')
        expect(res.headers.get('x-frame-options')).toBe('DENY')
        expect(res.headers.get('referrer-policy')).toBe('no-referrer')
        expect(res.headers.get('strict-transport-security')).toBeNull()
      }
    })

    it('logoutEverywhere ends every session of the user', async () => {
      const s1 = await sessionFor(app, ALICE.username, ALICE.password)
      const s2 = await sessionFor(app, ALICE.username, ALICE.password)
      expect(await a.auth.accounts.logoutEverywhere(ALICE.username)).toBeGreaterThanOrEqual(2)
      expect((await me(app, s1)).status).toBe(401)
      expect((await me(app, s2)).status).toBe(401)
    })

    if (pair.store === 'postgres') {
      it('a second instance sees the login; with a shared cache, a logout on either ends it on both', async () => {
        const b = await env.instance(logger)
        const sid = await sessionFor(app, ALICE.username, ALICE.password)
        expect((await me(b.app, sid)).status).toBe(200)
        expect((await me(app, sid)).status).toBe(200)
        if (!pair.shared) return
        expect((await logout(b.app, sid)).status).toBe(204)
        expect((await me(app, sid)).status).toBe(401)
        expect((await me(b.app, sid)).status).toBe(401)
        const again = await sessionFor(b.app, ALICE.username, ALICE.password)
        expect((await logout(app, again)).status).toBe(204)
        expect((await me(b.app, again)).status).toBe(401)
      })
    }
  })
}
