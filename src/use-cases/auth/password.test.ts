import { describe, expect, it } from 'vitest'
import { createPasswordHasher, DEFAULT_ITERATIONS, timingSafeEqual } from './password.js'

const fast = createPasswordHasher({ iterations: 1000 })

describe('password hasher', () => {
  it('defaults to at least 600,000 PBKDF2-SHA256 iterations, stored with the hash', async () => {
    expect(DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000)
    const h = createPasswordHasher()
    expect(h.iterations).toBe(600_000)
    const stored = await h.hash('correct horse')
    expect(stored).toMatch(/^pbkdf2-sha256\$600000\$[\w-]{22}\$[\w-]{43}$/)
    expect(await h.verify('correct horse', stored)).toEqual({ ok: true, needsRehash: false })
  })

  it('salts: the same password never hashes the same twice', async () => {
    expect(await fast.hash('pw')).not.toBe(await fast.hash('pw'))
  })

  it('accepts the right password, refuses a wrong one', async () => {
    const stored = await fast.hash('s3cret-ü')
    expect((await fast.verify('s3cret-ü', stored)).ok).toBe(true)
    expect((await fast.verify('s3cret-u', stored)).ok).toBe(false)
    expect((await fast.verify('', stored)).ok).toBe(false)
  })

  it('normalises to NFC, so composed and decomposed forms are one password', async () => {
    const stored = await fast.hash('caf\u00e9')
    expect((await fast.verify('cafe\u0301', stored)).ok).toBe(true)
  })

  it('verifies with the parameters stored in the hash and asks for a rehash when they are weaker', async () => {
    const old = await fast.hash('pw')
    const stronger = createPasswordHasher({ iterations: 2000 })
    expect(await stronger.verify('pw', old)).toEqual({ ok: true, needsRehash: true })
    expect(await stronger.verify('nope', old)).toEqual({ ok: false, needsRehash: false })
    expect(await fast.verify('pw', await stronger.hash('pw'))).toEqual({ ok: true, needsRehash: false })
  })

  it('treats malformed or weak stored hashes as a mismatch, never an exception', async () => {
    for (const bad of ['', 'plain', 'pbkdf2-sha256$x$a$b', 'pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43), 'md5$1$a$b']) {
      expect(await fast.verify('pw', bad)).toEqual({ ok: false, needsRehash: false })
    }
    expect(await fast.verifyDummy('pw')).toEqual({ ok: false, needsRehash: false })
  })

  it('refuses too few iterations at construction', () => {
    expect(() => createPasswordHasher({ iterations: 10 })).toThrow(TypeError)
  })

  it('timingSafeEqual compares content and length', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true)
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false)
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false)
  })
})
