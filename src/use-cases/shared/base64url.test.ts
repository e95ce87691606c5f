import { describe, expect, it } from 'vitest'
import { fromBase64Url, toBase64Url } from './base64url.js'

/** The reference: the platform's base64, made url-safe and unpadded. */
const reference = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')

describe('base64url', () => {
  it('encodes like btoa made url-safe, at every length and byte value, and decodes back', () => {
    for (let n = 0; n <= 100; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n))
      const text = toBase64Url(bytes)
      expect(text, `length ${n}`).toBe(reference(bytes))
      expect(fromBase64Url(text), `length ${n}`).toEqual(bytes)
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(toBase64Url(all)).toBe(reference(all))
  })

  it('refuses what is not base64url', () => {
    expect(fromBase64Url('a+b/')).toBeUndefined()
    expect(fromBase64Url('abcde')).toBeUndefined()
  })
})
