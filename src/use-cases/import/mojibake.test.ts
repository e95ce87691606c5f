import { describe, expect, it } from 'vitest'
import { repairMojibake, repairTable } from './mojibake.js'

describe('repairMojibake', () => {
  it('reads back UTF-8 that was read as CP-1252 or Latin-1', () => {
    expect(repairMojibake('f’c â‰¥ 25 MPa')).toBe('f’c ≥ 25 MPa')
    expect(repairMojibake('toleransi Â± 5 mm, mÂ³, mÂ²')).toBe('toleransi ± 5 mm, m³, m²')
    expect(repairMojibake('Besi Ã˜10, â€œtipe Aâ€\u009d, Ï† 0,5, Â½ bata')).toBe('Besi Ø10, “tipe A”, φ 0,5, ½ bata')
  })

  it('leaves text alone that is not such a sequence: real accents, lone symbols, plain ASCII', () => {
    for (const s of ['café crème', 'Ø10 mm', '± 5 %', 'm³', 'Galian tanah biasa', 'Ã alone', 'Â']) expect(repairMojibake(s)).toBe(s)
  })

  it('repairTable changes cells in place and lists each change with its row', () => {
    const table = { rows: [{ row: 1, cells: ['kode', 'nama'] }, { row: 2, cells: ['1.1', 'Plester 1 mÂ²'] }] }
    expect(repairTable(table)).toEqual([{ row: 2, from: 'Plester 1 mÂ²', to: 'Plester 1 m²' }])
    expect(table.rows[1].cells[1]).toBe('Plester 1 m²')
  })
})
