import { describe, expect, it } from 'vitest'
import { UnprocessableError } from '../../domain/errors.js'
import { normaliseCategory } from './category.js'
import { mapHeader } from './headers.js'
import { parseUpload, type Upload } from './parse-upload.js'
import { buildXlsx } from '../../../test/helpers/xlsx.js'

const text = (s: string, filename: string): Upload => ({ bytes: new TextEncoder().encode(s), filename })

describe('header aliases', () => {
  it('are case-insensitive, trimmed, and ignore spaces, dashes and accents', async () => {
    expect(mapHeader([' KODE_AHSP ', 'Nama', 'Uraian Item', 'satuan-item', 'Koef', 'Kelompok', 'kode_item_lookup', 'Sumber AHSP', 'Klasifikasi', 'Sub Klasifikasi', 'source_file'])).toEqual({
      code: 0, name: 1, description: 2, itemUnit: 3, coefficient: 4, category: 5, itemCode: 6, source: 7, classification: 8, subClassification: 9,
    })
    expect(mapHeader(['code', 'name', 'item', 'unit', 'coefficient', 'category', 'item_code', 'source'])).toMatchObject({ itemUnit: 3, description: 2 })
  })

  it('a bare satuan is the item unit in the flat layout, the job unit beside satuan_item or without component columns', async () => {
    expect(mapHeader(['kode_ahsp', 'item', 'satuan', 'koefisien'])).toMatchObject({ itemUnit: 2 })
    expect(mapHeader(['kode_ahsp', 'satuan', 'uraian_item', 'satuan_item', 'koefisien'])).toMatchObject({ jobUnit: 1, itemUnit: 3 })
    expect(mapHeader(['id', 'kode_ahsp', 'nama_ahsp', 'satuan'])).toMatchObject({ jobId: 0, jobUnit: 3 })
  })
})

describe('categories', () => {
  it.each([
    ['Tenaga Kerja', 'TK'], ['upah', 'TK'], ['TK', 'TK'], [' tk ', 'TK'],
    ['Bahan', 'BHN'], ['material', 'BHN'], ['BHN', 'BHN'],
    ['Peralatan', 'ALT'], ['alat', 'ALT'], ['ALT', 'ALT'],
    ['Lain-lain', 'LAIN'], ['LAIN', 'LAIN'],
  ])('%s → %s', (input, category) => {
    expect(normaliseCategory(input)).toEqual({ category, known: true })
  })
  it('anything else (or nothing) is LAIN, flagged unknown', async () => {
    expect(normaliseCategory('')).toEqual({ category: 'LAIN', known: false })
    expect(normaliseCategory('Subkon')).toEqual({ category: 'LAIN', known: false })
  })
})

const HEADER = 'kode_ahsp,nama_ahsp,kategori,kode_item,item,satuan,koefisien'

