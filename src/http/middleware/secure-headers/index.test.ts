import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { secureHeaders } from './index.js'

const app = (production: boolean) => {
  const a = new Hono()
  a.use('*', secureHeaders({ production }))
  a.get('/ok', (c) => c.text('ok'))
  a.get('/boom', () => {
    throw new Error('boom')
  })
  a.onError((_, c) => c.text('error', 500))
  return a
}

describe('secure-headers middleware', () => {
  it('sets nosniff, frame DENY and a referrer policy, without HSTS outside production', async () => {
    const res = await app(false).request('/ok')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('strict-transport-security')).toBeNull()
    expect(res.headers.get('x-powered-by')).toBeNull()
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    expect(res.headers.get('x-xss-protection')).toBeNull()
  })

  it('adds HSTS in production, also on errors and 404s', async () => {
    for (const path of ['/ok', '/boom', '/missing']) {
      const res = await app(true).request(path)
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=63072000; includeSubDomains')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
    }
  })

  it('validates its options once', () => {
    expect(() => secureHeaders({ production: true, hstsMaxAge: -1 })).toThrow(TypeError)
  })
})
