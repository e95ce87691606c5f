import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildXlsx } from '../helpers/xlsx.js'
import { createCatalogApp, form, ORIGIN, USER } from '../helpers/catalog-app.js'

const HEADER = 'kode_ahsp,nama_ahsp,kategori,kode_item,item,satuan,koefisien'
const CSV = [
  HEADER,
  '1.1.1,Galian tanah biasa sedalam 1 m,Tenaga Kerja,L.01,Pekerja,OH,"0,75"',
  '1.1.1,Galian tanah biasa sedalam 1 m,Tenaga Kerja,L.03,Mandor,OH,"0,025"',
  '1.1.2,Urugan pasir,Bahan,B.01,Pasir urug,m3,"1,2"',
  '1.1.3,,Bahan,B.02,Semen,kg,abc',
].join('\r\n')

let t: Awaited<ReturnType<typeof createCatalogApp>>
let admin: string
let user: string

beforeAll(async () => {
  t = await createCatalogApp()
  admin = await t.login()
  user = await t.login(USER)
})
afterAll(() => t?.close())

function postImport(body: BodyInit, headers: Record<string, string> = {}, cookie: string | null = admin, query = '') {
  return t.app.request(`/ahsp/import${query}`, {
    method: 'POST',
    body,
    headers: { Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}), ...headers },
  })
}

