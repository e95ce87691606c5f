import { describe, expect, it } from 'vitest'
import { canonicalQuery, hasPositiveClause, parseQuery, MAX_CLAUSES } from './query-parser.js'

const canon = (q: string) => canonicalQuery(parseQuery(q))

describe('parseQuery', () => {
  it('stems words, folds case and accents, and makes the last word a prefix', () => {
    expect(canon('Pembuatan PÁGAR')).toBe('"buat" "pagar*"')
    expect(canon('pasang bat')).toBe('"pasang" "bat*"')
    expect(canon('pasangan')).toBe('"pasang*"|"pasangan*"')
  })

  it('reads phrases with straight or typographic quotes, OR in any case, and exclusions', () => {
    expect(canon('"pagar sementara" kayu')).toBe('"pagar sementara" "kayu*"')
    expect(canon('“pagar sementara”')).toBe('"pagar sementara"')
    expect(canon('beton OR bekisting or kayu')).toBe('"beton"|"bekisting"|"kayu*"'.replace('|"kayu*"', '|"kayu"'))
    expect(canon('pagar -seng')).toBe('"pagar" -"seng"')
    expect(canon('pagar -"seng gelombang"')).toBe('"pagar" -"seng gelombang"')
  })

  it('recognises dotted codes, with or without a trailing dot, and keeps quoted codes as words', () => {
    expect(canon('1.1.1.1')).toBe('#1.1.1.1')
    expect(canon('2.2.1. beton')).toBe('#2.2.1 "beton*"')
    expect(canon('A.2.3')).toBe('#a.2.3')
    expect(canon('"1.1"')).toBe('"1 1"')
  })

  it('splits words on punctuation into phrases (1 m’ = 1 m\')', () => {
    expect(canon("1 m’ pagar")).toBe(canon("1 m' pagar"))
    expect(canon('beton/kayu')).toBe('"beton kayu*"')
  })

  it('treats metacharacters, NUL and control characters as separators, and bounds the work', () => {
    expect(canon("a'b & c | d:* \\ ! ( \u0000 x")).toBe('"a b" "c" "d" "x*"')
    expect(hasPositiveClause(parseQuery(''))).toBe(false)
    expect(hasPositiveClause(parseQuery('-beton'))).toBe(false)
    expect(hasPositiveClause(parseQuery('OR'))).toBe(false)
    expect(parseQuery('kata '.repeat(5000)).clauses.length).toBeLessThanOrEqual(MAX_CLAUSES)
  })
})

describe('query cost bounds', () => {
  it('refuses more OR alternatives than the bounds, naming them (400 at the edge)', async () => {
    const { MAX_ALTERNATIVES, MAX_ALTERNATIVES_PER_CLAUSE } = await import('./query-parser.js')
    const { ValidationError } = await import('../errors.js')
    const ors = (n: number, w = 'kata') => Array.from({ length: n }, (_, i) => `${w}${String.fromCharCode(97 + (i % 26))}`).join(' OR ')
    expect(parseQuery(ors(MAX_ALTERNATIVES_PER_CLAUSE)).clauses[0].alternatives).toHaveLength(MAX_ALTERNATIVES_PER_CLAUSE)
    expect(() => parseQuery(ors(MAX_ALTERNATIVES_PER_CLAUSE + 1))).toThrow(ValidationError)
    expect(() => parseQuery(ors(84))).toThrow(`at most ${MAX_ALTERNATIVES_PER_CLAUSE} OR alternatives`)
    const clauses = Array.from({ length: 4 }, (_, i) => `(${ors(7, 'w' + i)})`.replace(/[()]/g, '')).join(' ')
    expect(() => parseQuery(clauses)).toThrow(`at most ${MAX_ALTERNATIVES} words`)
  })
})
