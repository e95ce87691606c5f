import { describe, expect, it } from 'vitest'
import { readDelimited, sniffDelimiter } from './delimited.js'

describe('readDelimited', () => {
  it('RFC 4180: quoted delimiters, doubled quotes, line breaks inside quotes, CRLF, BOM', () => {
    const csv = '\ufeffkode,nama,koef\r\n1.1,"Galian, tanah ""biasa""",0.5\r\n1.2,"two\r\nlines",1\r\n'
    expect(readDelimited(csv, ',').rows).toEqual([
      { row: 1, cells: ['kode', 'nama', 'koef'] },
      { row: 2, cells: ['1.1', 'Galian, tanah "biasa"', '0.5'] },
      { row: 3, cells: ['1.2', 'two\r\nlines', '1'] },
    ])
  })

  it('numbers rows by the line a record starts on, skipping blank lines', () => {
    const rows = readDelimited('a;b\n\n"x\ny";1\nz;2', ';').rows
    expect(rows.map((r) => r.row)).toEqual([1, 3, 5])
  })

  it('keeps quotes inside unquoted fields literally (5" pipe) and empty trailing fields', () => {
    expect(readDelimited('Pompa 5";\t\n', '\t').rows[0].cells).toEqual(['Pompa 5";', ''])
    expect(readDelimited('a,,\n', ',').rows[0].cells).toEqual(['a', '', ''])
  })

  it('handles a lone CR line end and a missing final newline', () => {
    expect(readDelimited('a,b\rc,d', ',').rows).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['c', 'd'] },
    ])
  })
})

describe('sniffDelimiter', () => {
  it('tab for .tsv, else the separator that splits the header most', () => {
    expect(sniffDelimiter('a,b,c', 'x.tsv')).toBe('\t')
    expect(sniffDelimiter('kode;nama;koefisien\n1;"a,b,c,d";0,5')).toBe(';')
    expect(sniffDelimiter('kode,nama,koefisien')).toBe(',')
    expect(sniffDelimiter('kode\tnama\tkoefisien')).toBe('\t')
    expect(sniffDelimiter('"a;b;c",d,e')).toBe(',')
  })
})
