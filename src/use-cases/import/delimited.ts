import { runSync, type Steps } from '../shared/slices.js'
import { DEFAULT_MAX_ROWS, tooManyRows, type Table, type TableRow } from './table.js'

/**
 * CSV / TSV reading per RFC 4180: fields may be quoted with `"`, quotes doubled inside, quoted fields
 * may hold delimiters and line breaks; CRLF, LF or CR line ends; a UTF-8 byte order mark is dropped.
 * Row numbers are the physical line a record starts on, so errors point at the line an editor shows.
 */
export type Delimiter = ',' | ';' | '\t'

/**
 * The delimiter of a text table: tab for `.tsv`, else whichever of tab, `;` and `,` splits the header
 * line into the most fields (spreadsheets in comma-decimal locales such as Indonesia export `;`).
 */
export function sniffDelimiter(text: string, filename = ''): Delimiter {
  if (/\.(tsv|tab)$/i.test(filename)) return '\t'
  const firstLine = text.slice(0, 64 * 1024).split(/\r\n|\n|\r/, 1)[0] ?? ''
  let best: Delimiter = ','
  let bestCount = 0
  for (const d of ['\t', ';', ','] as const) {
    const n = fieldsOutsideQuotes(firstLine, d)
    if (n > bestCount) {
      best = d
      bestCount = n
    }
  }
  return best
}

function fieldsOutsideQuotes(line: string, d: string): number {
  let n = 0
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (ch === d && !quoted) n++
  }
  return n
}

export function readDelimited(input: string, delimiter: Delimiter, maxRows = DEFAULT_MAX_ROWS): Table {
  return runSync(delimitedSteps(input, delimiter, maxRows))
}

/** Scanning steps between two yields of `delimitedSteps`. */
const STEPS_PER_YIELD = 4096

/** `readDelimited` as steps that yield every few thousand fields, for `runSliced`; stops past `maxRows`. */
export function* delimitedSteps(input: string, delimiter: Delimiter, maxRows = DEFAULT_MAX_ROWS): Steps<Table> {
  let steps = 0
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const rows: TableRow[] = []
  let cells: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let i = 0
  const n = text.length
  const endRecord = () => {
    cells.push(field)
    if ((cells.length > 1 || cells[0] !== '') && rows.push({ row: recordLine, cells }) > maxRows) tooManyRows(maxRows)
    cells = []
    field = ''
  }
  while (i < n) {
    if (++steps === STEPS_PER_YIELD) {
      steps = 0
      yield
    }
    const ch = text[i]
    if (ch === '"' && field === '') {
      // Quoted field: read to the closing quote; "" is a literal quote.
      let j = i + 1
      let value = ''
      for (;;) {
        if (++steps === STEPS_PER_YIELD) {
          steps = 0
          yield
        }
        const q = text.indexOf('"', j)
        if (q === -1) {
          value += text.slice(j)
          j = n
          break
        }
        value += text.slice(j, q)
        if (text[q + 1] === '"') {
          value += '"'
          j = q + 2
        } else {
          j = q + 1
          break
        }
      }
      line += countBreaks(value)
      field = value
      i = j
      // Lenient about text between the closing quote and the delimiter (`"a"b` → `ab`), as spreadsheets are.
      continue
    }
    if (ch === delimiter) {
      cells.push(field)
      field = ''
      i++
    } else if (ch === '\r' || ch === '\n') {
      endRecord()
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
    } else {
      const stop = nextSpecial(text, i, delimiter)
      field += text.slice(i, stop)
      i = stop
    }
  }
  if (field !== '' || cells.length > 0) endRecord()
  return { rows }
}

function nextSpecial(text: string, from: number, delimiter: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i]
    if (c === delimiter || c === '\n' || c === '\r' || c === '"') return i === from ? i + 1 : i
  }
  return text.length
}

function countBreaks(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++
  }
  return n
}
