import { strToU8, zipSync, type Zippable } from 'fflate'

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

export const xmlEscape = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

/** A cell reference: column index (0-based) and row number → `C12`. */
export function ref(col: number, row: number): string {
  let s = ''
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return `${s}${row}`
}

/**
 * A minimal workbook for tests: rows of strings (shared strings) or numbers (numeric cells); `null`
 * leaves the cell out entirely (as Excel does for empty cells). Parts can be overridden to build
 * malformed files.
 */
export function buildXlsx(
  rows: (string | number | null)[][],
  override: { sheet?: string; sharedStrings?: string; workbook?: string; extra?: Zippable } = {},
): Uint8Array {
  const strings: string[] = []
  const sheetRows = rows
    .map((cells, r) => {
      const cs = cells
        .map((v, c) => {
          if (v === null) return ''
          if (typeof v === 'number') return `<c r="${ref(c, r + 1)}"><v>${v}</v></c>`
          strings.push(v)
          return `<c r="${ref(c, r + 1)}" t="s"><v>${strings.length - 1}</v></c>`
        })
        .join('')
      return `<row r="${r + 1}">${cs}</row>`
    })
    .join('')
  const sheet = override.sheet ?? `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${sheetRows}</sheetData></worksheet>`
  const sst =
    override.sharedStrings ??
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${strings.map((s) => `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`).join('')}</sst>`
  const workbook =
    override.workbook ??
    `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`
  const rels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
  return zipSync({
    'xl/workbook.xml': strToU8(workbook),
    'xl/_rels/workbook.xml.rels': strToU8(rels),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/sharedStrings.xml': strToU8(sst),
    ...override.extra,
  })
}
