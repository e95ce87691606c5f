import { beforeAll, describe, expect, it } from 'vitest'
import { checkCoefficients, type CheckedComponent, type CoefficientWarning } from '../../src/use-cases/import/coefficient-check.js'
import { dec, decCompare } from '../../src/use-cases/import/decimal.js'
import { parseUpload, type Upload } from '../../src/use-cases/import/parse-upload.js'
import type { NormalisedImport } from '../../src/use-cases/import/rows-to-jobs.js'
import type { Component } from '../../src/ports/catalog.js'
import { loadAhspJobs, readReferenceFile } from '../helpers/ahsp-data.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { createImportCatalog, type ImportReport } from '../../src/use-cases/import/import-catalog.js'

const file = (name: string): Upload => ({ bytes: readReferenceFile(name), filename: name })
const air = (row: number, coefficient: string, description = 'Air'): CheckedComponent => ({
  row,
  component: { category: 'BHN', itemCode: `B.${row}`, description, unit: 'liter', coefficient },
})

describe('checkCoefficients', () => {
  it('flags a whole number ≥ 100× the median of the same item (any code, spacing or case) and suggests / 10³', () => {
    const entries = [air(2, '83.349'), air(3, '20.5', 'AIR'), air(4, '21.5', ' air '), air(5, '83349')]
    const warnings = checkCoefficients(entries, { fix: false })
    expect(warnings).toEqual([
      { row: 5, value: '83349', suggested: '83.349', message: expect.stringContaining('lost decimal point') },
    ])
    expect(entries[3].component.coefficient).toBe('83349')
  })

  it('fix replaces the value in place; a decimal or a small whole number is never flagged', () => {
    const entries = [air(2, '0.02'), air(3, '0.02'), air(4, '2.01'), air(5, '1'), air(6, '2000')]
    expect(checkCoefficients(entries, { fix: true }).map((w) => w.row)).toEqual([6])
    expect(entries.map((e) => e.component.coefficient)).toEqual(['0.02', '0.02', '2.01', '1', '2'])
  })

  it('needs three samples of the item; known coefficients (the store) count towards them', () => {
    const known: Component[] = [air(0, '20').component, air(0, '21').component]
    expect(checkCoefficients([air(2, '20345')], { fix: false })).toEqual([])
    expect(checkCoefficients([air(2, '20345')], { fix: false, known })).toHaveLength(1)
  })
})

/** Measured against the TSV reference, whose coefficients are the standard's (docs/catalog-import.md). */
describe('the real SNI 2025 workbook against the TSV reference', () => {
  let raw: NormalisedImport
  let fixed: NormalisedImport
  beforeAll(async () => {
    raw = await parseUpload(file('SNI_2025_AHSP.xlsx'))
    fixed = await parseUpload(file('SNI_2025_AHSP.xlsx'), { fixCoefficients: true })
  })

  it('flags only coefficients that are 10³ or 10⁴ times the standard: 519 of 706, 462 corrected exactly (the file alone, no store)', () => {
    const ref = new Map(loadAhspJobs().map((j) => [j.code, j]))
    const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim()
    const times = (a: string, b: string, k: number) => {
      const y = dec(b)
      return decCompare(dec(a), { units: y.units * 10n ** BigInt(k), scale: y.scale }) === 0
    }
    let broken = 0
    let caught = 0
    let exact = 0
    let unmatched = 0 // flagged, but the description is mojibake in the workbook so the TSV row is not found
    const falseAlarms: string[] = []
    raw.jobs.forEach((job, j) => {
      const pool = [...(ref.get(job.code)?.components ?? [])]
      job.components.forEach((c, i) => {
        const same = (p: Component) => norm(p.description) === norm(c.description)
        let at = pool.findIndex((p) => same(p) && (times(c.coefficient, p.coefficient, 3) || times(c.coefficient, p.coefficient, 4)))
        if (at < 0) at = pool.findIndex(same)
        const want = at < 0 ? undefined : pool.splice(at, 1)[0].coefficient
        const got = c.coefficient
        const fix = fixed.jobs[j].components[i].coefficient
        const isBroken = want !== undefined && want !== '0' && (times(got, want, 3) || times(got, want, 4))
        if (isBroken) {
          broken++
          if (fix !== got) caught++
          if (decCompare(dec(fix), dec(want)) === 0) exact++
        } else if (want === undefined) {
          if (fix !== got) unmatched++
        } else if (fix !== got) falseAlarms.push(`${job.code} ${c.description} ${got}`)
      })
    })
    expect(falseAlarms).toEqual([])
    expect({ broken, caught, exact }).toEqual({ broken: 706, caught: 519, exact: 462 })
    const flagged = raw.warnings.filter((w): w is CoefficientWarning => 'suggested' in w)
    expect(flagged).toHaveLength(519 + unmatched)
    expect(raw.coefficientsFixed).toBe(false)
    expect(fixed.coefficientsFixed).toBe(true)
  })

  it('the TSV export itself raises no false alarm', async () => {
    const tsv = await parseUpload(file('ahsp_jobs.tsv'), { components: file('ahsp_components.tsv') })
    expect(tsv.jobs).toHaveLength(2_305)
    expect(tsv.warnings.filter((w) => 'suggested' in w)).toEqual([])
  })
})

const times = (a: string, b: string, k: number) => {
  const y = dec(b)
  return decCompare(dec(a), { units: y.units * 10n ** BigInt(k), scale: y.scale }) === 0
}

