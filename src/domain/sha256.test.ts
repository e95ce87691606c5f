import { describe, expect, it } from 'vitest'
import { sha256, sha256Hex } from './sha256.js'

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors, as bytes and as hex', () => {
    expect(hex(sha256(new Uint8Array()))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('hashes a string as its UTF-8 bytes, like crypto.subtle', async () => {
    const text = 'Pekerjaan beton “K-225” — ½ m³'
    const subtle = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
    expect(sha256Hex(text)).toBe(hex(subtle))
    expect(sha256(text)).toEqual(subtle)
  })
})