describe('POST /ahsp/import', () => {
  it('401 anonymous, 403 for a non-admin', async () => {
    expect((await postImport(form({ file: { name: 'a.csv', data: CSV } }), {}, null)).status).toBe(401)
    const res = await postImport(form({ file: { name: 'a.csv', data: CSV } }), {}, user)
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })

  it('imports a CSV as admin: summary with row errors; a second import changes nothing', async () => {
    const res = await postImport(form({ file: { name: 'a.csv', data: CSV } }))
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ jobs: { created: 2, updated: 0, unchanged: 0 }, components: 3, rows: 4, errorCount: 1 })
    expect(body.errors).toEqual([{ row: 5, message: 'unreadable coefficient "abc"; job 1.1.3 (AHSP 2025) not imported' }])
    const again = await (await postImport(form({ file: { name: 'a.csv', data: CSV } }))).json()
    expect(again.jobs).toEqual({ created: 0, updated: 0, unchanged: 2 })
    const job = await (await t.app.request('/ahsp/jobs/1.1.1')).json()
    expect(job.components.map((c: { coefficient: string }) => c.coefficient)).toEqual(['0.75', '0.025'])
  })

  it('imports xlsx, a JSON body, the two-file TSV export, with a source from the form or the query', async () => {
    const xlsx = buildXlsx([['Kode', 'Nama', 'Kategori', 'Item', 'Satuan', 'Koefisien'], ['7.1', 'Pasangan bata merah', 'Bahan', 'Bata merah', 'bh', 70]])
    const a = await postImport(form({ file: { name: 'x.xlsx', data: xlsx }, source: 'Uji XLSX' }))
    expect((await a.json()).jobs.created).toBe(1)
    const json = [{ code: '8.1', name: 'Plester', components: [{ category: 'BHN', description: 'Semen', unit: 'kg', coefficient: '6.24' }] }]
    const b = await postImport(JSON.stringify(json), { 'Content-Type': 'application/json' }, admin, '?source=Uji%20JSON')
    expect((await b.json()).jobs.created).toBe(1)
    const jobs = 'id\tkode_ahsp\tnama_ahsp\tsumber\n1\t9.1\tBekisting\tUji TSV'
    const comps = 'id\tkategori\tkode_item\turaian_item\tsatuan_item\tkoefisien\tahsp_id\n1\tTK\tTK-1\tTukang kayu\tOH\t0.260000\t1'
    const c = await postImport(form({ file: { name: 'jobs.tsv', data: jobs }, components: { name: 'c.tsv', data: comps } }))
    expect(await c.json()).toMatchObject({ jobs: { created: 1 }, components: 1 })
    const sources = await (await t.app.request('/ahsp/sources')).json()
    expect(sources).toEqual(expect.arrayContaining([{ source: 'Uji XLSX', jobs: 1 }, { source: 'Uji JSON', jobs: 1 }, { source: 'Uji TSV', jobs: 1 }]))
  })

  it('source sets the source of every row (import as a new source); defaultSource only of rows without one', async () => {
    const csv = 'kode,nama,item,koef,sumber\n5.1,Bekisting,Tukang,0.26,Uji Kolom\n5.2,Bongkar,Pekerja,0.1,'
    const d = await postImport(form({ file: { name: 'a.csv', data: csv }, defaultSource: 'Uji Default' }))
    expect((await d.json()).jobs.created).toBe(2)
    const s = await postImport(form({ file: { name: 'a.csv', data: csv } }), {}, admin, '?source=Uji%20Baru')
    expect((await s.json()).jobs).toEqual({ created: 2, updated: 0, unchanged: 0 }) // a new source: nothing overwritten
    const sources = await (await t.app.request('/ahsp/sources')).json()
    expect(sources).toEqual(expect.arrayContaining([{ source: 'Uji Kolom', jobs: 1 }, { source: 'Uji Default', jobs: 1 }, { source: 'Uji Baru', jobs: 2 }]))
  })

  it.each([
    ['garbage bytes as xlsx', () => form({ file: { name: 'x.xlsx', data: new Uint8Array([1, 2, 3, 4]) } })],
    ['a CSV without a header', () => form({ file: { name: 'x.csv', data: 'a,b\n1,2' } })],
    ['a CSV whose every row is unreadable', () => form({ file: { name: 'x.csv', data: `${HEADER}\n,,,,,,` + '\n1,A,TK,,P,OH,zz' } })],
    ['invalid JSON', () => '[{"code":'],
  ])('422 for %s, and nothing changes', async (_label, body) => {
    const before = await (await t.app.request('/ahsp/sources')).text()
    const b = body()
    const res = await postImport(b, typeof b === 'string' ? { 'Content-Type': 'application/json' } : {})
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await (await t.app.request('/ahsp/sources')).text()).toBe(before)
  })

  it('400 without a file field; 413 for a body over 10 MB', async () => {
    expect((await postImport(form({ source: 'x' }))).status).toBe(400)
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    const res = await postImport(big, { 'Content-Type': 'text/csv', 'Content-Length': String(big.length) })
    expect(res.status).toBe(413)
    expect((await res.json()).status).toBe(413)
    const chunked = await postImport(form({ file: { name: 'a.csv', data: big } }))
    expect(chunked.status).toBe(413)
  })
})

