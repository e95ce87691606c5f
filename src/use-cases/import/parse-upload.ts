import { repairTable } from './mojibake.js'
import { UnprocessableError } from '../../domain/errors.js'
import { runSliced, runSync, type Steps } from '../shared/slices.js'
import { delimitedSteps, sniffDelimiter } from './delimited.js'
import { COMPONENT_FIELDS } from './headers.js'
import { joinJobsAndComponents } from './join.js'
import { readJsonRows } from './json-rows.js'
import { DEFAULT_SOURCE, findHeader, normaliseRows, type NormalisedImport } from './rows-to-jobs.js'
import type { Table } from './table.js'
import { xlsxSteps, type XlsxLimits } from './xlsx.js'

export type UploadFormat = 'xlsx' | 'csv' | 'tsv' | 'json'

/** One uploaded file (or request body). */
export interface Upload {
  bytes: Uint8Array
  filename?: string
  contentType?: string
}

export interface ParseOptions {
  /** The source of EVERY row, whatever the file's source column says (import "as a new source"). */
  source?: string
  /** The source of rows without one (no `sumber`/`sumber_ahsp`/`source` column, or an empty cell). Default `AHSP 2025`. */
  defaultSource?: string
  /** The components file of the two-file export, when `main` is its jobs file. */
  components?: Upload
  limits?: XlsxLimits
  /** Move back the decimal point of coefficients flagged as implausible (default: only warn). */
  fixCoefficients?: boolean
  /** Return the components unchecked (`checked`), for a caller that checks them itself (see `NormaliseOptions`). */
  deferCoefficientCheck?: boolean
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/** By file extension, then content type, then content (zip magic → xlsx, `[`/`{` → JSON, else CSV/TSV). */
export function detectFormat(upload: Upload): UploadFormat {
  const ext = /\.([a-z]+)$/i.exec(upload.filename ?? '')?.[1]?.toLowerCase()
  if (ext === 'xlsx' || ext === 'csv' || ext === 'tsv' || ext === 'json') return ext
  if (ext === 'tab' || ext === 'txt') return 'tsv'
  const type = (upload.contentType ?? '').toLowerCase()
  if (type.includes('spreadsheetml')) return 'xlsx'
  if (type.includes('json')) return 'json'
  if (type.includes('tab-separated')) return 'tsv'
  if (type.includes('csv')) return 'csv'
  if (ZIP_MAGIC.every((b, i) => upload.bytes[i] === b)) return 'xlsx'
  const head = decodeText(upload.bytes.subarray(0, 64)).replace(/^\ufeff/, '').trimStart()
  return head.startsWith('[') || head.startsWith('{') ? 'json' : 'csv'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** UTF-8, or Windows-1252 for files saved by older spreadsheet programs. */
function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch {
    try {
      return new TextDecoder('windows-1252').decode(bytes)
    } catch {
      throw new UnprocessableError('The file is not UTF-8 text')
    }
  }
}

/**
 * The rows of one file, whatever its format, read in slices that hand the event loop back (an upload of
 * 10 MB must not stall other requests). Throws `UnprocessableError` when it cannot be read or is over
 * `limits` (rows, uncompressed bytes).
 */
export function readTable(upload: Upload, limits?: XlsxLimits): Promise<Table> {
  return runSliced(tableSteps(upload, limits))
}

function* tableSteps(upload: Upload, limits: XlsxLimits = {}): Steps<Table> {
  return wellFormedCells(yield* anyTableSteps(upload, limits))
}

function* anyTableSteps(upload: Upload, limits: XlsxLimits): Steps<Table> {
  const format = detectFormat(upload)
  if (format === 'xlsx') return yield* xlsxSteps(upload.bytes, limits)
  const text = decodeText(upload.bytes)
  yield
  if (text.includes('\u0000')) throw new UnprocessableError('The file is binary, not a CSV, TSV or JSON table')
  if (format === 'json') return readJsonRows(text, limits.maxRows)
  return yield* delimitedSteps(text, format === 'tsv' ? '\t' : sniffDelimiter(text, upload.filename), limits.maxRows)
}

/** ES2024 string methods (Node ≥ 20, Bun, Deno); not in this project's TypeScript lib yet. */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string }

/**
 * A lone surrogate (from a JSON `"\ud800"` escape or an XML `&#xD800;`) becomes U+FFFD: PostgreSQL would
 * store that replacement anyway, and a key that changes on the way in breaks the import's bookkeeping.
 */
export function wellFormed(text: string): string {
  return (text as Es2024String).isWellFormed() ? text : (text as Es2024String).toWellFormed()
}

function wellFormedCells(table: Table): Table {
  for (const row of table.rows) {
    for (let i = 0; i < row.cells.length; i++) row.cells[i] = wellFormed(row.cells[i]!)
  }
  return table
}

/**
 * An upload → jobs with components, row errors and warnings. One file in the flat SNI layout (xlsx, csv,
 * tsv, json), or the two-file export (jobs + components, either order). A file without component columns
 * is refused (422): importing it would replace every job's components with none.
 * Async since issue 10 (the readers run in slices); `normaliseRows` runs after, on at most `maxRows` rows.
 */
export async function parseUpload(main: Upload, options: ParseOptions = {}): Promise<NormalisedImport> {
  const table = await readTable(main, options.limits)
  const second = options.components ? await readTable(options.components, options.limits) : undefined
  return normalise(table, second, options)
}

/** `parseUpload` at once, holding the event loop: only for trusted input read at start (the shipped reference). */
export function parseUploadSync(main: Upload, options: ParseOptions = {}): NormalisedImport {
  const table = runSync(tableSteps(main, options.limits))
  const second = options.components ? runSync(tableSteps(options.components, options.limits)) : undefined
  return normalise(table, second, options)
}

function normalise(first: Table, second: Table | undefined, options: ParseOptions): NormalisedImport {
  const textRepairs = [...repairTable(first), ...(second ? repairTable(second) : [])]
  const defaultSource = wellFormed(options.defaultSource?.trim() || DEFAULT_SOURCE)
  const source = options.source?.trim() ? wellFormed(options.source.trim()) : undefined
  let table = first
  if (second) {
    const mainIsComponents = findHeader(table).columns.jobRef !== undefined
    table = mainIsComponents ? joinJobsAndComponents(second, table) : joinJobsAndComponents(table, second)
  } else {
    const { columns } = findHeader(table)
    if (columns.jobRef !== undefined || !COMPONENT_FIELDS.some((f) => columns[f] !== undefined)) {
      throw new UnprocessableError(
        'No component columns (uraian_item, koefisien). For the two-file export, send the jobs file and the components file together',
      )
    }
  }
  const parsed = normaliseRows(table, {
    defaultSource,
    source,
    fixCoefficients: options.fixCoefficients,
    deferCoefficientCheck: options.deferCoefficientCheck,
  })
  return { ...parsed, textRepairs }
}
