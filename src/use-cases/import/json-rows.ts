import { UnprocessableError } from '../../domain/errors.js'
import { canonicalColumn } from './headers.js'
import { DEFAULT_MAX_ROWS, tooManyRows, type Table, type TableRow } from './table.js'

/**
 * JSON uploads, turned into the same table the spreadsheet readers produce:
 * - an array of flat rows (`[{"kode_ahsp": "1.1", "nama_ahsp": "…", "koefisien": "0,5", …}]`), or
 * - an array of jobs with nested components (`[{"code", "name", "components": [{"category", …}]}]`,
 *   the shape `GET /ahsp/jobs/:code` returns), or either wrapped as `{"jobs": […]}` / `{"rows": […]}`.
 * Row numbers are 1-based positions in the array (a nested component reports its job's position).
 * Numbers arrive as JSON numbers (doubles): send coefficients as strings to keep more than 15 digits.
 */
export function readJsonRows(text: string, maxRows = DEFAULT_MAX_ROWS): Table {
  let data: unknown
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch {
    throw new UnprocessableError('The JSON body is not valid JSON')
  }
  if (isObject(data)) data = Array.isArray(data.jobs) ? data.jobs : data.rows
  if (!Array.isArray(data)) throw new UnprocessableError('Expected a JSON array of rows or of jobs with components')
  if (data.length > maxRows) tooManyRows(maxRows)
  const columns: string[] = []
  const indexOf = new Map<string, number>()
  const column = (name: string) => {
    let i = indexOf.get(name)
    if (i === undefined) {
      i = columns.length
      columns.push(name)
      indexOf.set(name, i)
    }
    return i
  }
  const rows: TableRow[] = []
  data.forEach((item, n) => {
    if (!isObject(item)) throw new UnprocessableError(`Item ${n + 1} of the JSON array is not an object`)
    const nested = Array.isArray(item.components)
    const jobCells: string[] = []
    for (const [key, value] of Object.entries(item)) {
      // A flat row's bare `satuan`/`unit` is the item's unit (as in the SNI workbook); a nested job's is the job's.
      const col = key === 'components' ? undefined : canonicalColumn(key, nested ? 'job' : 'component')
      if (col) jobCells[column(col)] = scalar(value)
    }
    if (!nested || (item.components as unknown[]).length === 0) {
      rows.push({ row: n + 1, cells: jobCells })
      return
    }
    for (const comp of item.components as unknown[]) {
      const cells = [...jobCells]
      if (isObject(comp)) {
        for (const [key, value] of Object.entries(comp)) {
          const col = canonicalColumn(key, 'component')
          if (col) cells[column(col)] = scalar(value)
        }
      }
      rows.push({ row: n + 1, cells })
    }
  })
  if (rows.length > maxRows) tooManyRows(maxRows)
  const fill = (cells: string[]) => Array.from({ length: columns.length }, (_, i) => cells[i] ?? '')
  return { rows: [{ row: 0, cells: columns }, ...rows.map((r) => ({ ...r, cells: fill(r.cells) }))] }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  return ''
}
