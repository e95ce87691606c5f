import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'

/** What a newcomer trying the API by hand ran into (issue 14): each answer says what was expected. */
let container: Container
const ORIGIN = 'http://localhost'

beforeAll(async () => {
  // A tight API limit, so that documentation routes counting against it would show.
  container = await buildContainer(loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', RATE_LIMIT_API: '3/60', TRUST_PROXY: 'true' }), silentLogger)
})

afterAll(async () => {
  await container?.close()
})

/** Each request from its own client (the limit counts per client), so the tight limit bites only where meant. */
let client = 0
const req = (path: string, init: RequestInit = {}, ip = `10.9.0.${++client}`) =>
  container.app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': ip } })
const fresh = req

describe('rough edges', () => {
  it('GET / points at the reference and the OpenAPI document', async () => {
    const res = await req('/')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ docs: '/docs', openapi: '/openapi.json' })
  })

  it('a known path with the wrong method is 405 with Allow; an unknown path stays 404', async () => {
    const login = await req('/auth/login')
    expect(login.status).toBe(405)
    expect(login.headers.get('allow')).toBe('POST')
    expect(login.headers.get('content-type')).toContain('application/problem+json')
    expect((await login.json()).detail).toContain('POST')
    const job = await req('/ahsp/jobs/1.1.1.1', { method: 'DELETE', headers: { origin: ORIGIN } })
    expect(job.status).toBe(405)
    expect(job.headers.get('allow')).toBe('GET, HEAD')
    expect((await req('/auth/nothing-here')).status).toBe(404)
    expect((await req('/ahsp/jobs/1.1/extra')).status).toBe(404)
  })

  it('a form-encoded login is 415 saying JSON is expected', async () => {
    const res = await req('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: 'username=a&password=b',
    })
    expect(res.status).toBe(415)
    expect((await res.json()).detail).toBe('Content-Type application/x-www-form-urlencoded is not accepted here: expected application/json')
  })

  it('a page number past every bound gets one message naming the bound', async () => {
    const res = await fresh('/ahsp/search?q=beton&page=99999999999999999999')
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.errors).toHaveLength(1)
    expect(body.errors[0]).toMatchObject({ path: 'page' })
    expect(body.errors[0].message).toContain('10000')
  })

  it('q=%FF (not UTF-8) is a clear 400, never a search for the text "%ff"', async () => {
    for (const q of ['%FF', 'beton%FF', '%E0%A4%A']) {
      const res = await fresh(`/ahsp/search?q=${q}`)
      expect(res.status, q).toBe(400)
      const text = await res.text()
      expect(text).toContain('not UTF-8')
      expect(text.toLowerCase()).not.toContain('"%ff"')
    }
    // Properly encoded UTF-8 (and an escaped percent sign) still searches.
    for (const q of ['p%C3%A1gar', '100%25']) expect((await fresh(`/ahsp/search?q=${q}`)).status, q).toBe(200)
  })

  it('documentation routes are outside the API rate limit', async () => {
    for (let i = 0; i < 6; i++) {
      for (const path of ['/', '/openapi.json', '/docs']) {
        const res = await req(path, {}, '10.8.0.1')
        expect(res.status, path).toBe(200)
        expect(res.headers.get('ratelimit'), path).toBeNull()
      }
    }
    // The API itself is limited (3/60) for the same client.
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await req('/ahsp/sources', {}, '10.8.0.1')).status)
    expect(statuses).toEqual([200, 200, 200, 429])
  })
})
