import { UnprocessableError } from '../../domain/errors.js'
import { unitFromName } from '../../domain/catalog/unit-from-name.js'
import type { Component, JobWithComponents } from '../../ports/catalog.js'
import { normaliseCategory } from './category.js'
import { parseDecimal } from './decimal.js'
import { COMPONENT_FIELDS, mapHeader, type ColumnMap, type Field } from './headers.js'
import type { Table, TableRow } from './table.js'
import { jobKey } from '../../domain/catalog/job-key.js'
import { checkCoefficients, type CheckedComponent } from './coefficient-check.js'
import type { TextRepair } from './mojibake.js'

/** A row that was not imported (or imported with a guess, for warnings), by its 1-based row number. */
export interface RowIssue {
  row: number
  message: string
}

export interface NormalisedImport {
  jobs: JobWithComponents[]
  errors: RowIssue[]
  warnings: RowIssue[]
  /** Data rows read (header excluded). */
  rows: number
  /** Whether implausible coefficients were replaced by their suggested value. */
  coefficientsFixed: boolean
  /** Every component with its row and job: what the coefficient check reads (again, when deferred). */
  checked: CheckedComponent[]
  /** Cells whose mojibake was repaired (set by `parseUpload`, which reads the file). */
  textRepairs?: TextRepair[]
}

export interface NormaliseOptions {
  /** Source for rows without a source column value. */
  defaultSource: string
  /** Source for every row, overriding the source column. */
  source?: string
  /** Replace coefficients that lost their decimal point by the suggested value (off: only warn). */
  fixCoefficients?: boolean
  /** Leave the coefficient check to the caller (the import use case, which also compares with the store). */
  deferCoefficientCheck?: boolean
}

/** The default source when neither the rows nor the request name one: the edition this service ships. */
export const DEFAULT_SOURCE = 'AHSP 2025'

const MAX = { code: 64, source: 100, text: 2000 }
/** A header is searched for in the first rows, so a title line above the table does not stop an import. */
const HEADER_SEARCH_ROWS = 20

/** Values are kept as published (runs of spaces in names included), only trimmed; codes lose all spaces. */
const clean = (s: string | undefined): string => (s ?? '').trim()

export function findHeader(table: Table): { index: number; columns: ColumnMap } {
  const limit = Math.min(table.rows.length, HEADER_SEARCH_ROWS)
  for (let i = 0; i < limit; i++) {
    const columns = mapHeader(table.rows[i].cells)
    if (columns.code !== undefined || columns.jobRef !== undefined) return { index: i, columns }
  }
  throw new UnprocessableError(
    'No recognisable header row: expected a job code column (kode_ahsp, kode or code) in the first rows',
  )
}

interface Draft {
  job: JobWithComponents
  firstRow: number
  /** Set when one of its rows could not be read: the whole job is then skipped, never imported partially. */
  failed: boolean
  rows: number[]
}

/**
 * Interprets rows under their header: one row per component with the job's fields repeated (the flat SNI
 * layout), grouped into jobs by (source, code) in file order. Every unreadable row is reported with its
 * row number; a job with an unreadable component is skipped as a whole so an import never replaces a
 * good job with a partial one. Throws `UnprocessableError` when there is no header at all.
 */
export function normaliseRows(table: Table, options: NormaliseOptions): NormalisedImport {
  const { index, columns } = findHeader(table)
  const errors: RowIssue[] = []
  const warnings: RowIssue[] = []
  const drafts = new Map<string, Draft>()
  const get = (row: TableRow, field: Field) => {
    const i = columns[field]
    return i === undefined ? '' : clean(row.cells[i])
  }
  const dataRows = table.rows.slice(index + 1)
  for (const row of dataRows) {
    if (row.cells.every((c) => c.trim() === '')) continue
    const at = row.file ? `${row.file}: ` : ''
    const code = get(row, 'code').replace(/\s+/g, '')
    if (!code) {
      errors.push({ row: row.row, message: `${at}missing job code (kode_ahsp)` })
      continue
    }
    const source = options.source ?? (get(row, 'source') || options.defaultSource)
    if (code.length > MAX.code || source.length > MAX.source) {
      errors.push({ row: row.row, message: `${at}job code or source too long (max ${MAX.code} / ${MAX.source} characters)` })
      continue
    }
    const key = jobKey(source, code)
    let draft = drafts.get(key)
    if (!draft) {
      const job = {
        source,
        code,
        name: get(row, 'name'),
        unit: get(row, 'jobUnit') || unitFromName(get(row, 'name')),
        classification: get(row, 'classification'),
        subClassification: get(row, 'subClassification'),
        components: [],
      }
      draft = { job, firstRow: row.row, failed: false, rows: [] }
      drafts.set(key, draft)
    } else if (!draft.job.name) {
      draft.job.name = get(row, 'name')
      draft.job.unit ||= unitFromName(draft.job.name)
    }
    if (!COMPONENT_FIELDS.some((f) => get(row, f) !== '')) continue // a job-only row
    const component = readComponent(row, get, warnings)
    if (typeof component === 'string') {
      errors.push({ row: row.row, message: `${at}${component}; job ${code} (${source}) not imported` })
      draft.failed = true
    } else {
      draft.job.components.push(component)
      draft.rows.push(row.row)
    }
  }
  const jobs: JobWithComponents[] = []
  const checked: CheckedComponent[] = []
  for (const draft of drafts.values()) {
    if (draft.failed) continue
    draft.job.components.forEach((component, i) => checked.push({ row: draft.rows[i], component, job: jobKey(draft.job.source, draft.job.code) }))
    if (!draft.job.name) errors.push({ row: draft.firstRow, message: `missing job name (nama_ahsp) for job ${draft.job.code}` })
    else if (draft.job.name.length > MAX.text) errors.push({ row: draft.firstRow, message: 'job name too long' })
    else jobs.push(draft.job)
  }
  const fix = options.fixCoefficients === true
  if (!options.deferCoefficientCheck) warnings.push(...checkCoefficients(checked, { fix }))
  errors.sort((a, b) => a.row - b.row)
  warnings.sort((a, b) => a.row - b.row)
  return { jobs, errors, warnings, rows: dataRows.length, coefficientsFixed: fix, checked }
}

/** The component of a row, or the reason it cannot be read. */
function readComponent(
  row: TableRow,
  get: (row: TableRow, field: Field) => string,
  warnings: RowIssue[],
): Component | string {
  const description = get(row, 'description')
  if (!description) return 'missing item description (uraian_item)'
  const rawCoefficient = get(row, 'coefficient')
  if (!rawCoefficient) return 'missing coefficient (koefisien)'
  const coefficient = parseDecimal(rawCoefficient)
  if (coefficient === undefined) return `unreadable coefficient "${rawCoefficient.slice(0, 40)}"`
  if (coefficient.startsWith('-')) return `negative coefficient ${coefficient}`
  const itemCode = get(row, 'itemCode')
  const unit = get(row, 'itemUnit')
  if (description.length > MAX.text || itemCode.length > MAX.code || unit.length > MAX.code) return 'item field too long'
  const rawCategory = get(row, 'category')
  const { category, known } = normaliseCategory(rawCategory)
  if (!known) {
    warnings.push({
      row: row.row,
      message: rawCategory ? `unknown category "${rawCategory.slice(0, 40)}" imported as LAIN` : 'no category; imported as LAIN',
    })
  }
  return { category, itemCode, description, unit, coefficient }
}
