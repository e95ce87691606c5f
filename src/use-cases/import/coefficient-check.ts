import type { Component } from '../../ports/catalog.js'
import { dec, decCompare, decMul, decText, type Dec } from './decimal.js'

/** A coefficient implausible for its item: the value read and the likely intended one. */
export interface CoefficientWarning {
  row: number
  message: string
  value: string
  suggested: string
}

export interface CheckedComponent {
  row: number
  component: Component
  /** `jobKey(source, code)` of the job it belongs to: how the same job's held components are found. */
  job?: string
}

/** The components the store already holds, by `jobKey(source, code)` (what the previous import wrote). */
export type HeldComponents = ReadonlyMap<string, readonly Component[]>

/** Items are compared by what they are, not by code (codes differ between files of the same standard). */
export function itemKey(c: Pick<Component, 'category' | 'description' | 'unit'>): string {
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
  return `${c.category}|${norm(c.description)}|${norm(c.unit)}`
}

/** A value at least this many times its item's median is implausible (a lost decimal point gives 10³–10⁴). */
const FACTOR = 100n
/** The item needs this many coefficients before its median says anything. */
const MIN_SAMPLES = 3
/** A lost point leaves a whole number of at least four digits; `2.01` or `20.1` is a real (if rare) value. */
const MIN_LOST = 1000n

/**
 * Flags whole-number coefficients (≥ 1000, no decimals: what a lost point leaves) ≥ 100× the median of the same item's coefficients (the incoming file plus `known`,
 * e.g. what the store holds) and suggests the value with the decimal point moved back (see `likelyIntended`). All comparisons are exact (BigInt decimals, ratios by cross-multiplying).
 * With `fix`, the suggested value replaces the coefficient in place.
 */
export function checkCoefficients(
  entries: CheckedComponent[],
  options: {
    fix: boolean
    known?: Iterable<Pick<Component, 'category' | 'description' | 'unit' | 'coefficient'>>
    held?: HeldComponents
  },
): CoefficientWarning[] {
  const samples = new Map<string, Dec[]>()
  const add = (c: Pick<Component, 'category' | 'description' | 'unit' | 'coefficient'>) => {
    const key = itemKey(c)
    let list = samples.get(key)
    if (!list) samples.set(key, (list = []))
    list.push(dec(c.coefficient))
  }
  for (const e of entries) add(e.component)
  for (const c of options.known ?? []) add(c)
  const medians = new Map<string, Dec>()
  for (const [key, list] of samples) {
    if (list.length < MIN_SAMPLES) continue
    list.sort(decCompare)
    const m = list[(list.length - 1) >> 1] // lower median: never pulled up by the outliers it judges
    if (m.units > 0n) medians.set(key, m)
  }
  const warnings: CoefficientWarning[] = []
  for (const entry of entries) {
    const { row, component } = entry
    const before = heldMatch(entry, options.held)
    if (before) {
      const text = decText(before.value)
      warnings.push({
        row,
        message: `coefficient ${component.coefficient} of "${component.description.slice(0, 60)}" is exactly ${before.factor} × the ${text} this job holds; probably ${text} (lost decimal point)${options.fix ? ', corrected' : ''}`,
        value: component.coefficient,
        suggested: text,
      })
      if (options.fix) component.coefficient = text
      continue
    }
    const median = medians.get(itemKey(component))
    if (!median) continue
    const value = dec(component.coefficient)
    if (value.scale !== 0 || value.units < MIN_LOST) continue
    const limit = decMul(median, { units: FACTOR, scale: 0 })
    if (decCompare(value, limit) < 0) continue
    const suggested = likelyIntended(value)
    const text = decText(suggested)
    warnings.push({
      row,
      message: `coefficient ${component.coefficient} of "${component.description.slice(0, 60)}" is ≥ ${FACTOR}× its usual ${decText(median)}; probably ${text} (lost decimal point)${options.fix ? ', corrected' : ''}`,
      value: component.coefficient,
      suggested: text,
    })
    if (options.fix) component.coefficient = text
  }
  return warnings
}

const POWERS = [
  { factor: '10³', times: 1000n },
  { factor: '10⁴', times: 10000n },
]

/**
 * The same job's held component (same category, and same item by description, code or unit) whose
 * non-zero coefficient times 10³ or 10⁴ is exactly the value read: a previous import of the same job
 * saying what the number was before its decimal point was lost. Exact, so a job whose coefficients
 * really changed is flagged only when the change is exactly such a power.
 */
function heldMatch(entry: CheckedComponent, held: HeldComponents | undefined): { value: Dec; factor: string } | undefined {
  const before = entry.job === undefined ? undefined : held?.get(entry.job)
  if (!before) return undefined
  const c = entry.component
  const value = dec(c.coefficient)
  if (value.units === 0n) return undefined
  const key = itemKey(c)
  const unit = c.unit.trim().toLowerCase()
  const same = before.filter((h) => h.category === c.category && (itemKey(h) === key || (h.itemCode !== '' && h.itemCode === c.itemCode)))
  // Only when the job holds no component of the same item (its description was garbled, e.g. mojibake): the same unit.
  const candidates = same.length > 0 ? same : before.filter((h) => h.category === c.category && unit !== '' && h.unit.trim().toLowerCase() === unit)
  for (const h of candidates) {
    const old = dec(h.coefficient)
    if (old.units === 0n) continue
    for (const p of POWERS) {
      if (decCompare(value, { units: old.units * p.times, scale: old.scale }) === 0) return { value: old, factor: p.factor }
    }
  }
  return undefined
}

/**
 * `value / 10³`: the usual lost point in the SNI 2025 workbook (462 of the 519 flagged by the median; the rest are
 * `/ 10⁴`). Choosing the shift nearest the median was measured worse (116 right): labour coefficients
 * spread over two orders of magnitude, and `/ 10⁴` "when `/ 10³` is still implausible" got 450.
 */
function likelyIntended(value: Dec): Dec {
  return { units: value.units, scale: value.scale + 3 }
}
