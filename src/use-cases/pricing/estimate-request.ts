import { UnprocessableError, ValidationError } from '../../domain/errors.js'
import { parseDecimal } from '../import/decimal.js'

export const MAX_ESTIMATE_LINES = 5000

export interface EstimateRequest {
  list: string
  overheadPercent?: string | number
  taxPercent?: string | number
  rounding?: string | number
  lines: { code: string; source?: string; volume: string | number }[]
}

export interface NormalisedEstimate {
  list: string
  overheadPercent: string
  taxPercent: string
  rounding: string
  lines: { code: string; source?: string; volume: string }[]
  warnings: string[]
}

/** A percentage (0–100) as an exact decimal; 400 otherwise. Above `warnAbove` adds a warning. */
export function percent(name: string, value: string | number, warnings: string[], warnAbove?: number): string {
  const p = parseDecimal(String(value))
  if (p === undefined || p.startsWith('-') || Number(p) > 100) throw new ValidationError(`${name} must be a number from 0 to 100, got "${String(value).slice(0, 40)}"`)
  if (warnAbove !== undefined && Number(p) > warnAbove) warnings.push(`${name} ${p} is above ${warnAbove} %: check it is intended`)
  return p
}

/** Defaults applied, numbers read exactly; bad volumes are 422 naming their lines (1-based). */
export function normaliseEstimate(req: EstimateRequest, defaults: { overheadPercent: string; taxPercent: string }): NormalisedEstimate {
  const warnings: string[] = []
  const overheadPercent = percent('overheadPercent', req.overheadPercent ?? defaults.overheadPercent, warnings, 15)
  const taxPercent = percent('taxPercent', req.taxPercent ?? defaults.taxPercent, warnings)
  const rounding = parseDecimal(String(req.rounding ?? '1'))
  if (rounding === undefined || rounding.startsWith('-') || rounding === '0') throw new ValidationError('rounding must be a positive number (e.g. 1, 1000, 0.01)')
  if (req.lines.length > MAX_ESTIMATE_LINES) throw new ValidationError(`At most ${MAX_ESTIMATE_LINES} lines`)
  const errors: { line: number; message: string }[] = []
  const lines = req.lines.map((l, i) => {
    const volume = parseDecimal(String(l.volume))
    if (volume === undefined || volume.startsWith('-')) errors.push({ line: i + 1, message: `volume "${String(l.volume).slice(0, 40)}" is not a number ≥ 0` })
    const source = l.source?.trim() || undefined
    return { code: l.code.trim(), ...(source ? { source } : {}), volume: volume ?? '0' }
  })
  if (errors.length > 0) throw new UnprocessableError(`${errors.length} line(s) cannot be priced`, errors)
  return { list: req.list, overheadPercent, taxPercent, rounding, lines, warnings }
}
