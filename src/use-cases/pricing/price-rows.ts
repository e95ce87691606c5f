import { UnprocessableError } from '../../domain/errors.js'
import { headerKey } from '../import/headers.js'
import type { RowIssue } from '../import/rows-to-jobs.js'
import type { Table } from '../import/table.js'

/** One price as the caller named it, before matching: `row` is the 1-based spreadsheet row or JSON position. */
export interface PriceRow {
  row: number
  itemCode: string
  description: string
  unit: string
  /** The price text as written; `numeric` when it came from a spreadsheet number or a JSON number. */
  price: string | number
  numeric: boolean
}

type PriceField = 'itemCode' | 'description' | 'unit' | 'price'
const ALIASES: Record<PriceField, string[]> = {
  itemCode: ['kode_item', 'itemcode', 'item_code', 'kode', 'code', 'kode_item_lookup'],
  description: ['uraian', 'description', 'uraian_item', 'nama_item', 'item', 'nama', 'item_name'],
  unit: ['satuan', 'unit', 'satuan_item', 'item_unit'],
  price: ['harga', 'price', 'harga_satuan', 'harga_dasar', 'harga_item', 'unit_price', 'unitprice'],
}
const FIELD = new Map<string, PriceField>()
for (const [f, names] of Object.entries(ALIASES)) for (const n of names) FIELD.set(n, f as PriceField)

/** The rows of an uploaded price table; the header is the first of the first 20 rows naming a price column. */
export function priceRowsOfTable(table: Table): { rows: PriceRow[]; errors: RowIssue[] } {
  const at = table.rows.slice(0, 20).findIndex((r) => r.cells.some((c) => FIELD.get(headerKey(c)) === 'price'))
  if (at < 0) throw new UnprocessableError('No price column (harga or price) in the first 20 rows')
  const columns: Partial<Record<PriceField, number>> = {}
  table.rows[at].cells.forEach((c, i) => {
    const f = FIELD.get(headerKey(c))
    if (f && columns[f] === undefined) columns[f] = i
  })
  const rows: PriceRow[] = []
  const errors: RowIssue[] = []
  for (const r of table.rows.slice(at + 1)) {
    const cell = (f: PriceField) => (columns[f] === undefined ? '' : (r.cells[columns[f]!] ?? '').trim())
    if (r.cells.every((c) => c.trim() === '')) continue
    const row = { row: r.row, itemCode: cell('itemCode'), description: cell('description'), unit: cell('unit'), price: cell('price') }
    rows.push({ ...row, numeric: columns.price !== undefined && (r.numeric?.includes(columns.price) ?? false) })
  }
  return { rows, errors }
}

/** `{"items":[{itemCode?, description?, unit?, price}]}`; `row` = 1-based position in `items`. */
export function priceRowsOfJson(body: unknown): { rows: PriceRow[]; errors: RowIssue[] } {
  const items = (body as { items?: unknown })?.items
  if (!Array.isArray(items)) throw new UnprocessableError('Expected {"items": [{"itemCode"?, "description"?, "unit"?, "price"}]}')
  const rows: PriceRow[] = []
  const errors: RowIssue[] = []
  items.forEach((raw, i) => {
    const row = i + 1
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return errors.push({ row, message: 'not an object' })
    const o = raw as Record<string, unknown>
    const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : '')
    const price = o.price
    if (typeof price !== 'string' && typeof price !== 'number') return errors.push({ row, message: 'price must be a string or a number' })
    rows.push({ row, itemCode: text('itemCode'), description: text('description'), unit: text('unit'), price, numeric: typeof price === 'number' })
  })
  return { rows, errors }
}
