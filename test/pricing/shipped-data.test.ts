/**
 * The shipped reference priced with the shipped example list, checked against a second, independent
 * calculation written here (BigInt fixed point, its own number reading), and random estimates whose
 * line totals must add up to the subtotal exactly.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form } from '../helpers/catalog-app.js'
import { AHSP_DATA_DIR, loadAhspJobs } from '../helpers/ahsp-data.js'
import { createPricingApp } from '../helpers/pricing-app.js'

const CSV_PATH = path.join(AHSP_DATA_DIR, '../prices/contoh-2025.csv')
const SCALE = 30

/** `"492.500,00"` → 492500 × 10^SCALE; `"0.0387"` (a coefficient) likewise. Independent of src/. */
function fixed(text: string, indonesian: boolean): bigint {
  const plain = indonesian ? text.replaceAll('.', '').replace(',', '.') : text
  const [i, f = ''] = plain.split('.')
  return BigInt(i + f.padEnd(SCALE, '0').slice(0, SCALE)) * (f.length > SCALE ? 0n : 1n)
}
const asFixed = (decimal: string) => fixed(decimal, false)

/** The rule under test: an item is priced by its code, else by the same description + unit (folded). */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[‘’′`]/g, "'").replace(/\s/g, '').toLowerCase()
const byDescription = new Map<string, bigint>()

function examplePrices(): Map<string, bigint> {
  const lines = readFileSync(CSV_PATH, 'utf8').trim().split('\n').slice(2)
  return new Map(lines.map((l) => {
    const m = /^([^,]*),(.*),([^,]*),"([\d.,]+)"$/.exec(l)!
    const description = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replaceAll('""', '"') : m[2]!
    const price = fixed(m[4]!, true)
    const key = `${fold(description)}|${fold(m[3]!)}`
    if (!byDescription.has(key)) byDescription.set(key, price)
    return [m[1]!, price]
  }))
}
const priceOf = (c: { itemCode: string; description: string; unit: string }) => prices.get(c.itemCode) ?? byDescription.get(`${fold(c.description)}|${fold(c.unit)}`)

let t: Awaited<ReturnType<typeof createPricingApp>>
const jobs = loadAhspJobs()
const prices = examplePrices()

/** F = D × 1.1 with D = Σ coefficient × price, at scale 2·SCALE (+1 for the tenth). */
function expectedUnitPrice(code: string): bigint {
  const job = jobs.find((j) => j.code === code)!
  let d = 0n
  for (const c of job.components) d += asFixed(c.coefficient) * (priceOf(c) ?? 0n)
  return d * 11n // × 1.1 at one more decimal place
}
const toScale = (decimal: string, scale: number) => {
  const [i, f = ''] = decimal.split('.')
  return BigInt(i + f.padEnd(scale, '0'))
}

beforeAll(async () => {
  t = await createPricingApp({ jobs })
  const res = await t.put('contoh-2025', form({ file: { name: 'contoh-2025.csv', data: readFileSync(CSV_PATH) } }))
  expect(res.status).toBe(200)
  const body = await res.json()
  expect(body.errors).toEqual([])
  expect(body.warnings).toEqual([])
  expect(body.items.created).toBe(prices.size)
  expect(body.matchedBy).toEqual({ itemCode: prices.size, description: 0 })
  expect(body.matches[0].row).toBe(3) // title row 1, header row 2
}, 60_000)
afterAll(() => t?.close())

describe('the shipped reference priced with the example list', () => {
  it('every job in one estimate (volume 1): unit prices equal the independent calculation', async () => {
    const res = await t.estimate({ list: 'contoh-2025', taxPercent: 0, lines: jobs.map((j) => ({ code: j.code, source: j.source, volume: 1 })) })
    expect(res.status).toBe(200)
    const e = await res.json()
    expect(e.lines).toHaveLength(jobs.length)
    for (const l of e.lines) expect(toScale(l.unitPrice, 2 * SCALE + 1), l.code).toBe(expectedUnitPrice(l.code))
    const complete = jobs.filter((j) => j.components.every((c) => priceOf(c) !== undefined)).length
    expect(complete / jobs.length).toBeGreaterThan(0.6)
  })

  it('job prices over HTTP match too, with missing items exactly the unpriced components', async () => {
    for (const job of jobs.filter((_, i) => i % 23 === 0)) {
      const p = await (await t.app.request(`/ahsp/jobs/${encodeURIComponent(job.code)}/price?list=contoh-2025`)).json()
      expect(toScale(p.unitPrice, 2 * SCALE + 1), job.code).toBe(expectedUnitPrice(job.code))
      expect(p.missing.map((m: { itemCode: string }) => m.itemCode)).toEqual(job.components.filter((c) => priceOf(c) === undefined).map((c) => c.itemCode))
    }
  })

  it('property: random estimates — Σ line totals = subtotal exactly, total = subtotal + tax, each total = unitPrice × volume', async () => {
    let seed = 12345
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let run = 0; run < 25; run++) {
      const lines = Array.from({ length: 1 + rnd(400) }, () => {
        const j = jobs[rnd(jobs.length)]!
        return { code: j.code, source: j.source, volume: `${rnd(10_000)}.${String(rnd(1000)).padStart(3, '0')}` }
      })
      const taxPercent = `${rnd(20)}.${rnd(10)}`
      const e = await (await t.estimate({ list: 'contoh-2025', overheadPercent: rnd(16), taxPercent, lines })).json()
      const S = 40
      let sum = 0n
      for (const l of e.lines) {
        expect(toScale(l.total, S)).toBe((toScale(l.unitPrice, S) * toScale(l.volume, S)) / 10n ** BigInt(S))
        sum += toScale(l.total, S)
      }
      expect(sum).toBe(toScale(e.subtotal, S))
      expect(toScale(e.total, S)).toBe(toScale(e.subtotal, S) + toScale(e.tax, S))
      expect(toScale(e.tax, S) * 100n).toBe(toScale(e.subtotal, S) * toScale(taxPercent, 1) / 10n)
    }
  }, 60_000)
})
