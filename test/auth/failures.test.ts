import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemorySessionStore } from '../../src/adapters/memory/session-store.js'
import { createMemoryUserStore } from '../../src/adapters/memory/user-store.js'
import { loadConfig } from '../../src/config.js'
import { BackendUnavailableError } from '../../src/domain/errors.js'
import { createApp } from '../../src/http/app.js'
import { silentLogger } from '../../src/ports/logger.js'
import type { SessionStore } from '../../src/ports/session-store.js'
import type { UserStore } from '../../src/ports/users.js'
import { createAccounts } from '../../src/use-cases/auth/accounts.js'
import { createAuth } from '../../src/use-cases/auth/login.js'
import { createPasswordHasher } from '../../src/use-cases/auth/password.js'
import { createSessions } from '../../src/use-cases/sessions/sessions.js'
import { chaosCache } from '../helpers/chaos-cache.js'
import { captureLogger } from '../helpers/capture-logger.js'
import { FAST_KDF, login, me, openPair, sessionFor } from './harness.js'

/** Wraps a port so that every call throws `BackendUnavailableError` while `down.on` is set. */
function breakable<T extends object>(inner: T, down: { on: boolean }): T {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      if (typeof v !== 'function') return v
      return (...args: unknown[]) => (down.on ? Promise.reject(new BackendUnavailableError('[test] store down')) : v.apply(target, args))
    },
  })
}

describe('auth when a dependency fails', () => {
  const usersDown = { on: false }
  const storeDown = { on: false }
  const logger = captureLogger()
  const cache = chaosCache(createMemoryCache())
  const users = breakable<UserStore>(createMemoryUserStore(), usersDown)
  const store = breakable<SessionStore>(createMemorySessionStore(), storeDown)
  const passwords = createPasswordHasher({ iterations: FAST_KDF })
  const sessions = createSessions({ cache, store, users, logger, ttl: 3600 })
  const deps = { users, sessions, passwords, logger }
  const app = createApp({
    config: loadConfig({ APP_ENV: 'test' }),
    logger,
    cache,
    readiness: [],
    auth: createAuth(deps),
  })

  beforeAll(async () => {
    await createAccounts(deps).create('mia', 'mia-password', 'user')
  })

  it('login answers 503 (problem+json) when the user or the session store is down', async () => {
    usersDown.on = true
    let res = await login(app, 'mia', 'mia-password')
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    usersDown.on = false
    storeDown.on = true
    res = await login(app, 'mia', 'mia-password')
    expect(res.status).toBe(503)
    expect(res.headers.get('set-cookie')).toBeNull()
    storeDown.on = false
  })

  it('a cached session keeps working while the store is down; a dead cache falls back to the store', async () => {
    const errorsBefore = logger.at('error').length
    const sid = await sessionFor(app, 'mia', 'mia-password')
    storeDown.on = true
    expect((await me(app, sid)).status).toBe(200)
    storeDown.on = false
    cache.alwaysThrow()
    expect((await me(app, sid)).status).toBe(200)
    const during = await sessionFor(app, 'mia', 'mia-password')
    expect((await me(app, during)).status).toBe(200)
    cache.heal()
    expect(logger.at('error').length).toBe(errorsBefore)
  })

  it('with both cache and store down, /auth/me is a 503 (never 401: nobody is logged out, never a 500) and one warning', async () => {
    const sid = await sessionFor(app, 'mia', 'mia-password')
    cache.alwaysThrow()
    storeDown.on = true
    const before = logger.at('warn').length
    const errorsBefore = logger.at('error').length
    const res = await me(app, sid)
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect((await app.request('/cache/stats', { headers: { cookie: `sid=${sid}` } })).status).toBe(503)
    expect((await me(app)).status).toBe(401) // no cookie: nothing to check
    expect(logger.at('warn').length).toBeGreaterThan(before)
    // The access lines of the 503s are errors; nothing else (no 500, no stack).
    expect(logger.at('error').slice(errorsBefore).map((l) => [l.msg, l.fields?.status])).toEqual([
      ['request', 503],
      ['request', 503],
    ])
    cache.heal()
    storeDown.on = false
  })
})

describe('failed-login throttle wiring (RATE_LIMIT_LOGIN)', () => {
  let env: Awaited<ReturnType<typeof openPair>>
  let app: Awaited<ReturnType<Awaited<ReturnType<typeof openPair>>['instance']>>['app']
  beforeAll(async () => {
    env = await openPair({ cache: 'memory', store: 'memory', env: { RATE_LIMIT_LOGIN: '2/60' } })
    const c = await env.instance(silentLogger)
    await c.auth.accounts.create('ned', 'ned-password', 'user')
    app = c.app
  })
  afterAll(async () => {
    await env?.close()
  })

  it('counts failed logins, then answers 429 with Retry-After even for the right password', async () => {
    expect((await login(app, 'ned', 'wrong-1')).status).toBe(401)
    expect((await login(app, 'ned', 'wrong-2')).status).toBe(401)
    const res = await login(app, 'ned', 'ned-password')
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await login(app, 'other-user', 'whatever')).status).toBe(401) // another username is its own pair
  })
})