describe('parseUpload (flat layout)', () => {
  it('groups rows into jobs by source + code, exact coefficients, normalised categories', async () => {
    const csv = [
      HEADER,
      '1.1,Galian tanah,Tenaga Kerja,L.01,Pekerja,OH,"0,75"',
      '1.1,Galian tanah,Bahan,B.01,Pasir,m3,"1.234,56"',
      '1.2,Urugan,Peralatan,E.01,Stamper,hari,83349',
      '1.1,Galian tanah,Peralatan,E.02,Pompa,hari,"1,234.5"',
    ].join('\n')
    const out = await parseUpload(text(csv, 'a.csv'))
    expect(out.errors).toEqual([])
    expect(out.rows).toBe(4)
    expect(out.jobs).toEqual([
      {
        source: 'AHSP 2025', code: '1.1', name: 'Galian tanah', unit: '', classification: '', subClassification: '',
        components: [
          { category: 'TK', itemCode: 'L.01', description: 'Pekerja', unit: 'OH', coefficient: '0.75' },
          { category: 'BHN', itemCode: 'B.01', description: 'Pasir', unit: 'm3', coefficient: '1234.56' },
          { category: 'ALT', itemCode: 'E.02', description: 'Pompa', unit: 'hari', coefficient: '1234.5' },
        ],
      },
      expect.objectContaining({ code: '1.2', components: [expect.objectContaining({ coefficient: '83349', category: 'ALT' })] }),
    ])
  })

  it('reports unreadable rows with their 1-based row number (header = 1) and skips the whole job', async () => {
    const csv = [
      HEADER,
      '1.1,A,TK,,Pekerja,OH,0.5',
      ',B,TK,,Pekerja,OH,0.5',
      '1.2,C,TK,,Pekerja,OH,abc',
      '1.2,C,TK,,Mandor,OH,0.1',
      '1.3,D,TK,,Pekerja,OH,',
      '1.4,E,TK,,,OH,1',
      '1.5,F,TK,,Pekerja,OH,-1',
      '1.6,,TK,,Pekerja,OH,1',
    ].join('\r\n')
    const out = await parseUpload(text(csv, 'a.csv'))
    expect(out.jobs.map((j) => j.code)).toEqual(['1.1'])
    expect(out.errors).toEqual([
      { row: 3, message: 'missing job code (kode_ahsp)' },
      { row: 4, message: 'unreadable coefficient "abc"; job 1.2 (AHSP 2025) not imported' },
      { row: 6, message: 'missing coefficient (koefisien); job 1.3 (AHSP 2025) not imported' },
      { row: 7, message: 'missing item description (uraian_item); job 1.4 (AHSP 2025) not imported' },
      { row: 8, message: 'negative coefficient -1; job 1.5 (AHSP 2025) not imported' },
      { row: 9, message: 'missing job name (nama_ahsp) for job 1.6' },
    ])
  })

  it('imports a row without category as LAIN and reports a warning', async () => {
    const out = await parseUpload(text(`${HEADER}\n1.1,A,,,Air,liter,2\n1.1,A,Subkon,,X,ls,1`, 'a.csv'))
    expect(out.jobs[0].components.map((c) => c.category)).toEqual(['LAIN', 'LAIN'])
    expect(out.warnings).toEqual([
      { row: 2, message: 'no category; imported as LAIN' },
      { row: 3, message: 'unknown category "Subkon" imported as LAIN' },
    ])
  })

  it('defaultSource: the row column, else the request\'s default, else AHSP 2025; source: every row', async () => {
    const csv = 'kode,nama,item,koef,sumber\n1,A,x,1,SNI 2024\n2,B,y,1,'
    expect((await parseUpload(text(csv, 'a.csv'))).jobs.map((j) => j.source)).toEqual(['SNI 2024', 'AHSP 2025'])
    expect((await parseUpload(text(csv, 'a.csv'), { defaultSource: 'Daerah' })).jobs.map((j) => j.source)).toEqual(['SNI 2024', 'Daerah'])
    const both = { source: ' Baru ', defaultSource: 'Daerah' }
    expect((await parseUpload(text(csv, 'a.csv'), both)).jobs.map((j) => j.source)).toEqual(['Baru', 'Baru'])
  })

  it('reads the same table from xlsx, tsv (sniffed semicolon csv) and json alike', async () => {
    const rows = [['Kode', 'Nama', 'Kelompok', 'Uraian', 'Satuan', 'Koefisien'], ['1.1', 'Galian', 'upah', 'Pekerja', 'OH', '0,0387']]
    const fromXlsx = await parseUpload({ bytes: buildXlsx(rows), filename: 'x.xlsx' })
    const fromTsv = await parseUpload(text(rows.map((r) => r.join('\t')).join('\n'), 'x.tsv'))
    const fromCsv = await parseUpload(text(rows.map((r) => r.join(';')).join('\n'), 'x.csv'))
    const fromJson = await parseUpload(text(JSON.stringify([Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]))]), 'x.json'))
    for (const out of [fromTsv, fromCsv, fromJson]) expect(out.jobs).toEqual(fromXlsx.jobs)
    expect(fromXlsx.jobs[0].components[0]).toEqual({ category: 'TK', itemCode: '', description: 'Pekerja', unit: 'OH', coefficient: '0.0387' })
  })

  it('JSON: jobs with nested components, as GET /ahsp/jobs/:code returns them', async () => {
    const job = { source: 'S', code: '9.9', name: 'N', unit: 'm2', components: [{ category: 'BHN', itemCode: 'B', description: 'Semen', unit: 'kg', coefficient: 0.5 }] }
    const out = await parseUpload(text(JSON.stringify({ jobs: [job] }), 'j.json'))
    expect(out.jobs).toEqual([{ ...job, classification: '', subClassification: '', components: [{ ...job.components[0], coefficient: '0.5' }] }])
  })

  it('reads Windows-1252 text when the file is not UTF-8 (older spreadsheet exports)', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('kode,nama,item,koef\n1,Caf'), 0xe9, ...new TextEncoder().encode(',x,1\n')])
    expect((await parseUpload({ bytes, filename: 'a.csv' })).jobs[0].name).toBe('Café')
  })

  it('finds a header below a title line', async () => {
    const out = await parseUpload(text(`Daftar AHSP 2025\n\n${HEADER}\n1.1,A,TK,,P,OH,1`, 'a.csv'))
    expect(out.jobs).toHaveLength(1)
  })

  it.each([
    ['no recognisable header', text('foo,bar\n1,2', 'a.csv')],
    ['no component columns', text('kode_ahsp,nama_ahsp\n1,A', 'a.csv')],
    ['invalid JSON', text('[{"kode": 1', 'a.json')],
    ['a JSON object that is not rows', text('{"hello": 1}', 'a.json')],
    ['a JSON array of non-objects', text('[1, 2]', 'a.json')],
    ['binary data', { bytes: new Uint8Array([0, 1, 2, 0, 255]), filename: 'a.csv' }],
    ['a components file alone', text('id\tkategori\turaian_item\tkoefisien\tahsp_id\n1\tTK\tP\t1\t5', 'c.tsv')],
  ])('422 for %s', async (_label, upload) => {
    await expect(parseUpload(upload)).rejects.toThrow(UnprocessableError)
  })
})

describe('parseUpload (two-file export)', () => {
  const jobs = text('id\tkode_ahsp\tnama_ahsp\tsatuan\tsumber\n10\t1.1\tGalian\tm3\tAHSP 2025\n11\t1.2\tKosong\t\tAHSP 2025', 'jobs.tsv')
  const comps = text('id\tkategori\tkode_item\turaian_item\tsatuan_item\tkoefisien\tahsp_id\n1\tTK\tTK-1\tPekerja\tOH\t0.750000\t10\n2\tBHN\tB-1\tX\tkg\t1\t99', 'c.tsv')

  it('joins components to jobs by ahsp_id in either order; unknown ids are reported', async () => {
    for (const out of [await parseUpload(jobs, { components: comps }), await parseUpload(comps, { components: jobs })]) {
      expect(out.jobs).toEqual([
        { source: 'AHSP 2025', code: '1.1', name: 'Galian', unit: 'm3', classification: '', subClassification: '', components: [{ category: 'TK', itemCode: 'TK-1', description: 'Pekerja', unit: 'OH', coefficient: '0.75' }] },
        { source: 'AHSP 2025', code: '1.2', name: 'Kosong', unit: '', classification: '', subClassification: '', components: [] },
      ])
      expect(out.errors).toEqual([{ row: 3, message: 'components file (unknown ahsp_id "99"): missing job code (kode_ahsp)' }])
    }
  })
})
