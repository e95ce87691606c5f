/**
 * The raw-request fast path of `POST /estimates` (`cachedEstimate`): a request byte-for-byte like one
 * answered before is answered from the cache before its body is parsed. Its answers must be the slow
 * path's, byte for byte; stale at once when the prices, the catalog or the default overhead change; and
 * never given to a request that differs in one byte, nor to a malformed one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { form } from '../helpers/catalog-app.js'
import { createPricingApp, ORIGIN } from '../helpers/pricing-app.js'
import { HAND_ESTIMATE } from './estimates.suite.js'
import { FIXTURE_CSV, FIXTURE_JOBS } from './fixtures.js'

type PricingApp = Awaited<ReturnType<typeof createPricingApp>>
const JSON_TYPE = 'application/json'
const BODY = JSON.stringify(HAND_ESTIMATE)
const MANDOR_240 = FIXTURE_CSV.replace('TK-0001;Mandor;OH;200.000,00', 'TK-0001;Mandor;OH;240.000,00')

async function post(t: PricingApp, body: string, query = '', contentType = JSON_TYPE) {
  const res = await t.app.request(`/estimates${query}`, { method: 'POST', body, headers: { Origin: ORIGIN, 'Content-Type': contentType } })
  return { status: res.status, cache: res.headers.get('x-cache'), bytes: new Uint8Array(await res.arrayBuffer()) }
}
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
/** What the fast path alone answers for this request (no slow path behind it). */
const fastPath = async (t: PricingApp, body: string, query = '') =>
  (await t.pricing.pricing.cachedEstimate({ body: new TextEncoder().encode(body), contentType: JSON_TYPE, query })).answer

async function app(options: Parameters<typeof createPricingApp>[0] = {}): Promise<PricingApp> {
  const t = await createPricingApp({ jobs: FIXTURE_JOBS, ...options })
  expect((await t.put('uji', form({ file: { name: 'harga.csv', data: FIXTURE_CSV } }))).status).toBe(200)
  return t
}

