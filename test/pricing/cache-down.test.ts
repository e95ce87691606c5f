/**
 * Failures designed: with the cache down, job prices and estimates are computed from the stores (200,
 * X-Cache MISS), a price change made meanwhile is never hidden, and caching resumes once it answers.
 * With the price-list store down, reads are a 503 problem, never a 500 or a stale answer made up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { BackendUnavailableError } from '../../src/domain/errors.js'
import { chaosCache } from '../helpers/chaos-cache.js'
import { form } from '../helpers/catalog-app.js'
import { createPricingApp } from '../helpers/pricing-app.js'
import { FIXTURE_CSV, FIXTURE_JOBS, T1_AT_10 } from './fixtures.js'

const cache = chaosCache(createMemoryCache())
let t: Awaited<ReturnType<typeof createPricingApp>>
beforeAll(async () => {
  t = await createPricingApp({ jobs: FIXTURE_JOBS, cache })
  expect((await t.put('uji', form({ file: { name: 'harga.csv', data: FIXTURE_CSV } }))).status).toBe(200)
})
afterAll(() => t?.close())

const price = async () => {
  const res = await t.app.request('/ahsp/jobs/T.1/price?list=uji')
  return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() }
}

it('cache down: prices from the stores, a change made meanwhile is seen; cached again once it is back', async () => {
  expect((await price()).cache).toBe('MISS')
  expect((await price()).cache).toBe('HIT')
  cache.alwaysThrow()
  try {
    const down = await price()
    expect([down.status, down.body.unitPrice]).toEqual([200, T1_AT_10.unitPrice])
    await t.pricing.importPrices('uji', { json: { items: [{ itemCode: 'TK-0001', price: '0' }] } })
    const changed = await price()
    expect([changed.status, changed.cache, changed.body.subtotals.TK]).toEqual([200, 'MISS', '0'])
    const e = await t.estimate({ list: 'uji', lines: [{ code: 'T.1', volume: 1 }] })
    expect(e.status).toBe(200)
  } finally {
    cache.heal()
  }
  expect((await price()).body.subtotals.TK).toBe('0')
  expect((await price()).cache).toBe('HIT')
})

it('price-list store down: 503 problem+json, not a 500', async () => {
  await t.pricing.importPrices('uji3', { json: { items: [{ itemCode: 'TK-0001', price: '5' }] } })
  const original = t.pricing.prices.get
  t.pricing.prices.get = async () => {
    throw new BackendUnavailableError('[test] price list store down')
  }
  try {
    const res = await t.app.request('/ahsp/jobs/T.1/price?list=uji3')
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  } finally {
    t.pricing.prices.get = original
  }
})
