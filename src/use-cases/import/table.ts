import { UnprocessableError } from '../../domain/errors.js'

/** A parsed upload before interpretation: rows of trimmed-or-raw strings with their 1-based row number. */
export interface TableRow {
  /** 1-based row (line) number in the file, the header being row 1 when it is the first line. */
  row: number
  cells: string[]
  /** Which file the row came from, when an import joins two files; prefixes its messages. */
  file?: string
  /** Columns whose cell was a spreadsheet number (exact, no separator to interpret), when known. */
  numeric?: number[]
}

export interface Table {
  /** Sheet name, for workbooks. */
  sheet?: string
  rows: TableRow[]
}

/** Data rows a table may have (any format), 12× the SNI 2025 reference; more is a 422 as soon as a reader gets there. */
export const DEFAULT_MAX_ROWS = 200_000

/** The row cap's error, shared by every reader. */
export function tooManyRows(maxRows: number): never {
  throw new UnprocessableError(`The file has more than ${maxRows.toLocaleString('en')} rows`)
}
