import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { BackendUnavailableError } from '../../../domain/errors.js'
import type { AppEnv } from '../../types.js'
import { session } from './index.js'
import { captureLogger } from '../../../../test/helpers/capture-logger.js'

const user = { id: 'u1', username: 'ann', role: 'user' as const }

function appWith(resolve: (id: string | undefined) => Promise<unknown>) {
  const logger = captureLogger()
  const calls: (string | undefined)[] = []
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    c.set('logger', logger)
    await next()
  })
  app.use('*', session({ sessions: { resolve: async (id) => (calls.push(id), resolve(id) as never) } }))
  app.get('*', (c) => c.json({ user: c.get('user') ?? null, session: c.get('session') ?? null }))
  return { app, calls, logger }
}

describe('session middleware', () => {
  it('sets user and session (expiry in ms) from the sid cookie, once per request', async () => {
    const { app, calls } = appWith(async () => ({ user, expiresAt: Date.UTC(2030, 0, 1) }))
    const res = await app.request('/x', { headers: { cookie: 'other=1; sid=abc' } })
    expect(await res.json()).toEqual({ user, session: { expiresAt: Date.UTC(2030, 0, 1) } })
    expect(calls).toEqual(['abc'])
  })

  it('costs nothing without a cookie and never loads on /health', async () => {
    const { app, calls } = appWith(async () => ({ user, expiresAt: 0 }))
    expect(await (await app.request('/x')).json()).toEqual({ user: null, session: null })
    await app.request('/health', { headers: { cookie: 'sid=abc' } })
    expect(calls).toEqual([])
  })

  it('an unknown session is anonymous', async () => {
    const { app } = appWith(async () => undefined)
    expect(await (await app.request('/x', { headers: { cookie: 'sid=zzz' } })).json()).toEqual({ user: null, session: null })
  })

  it('goes on anonymous with one warning when neither cache nor store can answer', async () => {
    const { app, logger } = appWith(async () => {
      throw new BackendUnavailableError('[pg-sessions] database unavailable')
    })
    const res = await app.request('/x', { headers: { cookie: 'sid=abc' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null, session: null })
    expect(logger.at('warn')).toHaveLength(1)
    expect(logger.text()).not.toContain('abc')
  })

  it('refuses to be built without sessions', () => {
    expect(() => session({} as never)).toThrow(TypeError)
  })
})
