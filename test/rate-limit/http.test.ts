import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { ADMIN, openPair, ORIGIN, sessionFor } from '../auth/harness.js'
import { rateLimitOf } from '../helpers/rate-limit-header.js'

/**
 * The login and import limits through the real routes, as the composition root wires them (memory cache;
 * the per-backend counting is proven in the suites beside this file). TRUST_PROXY lets each request say
 * which client it comes from.
 */
describe('login and import limits over HTTP', () => {
  let env: Awaited<ReturnType<typeof openPair>>
  let app: Container['app']
  const ALICE = { username: 'alice', password: 'alice-password-1' }

  beforeAll(async () => {
    env = await openPair({
      cache: 'memory',
      store: 'memory',
      env: { RATE_LIMIT_LOGIN: '3/60', RATE_LIMIT_IMPORT: '2/3600', RATE_LIMIT_API: '1000/60', TRUST_PROXY: 'true' },
    })
    const c = await env.instance(silentLogger)
    app = c.app
    await c.auth.accounts.create(ALICE.username, ALICE.password, 'user')
  })
  afterAll(async () => {
    await env?.close()
  })

  const login = async (username: string, password: string, client: string) =>
    app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': client },
      body: JSON.stringify({ username, password }),
    })

  const importAs = async (sid: string | undefined, client = '203.0.113.50') =>
    app.request('/ahsp/import', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: ORIGIN,
        'x-forwarded-for': client,
        ...(sid ? { cookie: `sid=${sid}` } : {}),
      },
      body: '[]',
    })

  it('refuses a (username, client) pair after RATE_LIMIT_LOGIN failures, with Retry-After and a problem body', async () => {
    const A = '203.0.113.10'
    for (let i = 0; i < 3; i++) expect((await login('alice', 'wrong-password-1', A)).status).toBe(401)
    const refused = await login('alice', 'wrong-password-1', A)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(55)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(await refused.json()).toMatchObject({ status: 429, policy: 'login', limit: 3, retryAfter })
    // The right password does not get through either: the pair is locked, not the password.
    expect((await login('alice', ALICE.password, A)).status).toBe(429)
    // Another client, or another username from this client, is not locked.
    expect((await login('alice', ALICE.password, '203.0.113.11')).status).toBe(200)
    expect((await login('nobody', 'wrong-password-1', A)).status).toBe(401)
  })

  it('does not count successful logins', async () => {
    const B = '203.0.113.20'
    for (let i = 0; i < 8; i++) expect((await login('alice', ALICE.password, B)).status).toBe(200)
    const wrong = []
    for (let i = 0; i < 4; i++) wrong.push((await login('alice', 'wrong-password-1', B)).status)
    expect(wrong).toEqual([401, 401, 401, 429])
  })

  it('carries the API limit headers on login answers', async () => {
    const res = await login('alice', ALICE.password, '203.0.113.30')
    expect(rateLimitOf(res)!.limit).toBe(1000)
    expect(rateLimitOf(res)!.remaining).toBeLessThan(1000)
  })

  it('limits imports per user: RATE_LIMIT_IMPORT each, anonymous requests never counted', async () => {
    const admin = await sessionFor(app, ADMIN.username, ADMIN.password)
    for (let i = 0; i < 5; i++) expect((await importAs(undefined)).status).toBe(401)
    const first = await importAs(admin)
    expect(first.status).not.toBe(429)
    expect(rateLimitOf(first)).toMatchObject({ limit: 2, remaining: 1 }) // the import policy's headers on this route
    expect((await importAs(admin, '203.0.113.51')).status).not.toBe(429) // same user, another address
    const refused = await importAs(admin)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500)
    expect(await refused.json()).toMatchObject({ policy: 'import', limit: 2 })
    // Another user has a count of their own (and, not being an admin, is refused by the route).
    const alice = await sessionFor(app, ALICE.username, ALICE.password)
    expect((await importAs(alice)).status).toBe(403)
    // Other routes still answer: the import limit is not the API limit.
    expect((await app.request('/ahsp/sources', { headers: { cookie: `sid=${admin}` } })).status).toBe(200)
  })
})
