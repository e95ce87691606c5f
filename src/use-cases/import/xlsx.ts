import { UnprocessableError } from '../../domain/errors.js'
import { runSliced, runSync, type Steps } from '../shared/slices.js'
import { spreadsheetNumber } from './decimal.js'
import { DEFAULT_MAX_ROWS, tooManyRows, type Table, type TableRow } from './table.js'
import { parseXml, scanXml } from './xml.js'
import { inflateEntry, readZipDirectory, type ZipEntry } from './zip.js'

/**
 * Reads the first worksheet of an `.xlsx` (Office Open XML) workbook into a table of strings.
 *
 * Why not a spreadsheet library: SheetJS `xlsx` on npm is frozen at 0.18.5 (newer builds are only on the
 * vendor's CDN) with published prototype-pollution and ReDoS advisories; exceljs pulls in a large
 * dependency tree (archiver, unzipper, saxes, …) for features an import never uses. An import needs four
 * small XML parts, so this reads them with `fflate` (pure JS, zero dependencies, runs on Node and Bun)
 * and the strict reader in `xml.ts` (no DTD, no entity expansion).
 *
 * Zip bombs: the sizes a zip declares are not trusted. Each part is inflated as a stream with a running
 * count of what it really produces, stopping at `maxUncompressedBytes` (`zip.ts`); the sheet stops at
 * `maxRows`. The work is a generator of steps, run in slices that hand the event loop back (`readXlsx`).
 */
export interface XlsxLimits {
  /** Sum of the uncompressed sizes of the parts read, as inflated (not as declared). Default 64 MB. */
  maxUncompressedBytes?: number
  /** Columns kept per row (cells further right are ignored). Default 256. */
  maxColumns?: number
  /** Data rows of a table (any format); more is a 422 as soon as the reader gets there. Default 200,000. */
  maxRows?: number
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024

const MB = 1024 * 1024
const utf8 = new TextDecoder('utf-8', { fatal: true })

function bad(message: string): never {
  throw new UnprocessableError(`Not a readable .xlsx workbook: ${message}`)
}

/** UTF-8 text of a part, decoded in slices. */
function* decode(bytes: Uint8Array, part: string): Steps<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const parts: string[] = []
  const SLICE = 1024 * 1024
  try {
    for (let at = 0; at < bytes.length; at += SLICE) {
      parts.push(decoder.decode(bytes.subarray(at, at + SLICE), { stream: at + SLICE < bytes.length }))
      yield
    }
    if (bytes.length === 0) parts.push(decoder.decode())
  } catch {
    bad(`${part} is not UTF-8`)
  }
  return parts.join('')
}

