import { Hono } from 'hono'
import { etag } from 'hono/etag'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'

/**
 * The app sets headers the Hono way (`c.header()` before `next()`, answers with `c.json()`/`c.body()`), so
 * stock Hono middleware in front of it composes: each one's headers reach every kind of answer — a plain
 * route, a cached catalog answer sent as text, an error answered by the error handler, a 404.
 */
let container: Container
let app: Hono

beforeAll(async () => {
  container = await buildContainer(loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', RATE_LIMIT_API: '1000/60' }), silentLogger)
  app = new Hono()
  app.use(requestId({ headerName: 'X-Correlation-Id' }))
  app.use(etag())
  app.use(secureHeaders())
  app.route('/', container.app)
})

afterAll(async () => {
  await container?.close()
})

const answers = [
  ['a plain route', '/health', 200],
  ['a cached catalog answer', '/ahsp/search?q=beton', 200],
  ['an error from the error handler', '/auth/me', 401],
  ['no route', '/no/such/path', 404],
] as const

describe('stock Hono middleware in front of the app', () => {
  it.each(answers)('%s (%s) carries every middleware’s headers and the app’s own', async (_, path, status) => {
    const res = await app.request(path, { headers: { 'X-Correlation-Id': 'corr-1' } })
    expect(res.status).toBe(status)
    // hono/request-id (set before next())
    expect(res.headers.get('x-correlation-id')).toBe('corr-1')
    // hono/secure-headers (set after next())
    expect(res.headers.get('x-xss-protection')).toBe('0')
    expect(res.headers.get('origin-agent-cluster')).toBe('?1')
    // hono/etag (hashes the body after next(); successful answers only)
    if (status === 200) expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/)
    // the app's own: request id, rate limit, route headers (its secure headers are overridden by hono's, set later)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    if (path.startsWith('/ahsp/')) expect(res.headers.get('x-cache')).toMatch(/^(HIT|MISS)$/)
    if (path !== '/health') expect(res.headers.get('ratelimit'), path).toMatch(/^limit=1000, remaining=\d+, reset=\d+$/)
  })

  it('hono/etag answers 304 to a cached catalog answer it has seen', async () => {
    const first = await app.request('/ahsp/search?q=beton')
    const again = await app.request('/ahsp/search?q=beton', { headers: { 'If-None-Match': first.headers.get('etag')! } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
  })

  it('hono/request-id with its default header: the app echoes the caller’s id, never "null"', async () => {
    const withDefault = new Hono()
    withDefault.use(requestId())
    withDefault.route('/', container.app)
    const res = await withDefault.request('/health', { headers: { 'X-Request-Id': 'abc-123' } })
    expect(res.headers.get('x-request-id')).toBe('abc-123')
    const fresh = await withDefault.request('/health')
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
