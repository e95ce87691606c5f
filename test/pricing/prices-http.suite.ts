import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildXlsx } from '../helpers/xlsx.js'
import { form } from '../helpers/catalog-app.js'
import { createPricingApp } from '../helpers/pricing-app.js'
import { FIXTURE_CSV, FIXTURE_JOBS, T1_AT_10 } from './fixtures.js'

/** The price-list and job-price routes on one store kind, with hand-computed expectations. */
export function describePricesHttp(db: 'memory' | 'postgres'): void {
  describe(`price lists and job prices over HTTP (${db})`, () => {
    let t: Awaited<ReturnType<typeof createPricingApp>>
    beforeAll(async () => {
      t = await createPricingApp({ db, jobs: FIXTURE_JOBS })
    })
    afterAll(() => t?.close())

    it('PUT from a CSV: each row matched and said how; errors by row number; the rest imported', async () => {
      const res = await t.put('uji', form({ file: { name: 'harga.csv', data: FIXTURE_CSV } }))
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body.list).toBe('uji')
      expect(body.items).toEqual({ created: 4, updated: 0, unchanged: 0, removed: 0 })
      expect(body.matches).toEqual([
        { row: 2, itemCode: 'TK-0001', by: 'itemCode' },
        { row: 3, itemCode: 'TK-0002', by: 'description' },
        { row: 4, itemCode: 'B-0001', by: 'description' },
        { row: 5, itemCode: 'A-0001', by: 'itemCode' },
      ])
      expect(body.matchedBy).toEqual({ itemCode: 2, description: 2 })
      expect(body.errors.map((e: { row: number }) => e.row)).toEqual([6, 7])
      expect(body.errors[0].message).toContain('X-9999')
      expect(body.warnings).toHaveLength(1)
      expect(body.warnings[0]).toMatchObject({ row: 5 })
      expect(body.warnings[0].message).toContain('thousand separator')
      const list = await (await t.app.request('/prices/uji')).json()
      expect(list.items.map((i: { itemCode: string; price: string }) => [i.itemCode, i.price])).toEqual([
        ['A-0001', '1250'], ['B-0001', '1250.5'], ['TK-0001', '200000'], ['TK-0002', '150000'],
      ])
    })

    it('GET /ahsp/jobs/:code/price: the breakdown worked out by hand; missing items listed, never hidden', async () => {
      const res = await t.app.request('/ahsp/jobs/T.1/price?list=uji')
      expect(res.status).toBe(200)
      expect(res.headers.get('x-cache')).toBe('MISS')
      const p = await res.json()
      expect(p.overheadPercent).toBe('10')
      expect(p.subtotals).toEqual({ TK: T1_AT_10.TK, BHN: T1_AT_10.BHN, ALT: T1_AT_10.ALT, LAIN: T1_AT_10.LAIN })
      expect([p.direct, p.overhead, p.unitPrice]).toEqual([T1_AT_10.direct, T1_AT_10.overhead, T1_AT_10.unitPrice])
      expect(p.lines.map((l: { amount: string | null }) => l.amount)).toEqual(['5000', '112500', '11879.75', '125', null])
      expect(p.lines[4]).toMatchObject({ itemCode: 'L-0001', price: null, amount: null })
      expect(p.missing).toEqual([{ itemCode: 'L-0001', description: 'Kérikil beton', unit: 'm3' }])
      const again = await t.app.request('/ahsp/jobs/T.1/price?list=uji')
      expect(again.headers.get('x-cache')).toBe('HIT')
      expect(await again.json()).toEqual(p)
    })

    it('overhead: 0, 12.5 (exact), a warning above 15, 400 outside 0–100', async () => {
      const zero = await (await t.app.request('/ahsp/jobs/T.1/price?list=uji&overhead=0')).json()
      expect([zero.overhead, zero.unitPrice]).toEqual(['0', T1_AT_10.direct])
      // E = 129504.75 × 12.5 / 100 = 16188.09375
      const half = await (await t.app.request('/ahsp/jobs/T.1/price?list=uji&overhead=12.5')).json()
      expect([half.overhead, half.unitPrice]).toEqual(['16188.09375', '145692.84375'])
      const high = await (await t.app.request('/ahsp/jobs/T.1/price?list=uji&overhead=20')).json()
      expect(high.warnings[0]).toContain('above 15')
      for (const bad of ['101', '-1', 'abc']) expect((await t.app.request(`/ahsp/jobs/T.1/price?list=uji&overhead=${bad}`)).status).toBe(400)
    })

    it('404 for an unknown job or list; 400 for a bad list name', async () => {
      expect((await t.app.request('/ahsp/jobs/9.9.9/price?list=uji')).status).toBe(404)
      expect((await t.app.request('/ahsp/jobs/T.1/price?list=nope')).status).toBe(404)
      expect((await t.app.request('/prices/nope')).status).toBe(404)
      expect((await t.app.request('/ahsp/jobs/T.1/price?list=a%20b')).status).toBe(400)
      expect((await t.app.request(`/prices/${'x'.repeat(65)}`)).status).toBe(400)
    })

    it('a price change is seen at once (cached answer stale); the list version moves', async () => {
      await t.app.request('/ahsp/jobs/T.1/price?list=uji2')
      const json = await t.putJson('uji2', [{ itemCode: 'TK-0001', price: '100000' }])
      expect(json.status).toBe(200)
      const first = await (await t.app.request('/ahsp/jobs/T.1/price?list=uji2')).json()
      expect(first.subtotals.TK).toBe('2500')
      const res = await t.putJson('uji2', [{ itemCode: 'TK-0001', price: 120000 }, { description: 'pekerja', unit: 'OH', price: '1' }])
      expect((await res.json()).items).toEqual({ created: 1, updated: 1, unchanged: 0, removed: 0 })
      const second = await t.app.request('/ahsp/jobs/T.1/price?list=uji2')
      expect(second.headers.get('x-cache')).toBe('MISS')
      // 0.025 × 120000 + 0.75 × 1
      expect((await second.json()).subtotals.TK).toBe('3000.75')
    })

    it('an xlsx upload (numeric cells are exact) and a TSV; GET /prices lists them; DELETE is 204 then 404', async () => {
      const xlsx = buildXlsx([['Daftar harga contoh'], ['Kode Item', 'Uraian', 'Satuan', 'Harga'], ['TK-0001', 'Mandor', 'OH', 250.125], [null, 'Pompa Air', 'HARI', '1.000.000,5']])
      const res = await t.put('xl', form({ file: { name: 'harga.xlsx', data: xlsx } }))
      const body = await res.json()
      expect(body.errors).toEqual([])
      expect(body.warnings).toEqual([])
      expect(body.matches).toEqual([{ row: 3, itemCode: 'TK-0001', by: 'itemCode' }, { row: 4, itemCode: 'A-0001', by: 'description' }])
      const tsv = 'itemCode\tdescription\tunit\tprice\nB-0001\tSemen Portland\tkg\t1250000\n'
      expect((await t.put('tsv', tsv, { 'Content-Type': 'text/tab-separated-values' })).status).toBe(200)
      const lists = await (await t.app.request('/prices')).json()
      expect(lists.filter((l: { list: string }) => ['xl', 'tsv'].includes(l.list)).map((l: { list: string; items: number }) => [l.list, l.items])).toEqual([['tsv', 1], ['xl', 2]])
      expect((await (await t.app.request('/prices/xl')).json()).items.map((i: { price: string }) => i.price)).toEqual(['1000000.5', '250.125'])
      await t.app.request('/ahsp/jobs/T.1/price?list=xl')
      const del = await t.app.request('/prices/xl', { method: 'DELETE', headers: { Origin: 'http://localhost', Cookie: t.admin } })
      expect(del.status).toBe(204)
      expect((await t.app.request('/ahsp/jobs/T.1/price?list=xl')).status).toBe(404)
      expect((await t.app.request('/prices/xl', { method: 'DELETE', headers: { Origin: 'http://localhost', Cookie: t.admin } })).status).toBe(404)
    })

    it('writes are admin-only (401, 403); a file with nothing importable is 422 and changes nothing', async () => {
      expect((await t.put('uji', JSON.stringify({ items: [] }), { 'Content-Type': 'application/json' }, null)).status).toBe(401)
      expect((await t.put('uji', JSON.stringify({ items: [] }), { 'Content-Type': 'application/json' }, t.user)).status).toBe(403)
      expect((await t.app.request('/prices/uji', { method: 'DELETE', headers: { Origin: 'http://localhost', Cookie: t.user } })).status).toBe(403)
      const bad = await t.putJson('uji', [{ itemCode: 'X-1', price: '1' }, { price: 'abc' }])
      expect(bad.status).toBe(422)
      expect((await (await t.app.request('/prices/uji')).json()).items).toHaveLength(4)
      expect((await t.put('uji', 'a,b\n1,2', { 'Content-Type': 'text/csv' })).status).toBe(422)
    })
  })
}
