import { HTTPException } from 'hono/http-exception'
import { describe, expect, it } from 'vitest'
import type { Logger } from '../../../ports/logger.js'
import { createErrorHandler } from '../../error-handler.js'
import { createRouter } from '../../router.js'
import { requestLog, type RequestOutcome } from './index.js'

interface Line {
  level: string
  msg: string
  fields: Record<string, unknown>
}

function captureLogger(lines: Line[], base: Record<string, unknown> = {}): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push({ level, msg, fields: { ...base, ...fields } })
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (f) => captureLogger(lines, { ...base, ...f }) }
}

function build() {
  const lines: Line[] = []
  const app = createRouter()
  const logger = captureLogger(lines)
  app.use('*', requestLog({ logger }))
  app.get('/jobs/:code', (c) => {
    c.var.logger.info('inside', { code: c.req.param('code') })
    return c.json({ id: c.var.requestId })
  })
  app.get('/text', (c) => c.text('text'))
  // A library's prepared Response, answered through the error handler (e.g. HTTPException({ res })).
  app.get('/prepared', () => {
    throw new HTTPException(418, { res: new Response('teapot', { status: 418, headers: { 'X-Library': 'yes' } }) })
  })
  app.get('/boom', () => {
    throw new Error('boom')
  })
  app.onError(createErrorHandler(logger))
  return { app, lines }
}

describe('requestLog middleware', () => {
  it('honours a valid X-Request-Id: c.var, response header and every log line of the request', async () => {
    const { app, lines } = build()
    const res = await app.request('/jobs/1.1?token=abc', { headers: { 'X-Request-Id': 'edge-01.abc_DEF' } })
    expect(res.headers.get('X-Request-Id')).toBe('edge-01.abc_DEF')
    expect(await res.json()).toEqual({ id: 'edge-01.abc_DEF' })
    expect(lines.map((l) => l.fields.requestId)).toEqual(['edge-01.abc_DEF', 'edge-01.abc_DEF'])
    const access = lines.find((l) => l.msg === 'request')!
    expect(access.level).toBe('info')
    expect(access.fields).toMatchObject({ method: 'GET', route: '/jobs/:code', path: '/jobs/1.1', status: 200 })
    expect(typeof access.fields.latencyMs).toBe('number')
    // the query string (possibly a secret) never reaches the line
    expect(JSON.stringify(lines)).not.toContain('abc&')
    expect(JSON.stringify(lines)).not.toContain('token')
  })

  it.each([
    ['too long', 'a'.repeat(129)],
    ['bad characters', 'id with spaces'],
    ['injection attempt', 'x";{"level":"error"}'],
    ['empty', ''],
  ])('replaces an invalid id (%s) with a UUID', async (_label, id) => {
    const { app } = build()
    const res = await app.request('/jobs/1', { headers: { 'X-Request-Id': id } })
    expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('accepts exactly 128 characters', async () => {
    const { app } = build()
    const id = 'A'.repeat(128)
    expect((await app.request('/jobs/1', { headers: { 'X-Request-Id': id } })).headers.get('X-Request-Id')).toBe(id)
  })

  it('generates distinct ids without a header, also on text answers, prepared responses and 404s', async () => {
    const { app, lines } = build()
    const prepared = await app.request('/prepared')
    expect(prepared.status).toBe(418)
    expect(prepared.headers.get('X-Library')).toBe('yes')
    expect(prepared.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    const a = await app.request('/text')
    const b = await app.request('/nowhere')
    expect(a.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(b.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.headers.get('X-Request-Id')).not.toBe(b.headers.get('X-Request-Id'))
    const notFound = lines.find((l) => l.fields.path === '/nowhere')!
    expect(notFound.fields).toMatchObject({ status: 404, route: '(unmatched)' })
  })

  it('logs 5xx at error level and never logs cookies or Authorization', async () => {
    const { app, lines } = build()
    const res = await app.request('/boom', {
      headers: { Cookie: 'sid=SECRETSID', Authorization: 'Bearer SECRETTOKEN', 'X-Request-Id': 'req-500' },
    })
    expect(res.status).toBe(500)
    expect(res.headers.get('X-Request-Id')).toBe('req-500')
    // the error handler logs through the request's logger, so the stack line carries the request id
    expect(lines.find((l) => l.msg === 'unhandled error')?.fields.requestId).toBe('req-500')
    const access = lines.find((l) => l.msg === 'request')!
    expect(access.level).toBe('error')
    expect(access.fields).toMatchObject({ status: 500, route: '/boom' })
    expect(JSON.stringify(lines)).not.toMatch(/SECRETSID|SECRETTOKEN/)
  })

  it('tells each observer once per request what the line records: method, route pattern, status, seconds', async () => {
    const seen: RequestOutcome[] = []
    const app = createRouter()
    app.use('*', requestLog({ logger: captureLogger([]), observers: [(_c, o) => seen.push(o)] }))
    app.get('/jobs/:code', (c) => c.json({}))
    app.get('/boom', () => {
      throw new Error('boom')
    })
    app.onError(createErrorHandler(captureLogger([])))
    await app.request('/jobs/1.1')
    await app.request('/boom')
    await app.request('/nowhere', { method: 'DELETE' })
    expect(seen.map(({ method, route, status }) => [method, route, status])).toEqual([
      ['GET', '/jobs/:code', 200],
      ['GET', '/boom', 500],
      ['DELETE', '(unmatched)', 404],
    ])
    for (const o of seen) expect(o.seconds).toBeGreaterThanOrEqual(0)
    expect(seen.every((o) => o.seconds < 5)).toBe(true)
  })
})