describe('POST /estimates: the raw-request fast path', () => {
  let t: PricingApp
  /** The same routes without a cache: every answer computed by the slow path. */
  let uncached: PricingApp
  beforeAll(async () => {
    ;[t, uncached] = await Promise.all([app(), app({ env: { FTS_CACHE_RESULTS: 'false' } })])
  })
  afterAll(async () => {
    await t?.close()
    await uncached?.close()
  })

  it('answers a repeated request byte for byte as the slow path did, as JSON and as CSV', async () => {
    expect(await fastPath(t, BODY)).toBeUndefined()
    const miss = await post(t, BODY)
    expect([miss.status, miss.cache]).toEqual([200, 'MISS'])
    const fast = await fastPath(t, BODY)
    expect(fast?.json).toBe(text(miss.bytes))
    expect(fast?.bytes).toEqual(miss.bytes)
    const hit = await post(t, BODY)
    expect(hit.cache).toBe('HIT')
    expect(hit.bytes).toEqual(miss.bytes)
    expect(JSON.parse(text(hit.bytes)).totalRounded).toBe('996000')
    // The same request with other whitespace is the slow path's normalised hit: the same bytes again.
    const spaced = JSON.stringify(HAND_ESTIMATE, null, 2)
    expect(await fastPath(t, spaced)).toBeUndefined()
    expect(await post(t, spaced)).toEqual({ status: 200, cache: 'HIT', bytes: miss.bytes })
    expect((await post(uncached, BODY)).bytes).toEqual(miss.bytes)
    const csvSlow = await post(t, BODY, '?format=csv')
    expect(await fastPath(t, BODY, '?format=csv')).toBeDefined()
    const csvFast = await post(t, BODY, '?format=csv')
    expect(csvFast.cache).toBe('HIT')
    expect(text(csvFast.bytes)).toBe(text(csvSlow.bytes))
    expect(text(csvFast.bytes)).toContain('1,T.1,Galian uji,m3,2.5,142455.225,356138.0625')
  })

  it('never answers a request differing in one byte of a meaningful field with the cached answer', async () => {
    expect((await post(t, BODY)).cache).toBe('HIT')
    const variants = [
      BODY.replace('"2,5"', '"2,6"'),
      BODY.replace('"volume":10', '"volume":11'),
      BODY.replace('"code":"T.1"', '"code":"T.2"'),
      BODY.replace('"rounding":1000', '"rounding":100'),
      BODY.replace('"list":"uji"', '"list":"uji","overheadPercent":"11"'),
      BODY.replace('"list":"uji"', '"list":"uji","taxPercent":"12"'),
    ]
    for (const body of variants) {
      expect(body).not.toBe(BODY)
      expect(await fastPath(t, body)).toBeUndefined()
      const got = await post(t, body)
      const want = await post(uncached, body)
      expect([got.status, got.cache, text(got.bytes)]).toEqual([200, 'MISS', text(want.bytes)])
    }
  })

  it('a malformed request still gets its 400/422/404 after the well-formed one was cached', async () => {
    expect((await post(t, BODY)).cache).toBe('HIT')
    expect((await post(t, BODY.slice(0, -1))).status).toBe(400)
    expect((await post(t, BODY.replace('"2,5"', '"-2,5"'))).status).toBe(422)
    expect((await post(t, BODY.replace('"code":"T.1"', '"code":"T.9"'))).status).toBe(422)
    expect((await post(t, BODY.replace('"list":"uji"', '"list":"ujj"'))).status).toBe(404)
    expect((await post(t, BODY, '?format=pdf')).status).toBe(400)
    const plain = await post(t, BODY, '', 'text/plain')
    expect(plain.status).toBeGreaterThanOrEqual(400)
    expect(plain.cache).toBeNull()
  })

  it('goes stale at once on a price change and on a catalog import', async () => {
    expect((await post(t, BODY)).cache).toBe('HIT')
    expect((await t.put('uji', form({ file: { name: 'harga.csv', data: MANDOR_240 } }))).status).toBe(200)
    expect(await fastPath(t, BODY)).toBeUndefined()
    const repriced = await post(t, BODY)
    // T.1: F = 143555.225 (Mandor 240000) × 2.5 = 358888.0625; T.2 unchanged 540847.0815
    expect([repriced.cache, JSON.parse(text(repriced.bytes)).subtotal]).toEqual(['MISS', '899735.144'])
    expect((await post(t, BODY)).cache).toBe('HIT')

    const csv = 'kode_ahsp,nama_ahsp,kategori,kode_item,uraian_item,satuan_item,koefisien\nT.1,Galian uji,TK,TK-0001,Mandor,OH,0.05'
    const imported = await t.app.request('/ahsp/import?source=Uji', { method: 'POST', body: form({ file: { name: 'c.csv', data: csv } }), headers: { Origin: ORIGIN, Cookie: t.admin } })
    expect(imported.status).toBe(200)
    expect(await fastPath(t, BODY)).toBeUndefined()
    const reimported = await post(t, BODY)
    // T.1 is Mandor alone: F = 0.05 × 240000 × 1.1 = 13200, × 2.5 = 33000; + 540847.0815
    expect([reimported.cache, JSON.parse(text(reimported.bytes)).subtotal]).toEqual(['MISS', '573847.0815'])
  })
})

describe('the fast path and the default overhead', () => {
  it('an instance with another PRICE_OVERHEAD_PERCENT on the same cache never serves the other\'s answer', async () => {
    const cache = createMemoryCache()
    const [ten, twelve] = await Promise.all([app({ cache }), app({ cache, env: { PRICE_OVERHEAD_PERCENT: '12' } })])
    try {
      expect((await post(ten, BODY)).cache).toBe('MISS')
      expect((await post(ten, BODY)).cache).toBe('HIT')
      expect(await fastPath(twelve, BODY)).toBeUndefined()
      const other = await post(twelve, BODY)
      expect([other.cache, JSON.parse(text(other.bytes)).overheadPercent]).toEqual(['MISS', '12'])
      expect(JSON.parse(text((await post(ten, BODY)).bytes)).overheadPercent).toBe('10')
    } finally {
      await Promise.all([ten.close(), twelve.close()])
    }
  })
})
