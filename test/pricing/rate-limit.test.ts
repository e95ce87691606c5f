import { afterAll, beforeAll, expect, it } from 'vitest'
import { createPricingApp, ORIGIN } from '../helpers/pricing-app.js'
import { FIXTURE_JOBS } from './fixtures.js'

let t: Awaited<ReturnType<typeof createPricingApp>>
beforeAll(async () => {
  t = await createPricingApp({ jobs: FIXTURE_JOBS, rateLimits: true, env: { RATE_LIMIT_IMPORT: '3/3600', RATE_LIMIT_API: '1000/60' } })
})
afterAll(() => t?.close())

it('price-list writes (PUT, DELETE) count against RATE_LIMIT_IMPORT per user; reads do not', async () => {
  const items = [{ itemCode: 'TK-0001', price: '1' }]
  expect((await t.putJson('a', items)).status).toBe(200)
  expect((await t.app.request('/prices/a', { method: 'DELETE', headers: { Origin: ORIGIN, Cookie: t.admin } })).status).toBe(204)
  for (let i = 0; i < 5; i++) expect((await t.app.request('/prices')).status).toBe(200)
  expect((await t.putJson('a', items)).status).toBe(200)
  const limited = await t.putJson('a', items)
  expect(limited.status).toBe(429)
  expect(limited.headers.get('retry-after')).toBeTruthy()
  expect((await t.app.request('/prices/a')).status).toBe(200)
})
