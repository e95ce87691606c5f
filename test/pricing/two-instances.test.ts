/**
 * Two app instances (two containers, as two processes build them) on one Redis and one PostgreSQL: a
 * price-list change or a catalog import on one makes the other's cached job prices and estimates stale
 * at once (the next read is a MISS with the new numbers), and an answer cached by one is a HIT on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { form } from '../helpers/catalog-app.js'
import { loginCookie } from '../helpers/login.js'
import { createTestSchema, TEST_REDIS_URL, uniqueName } from '../helpers/services.js'
import { FIXTURE_CSV, FIXTURE_JOBS, T1_AT_10 } from './fixtures.js'

const ADMIN = { username: 'price-admin', password: 'Price-Admin-Password-7' }
const ORIGIN = 'http://localhost'
let a: Container
let b: Container
let schema: Awaited<ReturnType<typeof createTestSchema>>
let cookieA: string
let cookieB: string

beforeAll(async () => {
  schema = await createTestSchema('pricing_fleet')
  const config = loadConfig({
    APP_ENV: 'test', CACHE_BACKEND: 'redis', CACHE_STRICT: 'true', REDIS_URL: TEST_REDIS_URL, DATABASE_URL: schema.url,
    CACHE_KEY_PREFIX: uniqueName('pricing_fleet'), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, CATALOG_SEED: 'false',
    RATE_LIMIT_API: '10000/60', RATE_LIMIT_IMPORT: '1000/60',
  })
  ;[a, b] = await Promise.all([buildContainer(config, silentLogger, { passwordIterations: 1000 }), buildContainer(config, silentLogger, { passwordIterations: 1000 })])
  await a.catalog.upsertJobs(FIXTURE_JOBS)
  cookieA = await loginCookie(a.app, ADMIN, ORIGIN)
  cookieB = await loginCookie(b.app, ADMIN, ORIGIN)
  const put = await a.app.request('/prices/uji', { method: 'PUT', body: form({ file: { name: 'harga.csv', data: FIXTURE_CSV } }), headers: { Origin: ORIGIN, Cookie: cookieA } })
  expect(put.status).toBe(200)
}, 60_000)

afterAll(async () => {
  await a?.cache.clear()
  await Promise.all([a?.close(), b?.close()])
  await schema?.drop()
})

const price = async (c: Container, list = 'uji') => {
  const res = await c.app.request(`/ahsp/jobs/T.1/price?list=${list}`)
  return { status: res.status, cache: res.headers.get('x-cache'), body: res.status === 200 ? await res.json() : undefined }
}
const estimate = async (c: Container) => {
  const res = await c.app.request('/estimates', { method: 'POST', headers: { Origin: ORIGIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ list: 'uji', lines: [{ code: 'T.1', volume: 2 }] }) })
  return { cache: res.headers.get('x-cache'), body: await res.json() }
}

describe('job prices and estimates on two instances sharing Redis and PostgreSQL', () => {
  it('an answer cached by one instance is a HIT on the other', async () => {
    const first = await price(b)
    expect([first.cache, first.body.unitPrice]).toEqual(['MISS', T1_AT_10.unitPrice])
    expect((await price(a)).cache).toBe('HIT')
    expect((await estimate(a)).cache).toBe('MISS')
    expect((await estimate(b)).cache).toBe('HIT')
  })

  it('a price change on A is seen by B at once', async () => {
    const csv = FIXTURE_CSV.replace('TK-0001;Mandor;OH;200.000,00', 'TK-0001;Mandor;OH;240.000,00')
    const put = await a.app.request('/prices/uji', { method: 'PUT', body: form({ file: { name: 'harga.csv', data: csv } }), headers: { Origin: ORIGIN, Cookie: cookieA } })
    expect((await put.json()).items).toMatchObject({ updated: 1, unchanged: 3 })
    const after = await price(b)
    // TK = 0.025 × 240000 + 112500 = 118500; D = 130504.75; F = D × 1.1 = 143555.225
    expect([after.cache, after.body.subtotals.TK, after.body.unitPrice]).toEqual(['MISS', '118500', '143555.225'])
    const e = await estimate(b)
    expect([e.cache, e.body.subtotal]).toEqual(['MISS', '287110.45'])
  })

  it('a catalog import on B is seen by A at once', async () => {
    expect((await price(a)).cache).toBe('HIT')
    const csv = 'kode_ahsp,nama_ahsp,kategori,kode_item,uraian_item,satuan_item,koefisien\nT.1,Galian uji,TK,TK-0001,Mandor,OH,0.05'
    const res = await b.app.request('/ahsp/import?source=Uji', { method: 'POST', body: form({ file: { name: 'c.csv', data: csv } }), headers: { Origin: ORIGIN, Cookie: cookieB } })
    expect(res.status).toBe(200)
    const after = await price(a)
    // Only Mandor now: D = 0.05 × 240000 = 12000; F = 13200
    expect([after.cache, after.body.direct, after.body.unitPrice, after.body.missing]).toEqual(['MISS', '12000', '13200', []])
  })

  it('a list deleted on A is a 404 on B at once', async () => {
    expect((await price(b)).cache).toBe('HIT')
    expect((await a.app.request('/prices/uji', { method: 'DELETE', headers: { Origin: ORIGIN, Cookie: cookieA } })).status).toBe(204)
    expect((await price(b)).status).toBe(404)
  })
})
