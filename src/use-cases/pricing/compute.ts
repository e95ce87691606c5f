import type { Category, Component, Job, JobWithComponents } from '../../ports/catalog.js'
import { dec, decAdd, decMul, decPercent, decText, roundToMultiple, ZERO, type Dec } from '../import/decimal.js'
import type { PriceIndex } from './item-key.js'

/**
 * The SNI unit-price analysis of one job, exact end to end (BigInt decimals, no float, no rounding):
 * amount = coefficient × price; subtotals per category; D = Σ subtotals; E = D × overhead% / 100;
 * F = D + E. A component without a price is a line with `price`/`amount` null, listed in `missing`,
 * counted as 0.
 */
export interface PricedLine extends Component {
  price: string | null
  amount: string | null
}

export interface MissingItem {
  itemCode: string
  description: string
  unit: string
}

export interface JobPrice {
  job: Job
  list: string
  overheadPercent: string
  lines: PricedLine[]
  subtotals: Record<Category, string>
  direct: string
  overhead: string
  unitPrice: string
  missing: MissingItem[]
  warnings: string[]
}

/** The unit price F of a job as an exact `Dec`, with its missing items (the estimate's fast path). */
export function unitPriceOf(job: JobWithComponents, prices: PriceIndex, overheadPercent: Dec): { unitPrice: Dec; missing: MissingItem[] } {
  let direct = ZERO
  const missing: MissingItem[] = []
  for (const c of job.components) {
    const price = prices.lookup(c.itemCode, c.description, c.unit)
    if (price === undefined) missing.push({ itemCode: c.itemCode, description: c.description, unit: c.unit })
    else direct = decAdd(direct, decMul(dec(c.coefficient), dec(price)))
  }
  return { unitPrice: decAdd(direct, decPercent(decMul(direct, overheadPercent))), missing }
}

export function priceJob(job: JobWithComponents, list: string, prices: PriceIndex, overheadPercent: string, warnings: string[] = []): JobPrice {
  const subtotals: Record<Category, Dec> = { TK: ZERO, BHN: ZERO, ALT: ZERO, LAIN: ZERO }
  const missing: MissingItem[] = []
  const lines = job.components.map((c): PricedLine => {
    const price = prices.lookup(c.itemCode, c.description, c.unit)
    if (price === undefined) {
      missing.push({ itemCode: c.itemCode, description: c.description, unit: c.unit })
      return { ...c, price: null, amount: null }
    }
    const amount = decMul(dec(c.coefficient), dec(price))
    subtotals[c.category] = decAdd(subtotals[c.category], amount)
    return { ...c, price, amount: decText(amount) }
  })
  const direct = decAdd(decAdd(subtotals.TK, subtotals.BHN), decAdd(subtotals.ALT, subtotals.LAIN))
  const overhead = decPercent(decMul(direct, dec(overheadPercent)))
  const { components: _, ...header } = job
  return {
    job: header,
    list,
    overheadPercent,
    lines,
    subtotals: { TK: decText(subtotals.TK), BHN: decText(subtotals.BHN), ALT: decText(subtotals.ALT), LAIN: decText(subtotals.LAIN) },
    direct: decText(direct),
    overhead: decText(overhead),
    unitPrice: decText(decAdd(direct, overhead)),
    missing,
    warnings,
  }
}

export interface EstimateLine {
  code: string
  source: string
  name: string
  unit: string
  volume: string
  unitPrice: string
  total: string
}

export interface Estimate {
  list: string
  overheadPercent: string
  taxPercent: string
  rounding: string
  lines: EstimateLine[]
  subtotal: string
  tax: string
  total: string
  totalRounded: string
  missing: (MissingItem & { codes: string[] })[]
  warnings: string[]
}

export interface PricedEstimateLine {
  job: Job
  volume: string
  unitPrice: Dec
  missing: MissingItem[]
}

/** Totals of priced lines: line total = unitPrice × volume; subtotal = Σ; tax; total; rounded total. */
export function estimateOf(
  list: string,
  lines: readonly PricedEstimateLine[],
  percents: { overheadPercent: string; taxPercent: string; rounding: string },
  warnings: string[] = [],
): Estimate {
  let subtotal = ZERO
  const missing = new Map<string, MissingItem & { codes: string[] }>()
  const out = lines.map((l): EstimateLine => {
    const total = decMul(l.unitPrice, dec(l.volume))
    subtotal = decAdd(subtotal, total)
    for (const m of l.missing) {
      const k = `${m.itemCode}\u0000${m.description}\u0000${m.unit}`
      const entry = missing.get(k) ?? { ...m, codes: [] }
      if (!entry.codes.includes(l.job.code)) entry.codes.push(l.job.code)
      missing.set(k, entry)
    }
    return { code: l.job.code, source: l.job.source, name: l.job.name, unit: l.job.unit, volume: l.volume, unitPrice: decText(l.unitPrice), total: decText(total) }
  })
  const tax = decPercent(decMul(subtotal, dec(percents.taxPercent)))
  const total = decAdd(subtotal, tax)
  return {
    list,
    ...percents,
    lines: out,
    subtotal: decText(subtotal),
    tax: decText(tax),
    total: decText(total),
    totalRounded: decText(roundToMultiple(total, dec(percents.rounding))),
    missing: [...missing.values()],
    warnings,
  }
}
