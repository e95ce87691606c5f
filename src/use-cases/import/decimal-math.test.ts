import { describe, expect, it } from 'vitest'
import { dec, decAdd, decCompare, decMul, decPercent, decText, roundHalfUp, roundToMultiple } from './decimal.js'

const t = (s: string) => dec(s)

describe('exact decimal arithmetic', () => {
  it('adds and multiplies without floats (0.1 + 0.2 = 0.3; 0.0387 × 1250000.5)', () => {
    expect(decText(decAdd(t('0.1'), t('0.2')))).toBe('0.3')
    expect(decText(decMul(t('0.0387'), t('1250000.5')))).toBe('48375.01935')
    expect(decText(decMul(t('0.013'), t('150000')))).toBe('1950')
    expect(decText(decAdd(t('-1.5'), t('1.5')))).toBe('0')
    expect(decText(decMul(t('123456789012345678901234567890'), t('10')))).toBe('1234567890123456789012345678900')
  })

  it('divides by 100 exactly (percentages)', () => {
    expect(decText(decPercent(decMul(t('48375.01935'), t('10'))))).toBe('4837.501935')
    expect(decText(decPercent(decMul(t('100'), t('11'))))).toBe('11')
    expect(decText(decPercent(t('1')))).toBe('0.01')
  })

  it('rounds half-up (away from zero) only when asked', () => {
    expect(decText(roundHalfUp(t('2.5'), 0))).toBe('3')
    expect(decText(roundHalfUp(t('2.4999'), 0))).toBe('2')
    expect(decText(roundHalfUp(t('-2.5'), 0))).toBe('-3')
    expect(decText(roundHalfUp(t('1.005'), 2))).toBe('1.01')
    expect(decText(roundHalfUp(t('7'), 2))).toBe('7')
    expect(decText(roundToMultiple(t('1234499.99'), t('1000')))).toBe('1234000')
    expect(decText(roundToMultiple(t('1234500'), t('1000')))).toBe('1235000')
    expect(decText(roundToMultiple(t('12.345'), t('0.05')))).toBe('12.35')
    expect(decText(roundToMultiple(t('12.3'), t('1')))).toBe('12')
    expect(() => roundToMultiple(t('1'), t('0'))).toThrow(RangeError)
  })

  it('compares and prints canonically', () => {
    expect(decCompare(t('1.50'), t('1.5'))).toBe(0)
    expect(decCompare(t('1.05'), t('1.5'))).toBe(-1)
    expect(decText(t('0.00100'))).toBe('0.001')
    expect(decText({ units: 5n, scale: 3 })).toBe('0.005')
    expect(() => dec('1,5')).toThrow(RangeError)
  })

  it('property: Σ of random products equals the integer-cent sum computed another way', () => {
    let seed = 7
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let run = 0; run < 200; run++) {
      let sum = dec('0')
      let cents = 0n
      for (let i = 0; i < 50; i++) {
        const a = rnd(1_000_000)
        const b = rnd(10_000)
        // (a / 100) × (b / 100) in units of 1/10000
        sum = decAdd(sum, decMul(dec(decText({ units: BigInt(a), scale: 2 })), dec(decText({ units: BigInt(b), scale: 2 }))))
        cents += BigInt(a) * BigInt(b)
      }
      expect(decText(sum)).toBe(decText({ units: cents, scale: 4 }))
    }
  })
})
