import { describe, expect, it } from 'vitest'
import { unitFromName } from './unit-from-name.js'

describe('unitFromName', () => {
  it.each([
    ['Pembuatan 1 m’ pagar sementara dari kayu tinggi 2 meter', 'm’'],
    ["Patok kayu panjang 1 m' (Lihat …)", 'm’'],
    ['Galian 1 m3 tanah biasa sedalam ≤ 1 m', 'm3'],
    ['1m3 Urukan Batu Kerikil Tanpa Pemadatan Secara Manual', 'm3'],
    ['Pemasangan 1 m2 dinding bata merah', 'm2'],
    ['Pemasangan 1 buah kloset duduk', 'buah'],
    ['Pemasangan 1 unit pintu panel', 'unit'],
    ['Pemasangan 1 titik lampu', 'titik'],
    ['Pembesian 1 kg dengan besi polos atau besi ulir', 'kg'],
    ["Per-m' penetrasi Spun Pile Diameter 30 cm secara mekanis", 'm’'],
    ['Gali dan cabut 1 tunggul pohon tanaman keras ∅ > 75 cm', 'tunggul'],
    ['Pembersihan 1 m² lapangan', 'm2'],
    ['Pekerjaan Perakitan Panel Modul T36 RISHA', ''],
    ['Pengecoran pakai pompa beton T = 18 m', ''],
  ])('%s → %s', (name, unit) => {
    expect(unitFromName(name)).toBe(unit)
  })

  it('does not read a unit from a number that merely starts with 1', () => {
    expect(unitFromName('Beton mutu 10 MPa, 15 m panjang')).toBe('')
  })
})