/** `xl/worksheets/sheet1.xml` from a relationship target relative to `xl/` (or absolute from the root). */
function resolveTarget(target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`
  const parts: string[] = []
  for (const p of path.split('/')) {
    if (p === '..') parts.pop()
    else if (p !== '.' && p !== '') parts.push(p)
  }
  return parts.join('/')
}

function firstSheetPath(workbookXml: string, relsXml: string): { path: string; name: string } {
  let sheet: { id: string; name: string } | undefined
  parseXml(workbookXml, {
    open(name, attrs) {
      if (name === 'sheet' && !sheet) sheet = { id: attrs.id ?? '', name: attrs.name ?? '' }
    },
  })
  if (!sheet) bad('the workbook has no sheet')
  let target: string | undefined
  parseXml(relsXml, {
    open(name, attrs) {
      if (name === 'Relationship' && attrs.Id === sheet!.id) target = attrs.Target
    },
  })
  if (!target) bad('the first sheet has no part')
  return { path: resolveTarget(target), name: sheet.name }
}

function sharedStringsPath(relsXml: string): string | undefined {
  let target: string | undefined
  parseXml(relsXml, {
    open(name, attrs) {
      if (name === 'Relationship' && (attrs.Type ?? '').endsWith('/sharedStrings')) target = attrs.Target
    },
  })
  return target === undefined ? undefined : resolveTarget(target)
}

/** Shared strings: each `<si>` is plain `<t>` or rich-text runs `<r><t>`; phonetic `<rPh>` runs are skipped. */
export function readSharedStrings(xml: string): string[] {
  return runSync(sharedStringSteps(xml))
}

function* sharedStringSteps(xml: string): Steps<string[]> {
  const out: string[] = []
  let current: string[] | undefined
  let inT = false
  let phonetic = 0
  yield* scanXml(xml, {
    open(name, _attrs, selfClosing) {
      if (name === 'si') current = []
      else if (name === 'rPh') phonetic += selfClosing ? 0 : 1
      else if (name === 't' && !selfClosing) inT = true
    },
    close(name) {
      if (name === 'si') {
        out.push(current ? current.join('') : '')
        current = undefined
      } else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1)
      else if (name === 't') inT = false
    },
    text(t) {
      if (inT && current && phonetic === 0) current.push(t)
    },
  })
  return out
}

/** `A` → 0, `Z` → 25, `AA` → 26, from a reference like `AA12`; -1 when there is none. */
export function columnIndex(ref: string): number {
  let col = 0
  let i = 0
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 32
    if (c < 97 || c > 122) break
    col = col * 26 + (c - 96)
    if (col > 16384) return -1
  }
  return i === 0 ? -1 : col - 1
}

/** Cells of the sheet, placed by their `r` reference so skipped (empty) cells leave empty strings. */
export function readWorksheet(xml: string, shared: readonly string[], maxColumns = 256, maxRows = DEFAULT_MAX_ROWS): TableRow[] {
  return runSync(worksheetSteps(xml, shared, maxColumns, maxRows))
}

function* worksheetSteps(xml: string, shared: readonly string[], maxColumns: number, maxRows: number): Steps<TableRow[]> {
  const rows: TableRow[] = []
  let row: TableRow | undefined
  let col = -1
  let type = 'n'
  let value: string[] | undefined
  let inValue = false
  yield* scanXml(xml, {
    open(name, attrs, selfClosing) {
      if (name === 'row') {
        const r = Number(attrs.r)
        const number = Number.isInteger(r) && r > 0 ? r : (rows.at(-1)?.row ?? 0) + 1
        row = { row: number, cells: [] }
        col = -1
        if (selfClosing) row = undefined
      } else if (name === 'c' && row) {
        const ref = attrs.r === undefined ? -1 : columnIndex(attrs.r)
        col = ref >= 0 ? ref : col + 1
        type = attrs.t ?? 'n'
        value = selfClosing ? undefined : []
      } else if ((name === 'v' || name === 't') && value && !selfClosing) inValue = true
    },
    close(name) {
      if (name === 'v' || name === 't') inValue = false
      else if (name === 'c' && row && value) {
        const text = cellText(type, value.join(''), shared)
        if (text !== '' && col < maxColumns) {
          while (row.cells.length < col) row.cells.push('')
          row.cells[col] = text
          if (type === 'n') (row.numeric ??= []).push(col)
        }
        value = undefined
      } else if (name === 'row' && row) {
        if (row.cells.length > 0 && rows.push(row) > maxRows) tooManyRows(maxRows)
        row = undefined
      }
    },
    text(t) {
      if (inValue && value) value.push(t)
    },
  })
  return rows
}

function cellText(type: string, raw: string, shared: readonly string[]): string {
  switch (type) {
    case 's': {
      const index = Number(raw)
      if (!Number.isInteger(index) || index < 0 || index >= shared.length) bad(`shared string index ${raw.slice(0, 20)} out of range`)
      return shared[index].trim()
    }
    case 'b':
      return raw === '1' ? 'TRUE' : 'FALSE'
    case 'n':
      return raw.trim() === '' ? '' : (spreadsheetNumber(raw) ?? raw.trim())
    default: // str (formula result), inlineStr, e (error such as #N/A), d (ISO date)
      return raw.trim()
  }
}

/**
 * The first worksheet of `bytes` as rows of strings, read in slices that hand the event loop back.
 * Throws `UnprocessableError` (422) on anything unreadable or over the limits.
 */
export function readXlsx(bytes: Uint8Array, limits: XlsxLimits = {}): Promise<Table> {
  return runSliced(xlsxSteps(bytes, limits))
}

export function* xlsxSteps(bytes: Uint8Array, limits: XlsxLimits = {}): Steps<Table> {
  const maxBytes = limits.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES
  let budget = maxBytes
  const tooLarge = (): never => bad(`uncompressed content exceeds ${Math.round(maxBytes / MB)} MB`)
  const entries = readZipDirectory(bytes)
  function* part(name: string): Steps<string> {
    const entry = entries.get(name) as ZipEntry
    const content = yield* inflateEntry(bytes, entry, budget, tooLarge)
    budget -= content.length
    return yield* decode(content, name)
  }
  const rels = 'xl/_rels/workbook.xml.rels'
  if (!entries.has('xl/workbook.xml') || !entries.has(rels)) bad('no xl/workbook.xml')
  const relsXml = yield* part(rels)
  const sheet = firstSheetPath(yield* part('xl/workbook.xml'), relsXml)
  const sst = sharedStringsPath(relsXml)
  if (!entries.has(sheet.path)) bad(`missing worksheet ${sheet.path}`)
  const shared = sst && entries.has(sst) ? yield* sharedStringSteps(yield* part(sst)) : []
  const rows = yield* worksheetSteps(yield* part(sheet.path), shared, limits.maxColumns ?? 256, limits.maxRows ?? DEFAULT_MAX_ROWS)
  return { sheet: sheet.name, rows }
}
