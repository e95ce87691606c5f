import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { createErrorHandler } from '../../error-handler.js'
import { silentLogger } from '../../../ports/logger.js'
import type { AppEnv } from '../../types.js'
import { originCheck, type OriginCheckOptions } from './index.js'

function appWith(o: OriginCheckOptions) {
  const app = new Hono<AppEnv>()
  app.onError(createErrorHandler(silentLogger))
  app.use('*', originCheck(o))
  app.all('*', (c) => c.text('ok'))
  return (method: string, headers: Record<string, string>, url = 'http://api.test/x') =>
    Promise.resolve(app.request(url, { method, headers })).then((r) => r.status)
}

const cookie = 'sid=abc'

describe('origin-check middleware', () => {
  const req = appWith({ trustProxy: false })

  it('refuses cookie-authenticated unsafe requests from another origin', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(await req(method, { cookie, origin: 'http://evil.test' })).toBe(403)
    }
    expect(await req('POST', { cookie, origin: 'null' })).toBe(403)
    expect(await req('POST', { cookie, origin: 'https://api.test' })).toBe(403) // scheme differs
    expect(await req('POST', { cookie, origin: 'http://api.test:8080' })).toBe(403) // port differs
  })

  it('falls back to Referer without Origin', async () => {
    expect(await req('POST', { cookie, referer: 'http://evil.test/page' })).toBe(403)
    expect(await req('POST', { cookie, referer: 'not a url' })).toBe(403)
    expect(await req('POST', { cookie, referer: 'http://api.test/page?q=1' })).toBe(200)
  })

  it('lets through same-origin, cookieless, safe-method and header-less requests', async () => {
    expect(await req('POST', { cookie, origin: 'http://api.test' })).toBe(200)
    expect(await req('POST', { origin: 'http://evil.test' })).toBe(200)
    expect(await req('POST', { cookie: 'other=1', origin: 'http://evil.test' })).toBe(200)
    expect(await req('GET', { cookie, origin: 'http://evil.test' })).toBe(200)
    expect(await req('POST', { cookie })).toBe(200)
  })

  it('believes X-Forwarded-Proto only with trustProxy', async () => {
    const headers = { cookie, origin: 'https://api.test', 'x-forwarded-proto': 'https' }
    expect(await req('POST', headers)).toBe(403)
    expect(await appWith({ trustProxy: true })('POST', headers)).toBe(200)
  })

  it('accepts configured extra origins and validates them at construction', async () => {
    const extra = appWith({ trustProxy: false, allowedOrigins: ['https://app.test/'] })
    expect(await extra('POST', { cookie, origin: 'https://app.test' })).toBe(200)
    expect(() => originCheck({ trustProxy: false, allowedOrigins: ['nope'] })).toThrow(TypeError)
  })
})
