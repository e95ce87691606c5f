import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readXlsx } from '../../src/use-cases/import/xlsx.js'
import { form } from '../helpers/catalog-app.js'
import { createPricingApp } from '../helpers/pricing-app.js'
import { FIXTURE_CSV, FIXTURE_JOBS } from './fixtures.js'

/**
 * By hand (overhead 10, PPN 11, rounding 1000):
 * T.1 F = 142455.225 × 2.5 = 356138.0625; T.2 F = 54084.70815 × 10 = 540847.0815
 * subtotal = 896985.144; tax = 98668.36584; total = 995653.50984; rounded to 1000 = 996000
 */
export const HAND_ESTIMATE = {
  list: 'uji',
  rounding: 1000,
  lines: [{ code: 'T.1', volume: '2,5' }, { code: 'T.2', source: 'Uji', volume: 10 }],
}

export function describeEstimates(db: 'memory' | 'postgres'): void {
  describe(`POST /estimates (${db})`, () => {
    let t: Awaited<ReturnType<typeof createPricingApp>>
    beforeAll(async () => {
      t = await createPricingApp({ db, jobs: FIXTURE_JOBS })
      expect((await t.put('uji', form({ file: { name: 'harga.csv', data: FIXTURE_CSV } }))).status).toBe(200)
    })
    afterAll(() => t?.close())

    it('line totals, subtotal, PPN, total and the rounded total, worked out by hand; missing items named', async () => {
      const res = await t.estimate(HAND_ESTIMATE)
      expect(res.status).toBe(200)
      expect(res.headers.get('x-cache')).toBe('MISS')
      const e = await res.json()
      expect(e.lines).toEqual([
        { code: 'T.1', source: 'Uji', name: 'Galian uji', unit: 'm3', volume: '2.5', unitPrice: '142455.225', total: '356138.0625' },
        { code: 'T.2', source: 'Uji', name: 'Plester uji', unit: 'm2', volume: '10', unitPrice: '54084.70815', total: '540847.0815' },
      ])
      expect([e.subtotal, e.tax, e.total, e.totalRounded]).toEqual(['896985.144', '98668.36584', '995653.50984', '996000'])
      expect([e.overheadPercent, e.taxPercent, e.rounding]).toEqual(['10', '11', '1000'])
      expect(e.missing).toEqual([{ itemCode: 'L-0001', description: 'Kérikil beton', unit: 'm3', codes: ['T.1'] }])
      const again = await t.estimate(HAND_ESTIMATE)
      expect(again.headers.get('x-cache')).toBe('HIT')
      expect(await again.json()).toEqual(e)
    })

    it('taxPercent 0 and rounding 1 (the default): total = subtotal, rounded half-up to whole rupiah', async () => {
      const e = await (await t.estimate({ ...HAND_ESTIMATE, taxPercent: 0, rounding: undefined })).json()
      expect([e.tax, e.total, e.totalRounded]).toEqual(['0', '896985.144', '896985'])
    })

    it('422 naming the lines with unknown codes or bad volumes; 404 for an unknown list; 400 for > 5,000 lines', async () => {
      const res = await t.estimate({ list: 'uji', lines: [{ code: 'T.1', volume: 1 }, { code: '9.9', volume: 1 }, { code: 'T.2', source: 'Lain', volume: 1 }] })
      expect(res.status).toBe(422)
      const body = await res.json()
      expect(body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3])
      expect(body.errors[0].message).toContain('9.9')
      const vol = await t.estimate({ list: 'uji', lines: [{ code: 'T.1', volume: '-1' }] })
      expect(vol.status).toBe(422)
      expect((await vol.json()).errors).toEqual([{ line: 1, message: expect.stringContaining('volume') }])
      expect((await t.estimate({ list: 'nope', lines: [{ code: 'T.1', volume: 1 }] })).status).toBe(404)
      const many = Array.from({ length: 5001 }, () => ({ code: 'T.1', volume: 1 }))
      expect((await t.estimate({ list: 'uji', lines: many })).status).toBe(400)
    })

    it('?format=csv: the same numbers, exact, as a download', async () => {
      const res = await t.estimate(HAND_ESTIMATE, '?format=csv')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/csv')
      expect(res.headers.get('content-disposition')).toContain('rab-uji.csv')
      const lines = (await res.text()).replace(/^\ufeff/, '').split('\r\n')
      expect(lines[1]).toBe('No,Kode,Uraian pekerjaan,Satuan,Volume,Harga satuan,Jumlah harga')
      expect(lines[2]).toBe('1,T.1,Galian uji,m3,2.5,142455.225,356138.0625')
      expect(lines.slice(4, 8).map((l) => l.split(',').at(-1))).toEqual(['896985.144', '98668.36584', '995653.50984', '996000'])
    })

    it('?format=xlsx: read back by the project reader with numeric cells', async () => {
      const res = await t.estimate(HAND_ESTIMATE, '?format=xlsx')
      expect(res.headers.get('content-type')).toContain('spreadsheetml')
      const table = await readXlsx(new Uint8Array(await res.arrayBuffer()))
      expect(table.rows[2]).toMatchObject({ cells: ['1', 'T.1', 'Galian uji', 'm3', '2.5', '142455.225', '356138.0625'], numeric: [0, 4, 5, 6] })
      expect(table.rows.slice(4, 8).map((r) => r.cells[6])).toEqual(['896985.144', '98668.36584', '995653.50984', '996000'])
    })
  })
}
