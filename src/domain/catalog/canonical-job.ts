/**
 * The one shape a job is stored in, whatever the adapter: trimmed fields, no NUL characters (PostgreSQL
 * text cannot hold them), coefficients as canonical decimal strings (`0.038700` → `0.0387`, the form
 * PostgreSQL `numeric` gives back), and one job per (source, code), the last one winning.
 */
import { ValidationError } from '../errors.js'
import { CATEGORIES, type Component, type JobWithComponents } from '../../ports/catalog.js'
import { jobKey } from './job-key.js'

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/
const MAX_DIGITS = 60

/** Trimmed, NUL-free text; also how lookups (`getJob`, the source filter) clean what they are given. */
export const clean = (s: unknown): string => (typeof s === 'string' ? s.replaceAll('\u0000', '').trim() : '')

/** `"0.038700"` → `"0.0387"`, `"-0.0"` → `"0"`; undefined when `s` is not a plain decimal. */
export function canonicalDecimal(s: string): string | undefined {
  const m = DECIMAL.exec(s.trim())
  if (!m || (m[2] === '' && (m[3] ?? '') === '') || s.length > MAX_DIGITS) return undefined
  const int = m[2].replace(/^0+/, '') || '0'
  const frac = (m[3] ?? '').replace(/0+$/, '')
  const body = frac ? `${int}.${frac}` : int
  return body === '0' ? '0' : m[1] === '-' ? `-${body}` : body
}

function canonicalComponent(c: Component, where: string): Component {
  if (!CATEGORIES.includes(c.category)) throw new ValidationError(`${where}: unknown category "${String(c.category)}"`)
  const coefficient = canonicalDecimal(String(c.coefficient ?? ''))
  if (coefficient === undefined) {
    throw new ValidationError(`${where}: coefficient "${String(c.coefficient).slice(0, 40)}" is not a decimal number`)
  }
  return {
    category: c.category,
    itemCode: clean(c.itemCode),
    description: clean(c.description),
    unit: clean(c.unit),
    coefficient,
  }
}

export function canonicalJob(job: JobWithComponents): JobWithComponents {
  const source = clean(job.source)
  const code = clean(job.code)
  if (!source || !code) throw new ValidationError('every job needs a source and a code')
  const where = `job ${code} (${source})`
  return {
    source,
    code,
    name: clean(job.name),
    unit: clean(job.unit),
    classification: clean(job.classification),
    subClassification: clean(job.subClassification),
    components: (job.components ?? []).map((c) => canonicalComponent(c, where)),
  }
}

/** Canonical jobs, one per (source, code): a later duplicate replaces an earlier one in place. */
export function canonicalJobs(jobs: readonly JobWithComponents[]): JobWithComponents[] {
  const byKey = new Map<string, JobWithComponents>()
  for (const j of jobs) {
    const c = canonicalJob(j)
    byKey.set(jobKey(c.source, c.code), c)
  }
  return [...byKey.values()]
}

/** True when two canonical jobs hold the same fields and the same components in the same order. */
export function sameJob(a: JobWithComponents, b: JobWithComponents): boolean {
  return jobFingerprint(a) === jobFingerprint(b)
}

export function jobFingerprint(j: JobWithComponents): string {
  return JSON.stringify([
    j.name,
    j.unit,
    j.classification,
    j.subClassification,
    j.components.map((c) => [c.category, c.itemCode, c.description, c.unit, c.coefficient]),
  ])
}
