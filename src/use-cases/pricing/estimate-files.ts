import type { Estimate } from './compute.js'
import { writeXlsx, type Cell } from './xlsx-writer.js'

/** An estimate as rows a spreadsheet shows: a header, one row per line, then subtotal, PPN, total, rounded. */
function rows(e: Estimate): Cell[][] {
  const n = (s: string) => ({ number: s })
  return [
    [`RAB - daftar harga ${e.list}`],
    ['No', 'Kode', 'Uraian pekerjaan', 'Satuan', 'Volume', 'Harga satuan', 'Jumlah harga'],
    ...e.lines.map((l, i): Cell[] => [n(String(i + 1)), l.code, l.name, l.unit, n(l.volume), n(l.unitPrice), n(l.total)]),
    [null, null, 'Jumlah', null, null, null, n(e.subtotal)],
    [null, null, `PPN ${e.taxPercent} %`, null, null, null, n(e.tax)],
    [null, null, 'Total', null, null, null, n(e.total)],
    [null, null, `Total dibulatkan (kelipatan ${e.rounding})`, null, null, null, n(e.totalRounded)],
    ...(e.missing.length > 0 ? [[null, null, `Item tanpa harga (dihitung 0): ${e.missing.map((m) => m.description).join('; ')}`]] : []),
  ]
}

const csvField = (c: Cell) => {
  const s = c === null ? '' : typeof c === 'object' ? c.number : c
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"` : s
}

/** RFC 4180 CSV (CRLF, UTF-8 with BOM so spreadsheet programs pick UTF-8); decimals with a `.` point, exact. */
export function estimateCsv(e: Estimate): string {
  return '\ufeff' + rows(e).map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

export function estimateXlsx(e: Estimate): Uint8Array {
  return writeXlsx('RAB', rows(e))
}
