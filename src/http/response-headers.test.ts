import { Hono, type MiddlewareHandler } from 'hono'
import { describe, expect, it } from 'vitest'
import { createErrorHandler } from './error-handler.js'
import { body, json, nextWithHeaders, setFixedResponseHeaders, setResponseHeader } from './response-headers.js'
import { silentLogger } from '../ports/logger.js'

/** Sets `name: value` and passes on the way middlewares do. */
const setting = (name: string, value: string): MiddlewareHandler =>
  function setting(c, next) {
    setResponseHeader(c, name, value)
    return nextWithHeaders(c, next)
  }

function app() {
  const a = new Hono()
  a.onError(createErrorHandler(silentLogger))
  a.use('*', async (c, next) => {
    setFixedResponseHeaders(c, Object.freeze({ 'X-Fixed': 'yes' }))
    await nextWithHeaders(c, next)
  })
  a.use('*', setting('X-Outer', '1'))
  a.use('*', setting('X-Inner', '2'))
  return a
}

describe('response headers', () => {
  it('json() and body() build the response with the fixed and pending headers, in a plain object', async () => {
    const a = app()
    a.get('/json', (c) => {
      setResponseHeader(c, 'Cache-Control', 'no-store')
      return json(c, { ok: true }, 201)
    })
    a.get('/empty', (c) => body(c, null, 204))
    const res = await a.request('/json')
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ ok: true })
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-fixed': 'yes',
      'x-outer': '1',
      'x-inner': '2',
    })
    const empty = await a.request('/empty')
    expect(empty.status).toBe(204)
    expect(empty.headers.get('content-type')).toBeNull()
    expect(empty.headers.get('x-inner')).toBe('2')
  })

  it('responses built another way get the headers copied on after the chain', async () => {
    const a = app()
    a.get('/text', (c) => c.text('plain'))
    a.get('/own', () => new Response('own', { headers: { 'X-Own': 'kept' } }))
    a.get('/boom', () => {
      throw new Error('boom')
    })
    for (const path of ['/text', '/own', '/boom', '/missing']) {
      const res = await a.request(path)
      expect(res.headers.get('x-fixed'), path).toBe('yes')
      expect(res.headers.get('x-outer'), path).toBe('1')
      expect(res.headers.get('x-inner'), path).toBe('2')
    }
    expect((await a.request('/own')).headers.get('x-own')).toBe('kept')
    expect((await a.request('/boom')).headers.get('content-type')).toBe('application/problem+json')
  })

  it('a header set on the way out, after the response was built, still reaches it', async () => {
    const a = new Hono()
    a.use('*', async (c, next) => {
      await next()
      setResponseHeader(c, 'X-Late', 'after')
    })
    a.get('/json', (c) => json(c, { ok: true }))
    a.get('/text', (c) => c.text('plain'))
    expect((await a.request('/json')).headers.get('x-late')).toBe('after')
    const b = new Hono()
    b.use('*', setting('X-Early', 'before'))
    b.use('*', async (c, next) => {
      await next()
      setResponseHeader(c, 'X-Late', 'after')
    })
    b.get('/text', (c) => c.text('plain'))
    const res = await b.request('/text')
    expect(res.headers.get('x-early')).toBe('before')
    expect(res.headers.get('x-late')).toBe('after')
  })

  it('one value per name: a later set replaces, Set-Cookie included', async () => {
    const a = app()
    a.get('/twice', (c) => {
      setResponseHeader(c, 'Set-Cookie', 'a=1')
      setResponseHeader(c, 'Set-Cookie', 'a=2')
      setResponseHeader(c, 'X-Inner', 'route')
      return json(c, {})
    })
    const res = await a.request('/twice')
    expect(res.headers.getSetCookie()).toEqual(['a=2'])
    expect(res.headers.get('x-inner')).toBe('route')
  })

  it('without any middleware, the builders are plain responses', async () => {
    const a = new Hono()
    a.get('/', (c) => json(c, [1, 2]))
    const res = await a.request('/')
    expect(await res.json()).toEqual([1, 2])
    expect(res.headers.get('content-type')).toBe('application/json')
  })
})
