import { describe, expect, it } from 'vitest'
import { readPrice } from './price-text.js'

describe('readPrice (Indonesian price formats, exact)', () => {
  it.each([
    ['1.250.000,50', '1250000.5'],
    ['Rp 1.250.000', '1250000'],
    ['Rp. 1.250.000,00', '1250000'],
    ['IDR 75.000,25', '75000.25'],
    ['1250000', '1250000'],
    ['1,250,000.50', '1250000.5'],
    ['1 250 000', '1250000'],
    ['12,5', '12.5'],
    ['7.25', '7.25'],
    ['0', '0'],
    ['1250.1250', '1250.125'],
  ])('%s → %s', (input, price) => {
    expect(readPrice(input)).toEqual({ price })
  })

  it('a single separator before exactly three digits is a thousand separator, with a warning', () => {
    for (const input of ['1.250', '1,250', 'Rp 1.250']) {
      const r = readPrice(input)
      expect(r).toMatchObject({ price: '1250' })
      expect((r as { warning: string }).warning).toContain('thousand separator')
    }
  })

  it('spreadsheet numbers and JSON numbers are exact, never ambiguous', () => {
    expect(readPrice('1.25', true)).toEqual({ price: '1.25' })
    expect(readPrice('250.125', true)).toEqual({ price: '250.125' })
    expect(readPrice(1250000.5)).toEqual({ price: '1250000.5' })
    expect(readPrice(0.1)).toEqual({ price: '0.1' })
  })

  it.each(['', 'abc', '-5', '1.2.3,4,5', 'Rp', '12,34,5'])('"%s" is an error', (input) => {
    expect(readPrice(input)).toHaveProperty('error')
  })
})