/**
 * Every coefficient of the workbook that is 10³ or 10⁴ times the TSV's value of the same component: same job,
 * same description (or, for a description garbled in the workbook, same category), by job code and position.
 */
function lostPoints(workbook: NormalisedImport): Map<string, string> {
  const ref = new Map(loadAhspJobs().map((j) => [j.code, j]))
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim()
  const out = new Map<string, string>()
  for (const job of workbook.jobs) {
    const pool = [...(ref.get(job.code)?.components ?? [])]
    const lost = (c: Component, p: Component) => dec(p.coefficient).units !== 0n && (times(c.coefficient, p.coefficient, 3) || times(c.coefficient, p.coefficient, 4))
    job.components.forEach((c, i) => {
      const same = (p: Component) => norm(p.description) === norm(c.description)
      let at = pool.findIndex((p) => same(p) && lost(c, p))
      if (at < 0) at = pool.findIndex(same)
      if (at < 0) at = pool.findIndex((p) => p.category === c.category && lost(c, p))
      if (at < 0) return
      const p = pool.splice(at, 1)[0]
      if (lost(c, p)) out.set(`${job.code}#${i}`, p.coefficient)
    })
  }
  return out
}

/** Importing over a store that holds the TSV (the shipped default): the previous import says what each number was. */
describe('importing the workbook over the TSV reference', () => {
  const importOver = async (upload: Upload, fixCoefficients = false) => {
    const store = createMemoryCatalog({ jobs: loadAhspJobs() })
    const report: ImportReport = await createImportCatalog({ store })({ file: upload, fixCoefficients })
    return { report, store }
  }

  it('flags every coefficient that is 10³ or 10⁴ times the TSV; with fixCoefficients they become the TSV value', async () => {
    const raw = await parseUpload(file('SNI_2025_AHSP.xlsx'), { deferCoefficientCheck: true })
    const broken = lostPoints(raw)
    expect(broken.size).toBeGreaterThanOrEqual(690)
    const rowOf = new Map<string, number>()
    let at = 0
    raw.jobs.forEach((job) => job.components.forEach((_, i) => rowOf.set(`${job.code}#${i}`, raw.checked[at++].row)))
    const { report } = await importOver(file('SNI_2025_AHSP.xlsx'))
    expect(report.warningCount).toBeLessThanOrEqual(1000) // all listed, none cut
    const flagged = new Map(report.warnings.filter((w): w is CoefficientWarning => 'suggested' in w).map((w) => [w.row, w]))
    const missed = [...broken].filter(([k]) => !flagged.has(rowOf.get(k)!)).map(([k, v]) => `${k} (TSV ${v})`)
    expect(missed).toEqual([])
    const brokenRows = new Set([...broken.keys()].map((k) => rowOf.get(k)))
    // Flagged beyond that pairing: a job listing the same item twice, paired the other way round (still exactly
    // 10³/10⁴ times a TSV coefficient of the job), or rows the TSV job does not have at all (the workbook lists
    // the rows of later jobs under one code, e.g. 6.3.3.x fans: Pekerja 2276) caught by the item median.
    const tsv = new Map(loadAhspJobs().map((j) => [j.code, j]))
    const jobOfRow = new Map(raw.checked.map((e) => [e.row, e.job!.split('\u0000')[1]]))
    const beyond = [...flagged.values()].filter((w) => !brokenRows.has(w.row))
    const unexplained = beyond.filter((w) => !tsv.get(jobOfRow.get(w.row)!)!.components.some((p) => decCompare(dec(p.coefficient), dec(w.suggested)) === 0))
    expect(unexplained.filter((w) => !w.message.includes('its usual'))).toEqual([])
    expect(unexplained).toHaveLength(18)
    expect({ broken: broken.size, flagged: flagged.size }).toEqual({ broken: 706, flagged: 725 })
    const { store } = await importOver(file('SNI_2025_AHSP.xlsx'), true)
    // m’ that the workbook turned into m3, put back where the held job says so (docs/catalog-import.md)
    expect((await store.getJob('1.1.1.1', 'AHSP 2025'))!.name).toMatch(/^Pembuatan 1 m’ pagar sementara/)
    expect(report.textRepaired.count - 2_314).toBe(258) // 2,314 mojibake cells, 258 job names, job and item units
    const wrong: string[] = []
    for (const [k, want] of broken) {
      const [code, i] = k.split('#')
      const got = (await store.getJob(code, 'AHSP 2025'))!.components[Number(i)].coefficient
      if (decCompare(dec(got), dec(want)) !== 0) wrong.push(`${k}: ${got} ≠ ${want}`)
    }
    expect(wrong).toEqual([])
  }, 60_000)

  it('re-importing the TSV over itself raises no false alarm', async () => {
    const { report } = await importOver(file('ahsp_jobs.tsv'), false).catch(() => ({ report: undefined }))
    expect(report).toBeUndefined() // the jobs file alone has no components: 422, see below
    const store = createMemoryCatalog({ jobs: loadAhspJobs() })
    const again = await createImportCatalog({ store })({ file: file('ahsp_jobs.tsv'), components: file('ahsp_components.tsv') })
    expect(again.warnings.filter((w) => 'suggested' in w)).toEqual([])
    expect(again.textRepaired.count).toBe(0)
  })
})