describe('GET /ahsp/search, /ahsp/jobs/:code, /ahsp/sources', () => {
  it('never a 500 for percent-encoded garbage (invalid UTF-8, lone surrogate, NUL)', async () => {
    for (const raw of ['%ED%A0%80', '%FF%FE', '%00%00', '%', '%E2%80%AEgalian']) {
      const res = await t.app.request(`/ahsp/search?q=${raw}`)
      expect(res.status).toBeLessThan(500)
    }
  })

  it('X-Cache MISS then HIT; an import makes the cached answer stale at once', async () => {
    const url = '/ahsp/search?q=galian&limit=5'
    const first = await t.app.request(url)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-cache')).toBe('MISS')
    const body = await first.json()
    expect(body).toMatchObject({ query: 'galian', page: 1, limit: 5, total: 1, items: [{ code: '1.1.1', source: 'AHSP 2025' }] })
    expect(typeof body.items[0].rank).toBe('number')
    const second = await t.app.request(url)
    expect(second.headers.get('x-cache')).toBe('HIT')
    const csv = `${HEADER}\n2.9,Galian tanah keras,TK,,Pekerja,OH,1`
    expect((await postImport(form({ file: { name: 'b.csv', data: csv } }))).status).toBe(200)
    const third = await t.app.request(url)
    expect(third.headers.get('x-cache')).toBe('MISS')
    expect((await third.json()).total).toBe(2)
  })

  it('jobs and sources are cached the same way; an unknown job is a 404 problem', async () => {
    expect((await t.app.request('/ahsp/jobs/1.1.2?source=AHSP%202025')).headers.get('x-cache')).toBe('MISS')
    const hit = await t.app.request('/ahsp/jobs/1.1.2?source=AHSP%202025')
    expect(hit.headers.get('x-cache')).toBe('HIT')
    expect(await hit.json()).toMatchObject({ code: '1.1.2', components: [{ category: 'BHN', coefficient: '1.2', unit: 'm3' }] })
    const missing = await t.app.request('/ahsp/jobs/99.99')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toContain('application/problem+json')
    await t.app.request('/ahsp/sources')
    expect((await t.app.request('/ahsp/sources')).headers.get('x-cache')).toBe('HIT')
  })

  it('a query under FTS_MIN_QUERY_LENGTH answers 200 with no items', async () => {
    for (const q of ['', 'g', '%20%20']) {
      const res = await t.app.request(`/ahsp/search?q=${q}`)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ total: 0, items: [] })
    }
  })

  it.each([
    ['limit over 100', 'q=galian&limit=101'],
    ['limit 0', 'q=galian&limit=0'],
    ['page 0', 'q=galian&page=0'],
    ['page not a number', 'q=galian&page=abc'],
    ['unknown category', 'q=galian&category=XYZ'],
    ['a 10,000-character query', `q=${'a'.repeat(10_000)}`],
  ])('400 problem for %s', async (_label, query) => {
    const res = await t.app.request(`/ahsp/search?${query}`)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })

  it.each(["galian'", 'galian & tanah', 'galian | tanah', 'gal:*', 'galian\\', 'gali\u0000an', "'; drop table jobs; --", '"unterminated', '-', 'OR OR', '((', '1.1.', '\u202e'])(
    'never a 500 for %j',
    async (q) => {
      const res = await t.app.request(`/ahsp/search?q=${encodeURIComponent(q)}&category=TK`)
      expect(res.status).toBe(200)
      expect(Array.isArray((await res.json()).items)).toBe(true)
    },
  )
})

// Last: its import (another source) adds jobs the tests above do not expect.
describe('GET /ahsp/items and /ahsp/search?in=components', () => {
  it('items: distinct items with job counts, cached; in=components finds jobs by their items; bad values are 400', async () => {
    await postImport(form({ file: { name: 'items.csv', data: CSV } }), {}, admin, '?source=Uji%20Items')
    const res = await t.app.request('/ahsp/items?q=mandor')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-cache')).toBe('MISS')
    const body = await res.json()
    expect(body).toMatchObject({ query: 'mandor', page: 1, limit: 20 })
    const mandor = body.items.find((i: { itemCode: string }) => i.itemCode === 'L.03')
    expect(mandor).toMatchObject({ category: 'TK', description: 'Mandor', unit: 'OH' })
    expect(mandor.jobs).toBeGreaterThanOrEqual(1)
    expect((await t.app.request('/ahsp/items?q=mandor')).headers.get('x-cache')).toBe('HIT')
    const jobs = await (await t.app.request('/ahsp/search?in=components&q=pasir%20urug&source=Uji%20Items')).json()
    expect(jobs.items.map((j: { code: string }) => j.code)).toEqual(['1.1.2'])
    expect((await t.app.request('/ahsp/search?in=everything&q=pasir')).status).toBe(400)
    expect((await t.app.request('/ahsp/items?q=pasir&category=XX')).status).toBe(400)
    expect((await t.app.request(`/ahsp/items?q=${'a'.repeat(501)}`)).status).toBe(400)
  })
})
