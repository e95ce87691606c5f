import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { UnprocessableError } from '../../domain/errors.js'
import { buildXlsx } from '../../../test/helpers/xlsx.js'
import { columnIndex, readSharedStrings, readXlsx } from './xlsx.js'

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const sheet = (rows: string) => `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`

describe('readXlsx', () => {
  it('reads shared strings and numbers, placing cells by reference when some are skipped', async () => {
    const table = await readXlsx(buildXlsx([['kode', 'nama', 'koef'], ['1.1', null, 0.0387], [null, null, null], ['2.1', 'B & C', 83349]]))
    expect(table.sheet).toBe('Data')
    expect(table.rows).toEqual([
      { row: 1, cells: ['kode', 'nama', 'koef'] },
      { row: 2, cells: ['1.1', '', '0.0387'], numeric: [2] },
      { row: 4, cells: ['2.1', 'B & C', '83349'], numeric: [2] },
    ])
  })

  it('reads inline strings, booleans, formula results, rich text and cells without references', async () => {
    const rows =
      `<row r="1"><c r="A1" t="inlineStr"><is><t>inline</t></is></c><c r="C1" t="b"><v>1</v></c>` +
      `<c r="D1" t="str"><f>A1</f><v>AHSP 2025</v></c><c t="s"><v>0</v></c><c r="AA1"><v>1.5E-3</v></c></row>` +
      `<row><c><v>0.30000000000000004</v></c><c t="e"><v>#N/A</v></c></row>`
    const sst = `<sst xmlns="${NS}"><si><r><t>ri</t></r><r><t xml:space="preserve">ch </t></r><rPh><t>PHONETIC</t></rPh></si></sst>`
    const table = await readXlsx(buildXlsx([], { sheet: sheet(rows), sharedStrings: sst }))
    expect(table.rows[0].cells.slice(0, 5)).toEqual(['inline', '', 'TRUE', 'AHSP 2025', 'rich'])
    expect(table.rows[0].cells[26]).toBe('0.0015')
    expect(table.rows[1]).toEqual({ row: 2, cells: ['0.3', '#N/A'], numeric: [0] })
    expect(table.rows[0].numeric).toEqual([26])
  })

  it('follows the workbook relationships to the first sheet', async () => {
    const wb = `<workbook xmlns="${NS}" xmlns:r="r"><sheets><sheet name="First" r:id="rId1"/><sheet name="Second" r:id="rId9"/></sheets></workbook>`
    expect((await readXlsx(buildXlsx([['a']], { workbook: wb }))).sheet).toBe('First')
  })

  it('ignores columns beyond the bound instead of allocating them', async () => {
    const table = await readXlsx(buildXlsx([], { sheet: sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>') }))
    expect(table.rows[0].cells).toEqual(['1'])
  })

  const unreadable: [string, Uint8Array][] = [
    ['not a zip', strToU8('kode,nama\n1,a')],
    ['an empty file', new Uint8Array()],
    ['a zip without a workbook', zipSync({ 'a.txt': strToU8('hello') })],
    ['a DTD (XXE) in the sheet', buildXlsx([], { sheet: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${sheet('<row><c t="inlineStr"><is><t>&e;</t></is></c></row>')}` })],
    ['a DTD in shared strings', buildXlsx([['a']], { sharedStrings: `<!DOCTYPE s [<!ENTITY a "aaaa">]><sst><si><t>&a;</t></si></sst>` })],
    ['malformed sheet XML', buildXlsx([], { sheet: '<worksheet><sheetData><row>' })],
    ['a shared string index out of range', buildXlsx([], { sheet: sheet('<row><c t="s"><v>7</v></c></row>') })],
    ['a workbook without sheets', buildXlsx([], { workbook: `<workbook xmlns="${NS}"><sheets/></workbook>` })],
    ['a truncated zip', buildXlsx([['a', 'b']]).slice(0, 200)],
  ]
  it.each(unreadable)('422 for %s', async (_label, bytes) => {
    await expect(readXlsx(bytes)).rejects.toThrow(UnprocessableError)
  })

  it('refuses a zip bomb before inflating it (declared size over the bound)', async () => {
    const huge = `<worksheet><sheetData>${'<row><c><v>0</v></c></row>'.repeat(60_000)}</sheetData></worksheet>`
    const bomb = buildXlsx([], { sheet: huge })
    expect(bomb.length).toBeLessThan(200_000)
    await expect(readXlsx(bomb, { maxUncompressedBytes: 1024 * 1024 })).rejects.toThrow(/exceeds 1 MB/)
  })

  it('ignores the sizes the zip declares: what the inflater produces is what counts', async () => {
    const lie = (bytes: Uint8Array) => {
      const name = strToU8('xl/worksheets/sheet1.xml')
      // Patch the sheet's uncompressed size in the central directory (offset 24) and local header (offset 22) to 100.
      const view = new DataView(bytes.buffer, bytes.byteOffset)
      for (let i = bytes.length - 46; i >= 0; i--) {
        const sig = view.getUint32(i, true)
        const at = sig === 0x02014b50 ? 46 : sig === 0x04034b50 ? 30 : 0
        if (!at) continue
        const nameLength = view.getUint16(i + (at === 46 ? 28 : 26), true)
        if (nameLength === name.length && name.every((b, k) => bytes[i + at + k] === b)) view.setUint32(i + (at === 46 ? 24 : 22), 100, true)
      }
      return bytes
    }
    const honest = lie(buildXlsx([], { sheet: `<worksheet><sheetData>${'<row><c><v>1</v></c></row>'.repeat(5_000)}</sheetData></worksheet>` }))
    expect((await readXlsx(honest)).rows).toHaveLength(5_000)
    const bomb = lie(buildXlsx([], { sheet: `<worksheet><sheetData>${'<row><c><v>0</v></c></row>'.repeat(60_000)}</sheetData></worksheet>` }))
    await expect(readXlsx(bomb, { maxUncompressedBytes: 1024 * 1024 })).rejects.toThrow(/exceeds 1 MB/)
  })

  it('stops at maxRows', async () => {
    const bytes = buildXlsx([], { sheet: `<worksheet><sheetData>${'<row><c><v>1</v></c></row>'.repeat(1_001)}</sheetData></worksheet>` })
    await expect(readXlsx(bytes, { maxRows: 1_000 })).rejects.toThrow(/more than 1,000 rows/)
    expect((await readXlsx(bytes, { maxRows: 1_001 })).rows).toHaveLength(1_001)
  })
})

describe('parts', () => {
  it('columnIndex', async () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA10'), columnIndex('XFD1'), columnIndex('12')]).toEqual([0, 25, 26, 16383, -1])
  })
  it('readSharedStrings keeps empty items so indexes stay aligned', async () => {
    expect(readSharedStrings(`<sst><si><t/></si><si><t>b</t></si></sst>`)).toEqual(['', 'b'])
  })
})
