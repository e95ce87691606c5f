import { describe, expect, it } from 'vitest'
import { parseDecimal, spreadsheetNumber } from './decimal.js'

describe('parseDecimal', () => {
  it.each([
    ['0.0387', '0.0387'],
    ['0,0387', '0.0387'],
    ['83349', '83349'],
    ['83.349', '83.349'],
    ['1.234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['1.234.567', '1234567'],
    ['1,234,567', '1234567'],
    ['1.234.567,891', '1234567.891'],
    ['1 234,5', '1234.5'],
    ['0.038700', '0.0387'],
    ['00012', '12'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-0,25', '-0.25'],
    ['+3', '3'],
    ['-0', '0'],
    ['0.000000', '0'],
    ['1.5E-3', '0.0015'],
    ['2e3', '2000'],
    ['1,5e-2', '0.015'],
    ['0.1234567890123456789', '0.1234567890123456789'],
  ])('%s → %s', (input, expected) => {
    expect(parseDecimal(input)).toBe(expected)
  })

  it.each(['', ' ', 'abc', '1.2.3,4', '1,2,3', '12a', '--1', '1e', 'NaN', 'Infinity', '#N/A', '1.23.4', '.', ',', '1e999'])(
    'rejects %j',
    (input) => {
      expect(parseDecimal(input)).toBeUndefined()
    },
  )

  it('keeps more digits than a double holds', () => {
    expect(parseDecimal('12345678901234567890.123456789')).toBe('12345678901234567890.123456789')
  })
})

describe('spreadsheetNumber', () => {
  it('reads a numeric cell as the decimal a person typed (15 significant digits)', () => {
    expect(spreadsheetNumber('0.30000000000000004')).toBe('0.3')
    expect(spreadsheetNumber('1.2E-3')).toBe('0.0012')
    expect(spreadsheetNumber('83349')).toBe('83349')
    expect(spreadsheetNumber('0.0387')).toBe('0.0387')
    expect(spreadsheetNumber('')).toBeUndefined()
    expect(spreadsheetNumber('x')).toBeUndefined()
  })
})
