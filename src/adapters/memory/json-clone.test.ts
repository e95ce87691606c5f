import { describe, expect, it } from 'vitest'
import { cloneJson } from './json-clone.js'

describe('cloneJson', () => {
  it('copies nested objects and arrays deeply', () => {
    const src = JSON.parse('{"a":[1,{"b":"c"}],"d":{"e":null,"f":true},"g":""}')
    const copy = cloneJson(src)
    expect(copy).toEqual(src)
    copy.a[1].b = 'changed'
    copy.d.e = 1
    expect(src).toEqual({ a: [1, { b: 'c' }], d: { e: null, f: true }, g: '' })
  })

  it('keeps "__proto__" an own data property, as JSON.parse does, never a prototype', () => {
    const src = JSON.parse('{"__proto__":{"polluted":true},"x":1}')
    const copy = cloneJson(src)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.keys(copy)).toEqual(['__proto__', 'x'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"x":1}')
  })

  it('returns primitives as they are', () => {
    for (const v of ['s', 0, -1.5, true, null]) expect(cloneJson(v)).toBe(v)
  })
})
