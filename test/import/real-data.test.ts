import { beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { canonicalDecimal } from '../../src/domain/catalog/canonical-job.js'
import { createImportCatalog } from '../../src/use-cases/import/import-catalog.js'
import { parseUpload, type Upload } from '../../src/use-cases/import/parse-upload.js'
import type { NormalisedImport } from '../../src/use-cases/import/rows-to-jobs.js'
import type { JobWithComponents } from '../../src/ports/catalog.js'
import { loadAhspJobs, readReferenceFile } from '../helpers/ahsp-data.js'
import { unitFromName } from '../../src/domain/catalog/unit-from-name.js'

const file = (name: string): Upload => ({ bytes: readReferenceFile(name), filename: name })
const categories = (jobs: JobWithComponents[]) => {
  const counts: Record<string, number> = {}
  for (const j of jobs) for (const c of j.components) counts[c.category] = (counts[c.category] ?? 0) + 1
  return counts
}

describe('the real SNI 2025 workbook (flat .xlsx users upload)', () => {
  let parsed: NormalisedImport
  beforeAll(async () => {
    parsed = await parseUpload(file('SNI_2025_AHSP.xlsx'))
  })

  it('13,899 rows → 2,305 jobs, every row a component, none dropped', async () => {
    expect(parsed.rows).toBe(13_899)
    expect(parsed.jobs).toHaveLength(2_305)
    expect(parsed.jobs.reduce((n, j) => n + j.components.length, 0)).toBe(13_899)
    expect(parsed.errors).toEqual([])
    expect(new Set(parsed.jobs.map((j) => j.source))).toEqual(new Set(['AHSP 2025']))
  })

  it('normalises the long category names; the 37 rows without one become LAIN, each reported as a warning', async () => {
    expect(categories(parsed.jobs)).toEqual({ TK: 8_468, BHN: 4_738, ALT: 656, LAIN: 37 })
    const guesses = parsed.warnings.filter((w) => !('suggested' in w)) // lost decimal points: coefficient-check.test.ts
    expect(guesses).toHaveLength(37)
    expect(guesses[0]).toEqual({ row: 128, message: 'no category; imported as LAIN' })
  })

  it('repairs the mojibake of the workbook (UTF-8 read as CP-1252) and lists each repaired cell with its row', async () => {
    const repairs = parsed.textRepairs!
    expect(repairs).toHaveLength(2_314)
    const left = /[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u2122\u0152-\u0192\u02c6\u02dc]/
    const texts = parsed.jobs.flatMap((j) => [j.name, j.unit, ...j.components.flatMap((c) => [c.description, c.unit])])
    expect(texts.filter((t) => left.test(t))).toEqual([])
    expect(texts.some((t) => t.includes('≥'))).toBe(true)
    expect(repairs.find((r) => r.from.includes('mÂ²'))).toMatchObject({ to: expect.stringContaining('m²') })
    const report = await createImportCatalog({ store: createMemoryCatalog() })({ file: file('SNI_2025_AHSP.xlsx') })
    expect(report.textRepaired.count).toBe(repairs.length)
    expect(report.textRepaired.examples).toEqual(repairs.slice(0, 20))
  })

  it('keeps coefficients exact, including the ones that lost their decimal point in the workbook', async () => {
    const job = parsed.jobs.find((j) => j.code === '1.1.1.1')!
    expect(job.name).toMatch(/^Pembuatan 1 m3 pagar sementara dari kayu/)
    const byItem = Object.fromEntries(job.components.map((c) => [c.description, c]))
    expect(byItem['Kayu Kaso 5/7 kelas II']).toEqual({ category: 'BHN', itemCode: 'B.0823', description: 'Kayu Kaso 5/7 kelas II', unit: 'm3', coefficient: '0.0387' })
    expect(byItem['Mandor'].coefficient).toBe('0.013')
    expect(byItem['Kerikil'].coefficient).toBe('83349')
    const odd = parsed.jobs.flatMap((j) => j.components.filter((c) => !/^\d+(\.\d+)?$/.test(c.coefficient)))
    expect(odd).toEqual([])
  })

  it('imports into the catalog once; importing it again changes nothing', async () => {
    const store = createMemoryCatalog()
    const importCatalog = createImportCatalog({ store })
    const first = await importCatalog({ file: file('SNI_2025_AHSP.xlsx') })
    expect(first).toMatchObject({ jobs: { created: 2_305, updated: 0, unchanged: 0 }, components: 13_899, errors: [], warningCount: 37 + 537 }) // 537 lost decimal points
    const generation = await store.generation()
    const second = await importCatalog({ file: file('SNI_2025_AHSP.xlsx') })
    expect(second.jobs).toEqual({ created: 0, updated: 0, unchanged: 2_305 })
    expect(second.components).toBe(0)
    expect(await store.generation()).toBe(generation)
    expect(await store.sources()).toEqual([{ source: 'AHSP 2025', jobs: 2_305 }])
  })
})

describe('the real two-file TSV export', () => {
  let parsed: NormalisedImport
  beforeAll(async () => {
    parsed = await parseUpload(file('ahsp_jobs.tsv'), { components: file('ahsp_components.tsv') })
  })

  it('2,305 jobs with 14,036 components, categories as exported', async () => {
    expect(parsed.errors).toEqual([])
    expect(parsed.warnings).toEqual([])
    expect(parsed.jobs).toHaveLength(2_305)
    expect(categories(parsed.jobs)).toEqual({ TK: 8_299, BHN: 5_020, ALT: 647, LAIN: 70 })
  })

  it('matches an independent reading of the same files field for field (names verbatim, typographic quotes kept)', async () => {
    const reference = loadAhspJobs().map((j) => ({
      ...j,
      unit: j.unit || unitFromName(j.name),
      components: j.components.map((c) => ({ ...c, coefficient: canonicalDecimal(c.coefficient)! })),
    }))
    expect(parsed.jobs).toEqual(reference)
    expect(parsed.jobs[0].name).toContain('1 m’ pagar')
  })

  it('upserting it twice changes nothing the second time', async () => {
    const store = createMemoryCatalog()
    expect(await store.upsertJobs(parsed.jobs)).toMatchObject({ created: 2_305, updated: 0, components: 14_036 })
    expect(await store.upsertJobs(parsed.jobs)).toEqual({ created: 0, updated: 0, unchanged: 2_305, components: 0 })
  })
})
