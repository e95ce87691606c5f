import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { hc, type InferResponseType } from 'hono/client'
import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import type { AppType } from '../../src/http/app.js'
import { silentLogger } from '../../src/ports/logger.js'
import { runExample } from '../../examples/client.js'

/**
 * `examples/client.ts` (the README's typed-client example) run against the app in-process through
 * `app.request` as its fetch; `tsc --noEmit` (part of `npm test`) typechecks it and the assertions below.
 */

const ADMIN = { username: 'client-admin', password: 'Client-Admin-Password-3' }
let container: Container

beforeAll(async () => {
  const env = { APP_ENV: 'test', CACHE_BACKEND: 'memory', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }
  container = await buildContainer(loadConfig(env), silentLogger)
})

afterAll(async () => {
  await container?.close()
})

const viaApp = ((input: RequestInfo | URL, init?: RequestInit) => container.app.request(input, init)) as typeof fetch

describe('typed client (hc<AppType>)', () => {
  it('runs the README example: health, ready, search, job detail, login, me, logout', async () => {
    const lines: string[] = []
    const result = await runExample('http://localhost', { fetch: viaApp, ...ADMIN, log: (l) => lines.push(l) })
    expect(result).toEqual({ health: 'ok', ready: 'ok', total: expect.any(Number), user: ADMIN.username })
    expect(lines.join('\n')).toContain(`logged in as ${ADMIN.username} (admin)`)
    expect(lines).toContain('logout: 204')
  })

  it('carries the response types of the route definitions', async () => {
    const client = hc<AppType>('http://localhost', { fetch: viaApp })
    type Search = InferResponseType<typeof client.ahsp.search.$get, 200>
    expectTypeOf<Search['items'][number]['code']>().toEqualTypeOf<string>()
    expectTypeOf<Search['total']>().toEqualTypeOf<number>()
    type Me = InferResponseType<typeof client.auth.me.$get, 200>
    expectTypeOf<Me['user']['role']>().toEqualTypeOf<'admin' | 'user'>()
    type Health = InferResponseType<typeof client.health.$get, 200>
    expectTypeOf<Health>().toEqualTypeOf<{ status: 'ok' }>()
    type Items = InferResponseType<typeof client.ahsp.items.$get, 200>
    expectTypeOf<Items['items'][number]['jobs']>().toEqualTypeOf<number>()
    const items = await client.ahsp.items.$get({ query: { q: 'pekerja', category: 'TK' } })
    expect(items.status).toBe(200)
    expect((await items.json()).total).toBeGreaterThan(0)
    const byComponent = await client.ahsp.search.$get({ query: { q: 'pekerja', in: 'components' } })
    expect((await byComponent.json()).total).toBeGreaterThan(0)
    type Price = InferResponseType<(typeof client.ahsp.jobs)[':code']['price']['$get'], 200>
    expectTypeOf<Price['unitPrice']>().toEqualTypeOf<string>()
    expectTypeOf<Price['lines'][number]['amount']>().toEqualTypeOf<string | null>()
    const unknownList = await client.ahsp.jobs[':code'].price.$get({ param: { code: '1.1.1.1' }, query: { list: 'no-such-list' } })
    expect(unknownList.status).toBe(404)
    const lists = await client.prices.$get()
    expect(lists.status).toBe(200)
    expect(Array.isArray(await lists.json())).toBe(true)
    const estimate = await client.estimates.$post({ query: {}, json: { list: 'no-such-list', lines: [{ code: '1.1.1.1', volume: 1 }] } }, { headers: { Origin: 'http://localhost' } })
    expect(estimate.status).toBe(404)
    const res = await client.ahsp.sources.$get()
    expect(res.status).toBe(200)
    const sources = await res.json()
    expect(Array.isArray(sources)).toBe(true)
  })
})
