import { fromBase64Url, toBase64Url } from '../shared/base64url.js'

/**
 * Password hashing with PBKDF2-HMAC-SHA256 through Web Crypto (`crypto.subtle`), identical on Node and Bun.
 *
 * Format: `pbkdf2-sha256$<iterations>$<salt>$<hash>` (salt 16 random bytes, hash 32 bytes, both base64url),
 * so the cost can be raised later: `verify` reports `needsRehash` for a hash made with fewer iterations
 * than the current setting and the login use case re-hashes on the next successful login.
 * 600,000 iterations is OWASP's 2023 recommendation for PBKDF2-SHA256; it costs ~250 ms of one core here,
 * which is the price of every login (see `bench/auth.ts`).
 */
export const DEFAULT_ITERATIONS = 600_000
/** Below this a hash is refused outright, whatever the configuration (tests use ~1000). */
const MIN_ITERATIONS = 1_000
const SALT_BYTES = 16
const HASH_BITS = 256
const SCHEME = 'pbkdf2-sha256'

export interface PasswordHasherOptions {
  /** PBKDF2 iterations for new hashes. Default 600,000. Lower it only in tests. */
  iterations?: number
}

export interface VerifyResult {
  ok: boolean
  /** The password was right but the hash uses weaker parameters than the current ones. */
  needsRehash: boolean
}

export interface PasswordHasher {
  readonly iterations: number
  hash(password: string): Promise<string>
  /** Constant-time check; a malformed stored hash is a mismatch, never an exception. */
  verify(password: string, stored: string): Promise<VerifyResult>
  /**
   * Spends the same time as a real `verify` and fails: used for unknown usernames so their timing
   * matches a wrong password (no username enumeration by timing).
   */
  verifyDummy(password: string): Promise<VerifyResult>
}

const encoder = new TextEncoder()

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  // NFC so the same password typed on different keyboards/OSes hashes the same.
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, HASH_BITS)
  return new Uint8Array(bits)
}

/** Compares every byte whatever the first difference, so the time does not reveal how much matched. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}

interface Parsed {
  iterations: number
  salt: Uint8Array
  hash: Uint8Array
}

function parse(stored: string): Parsed | undefined {
  const parts = stored.split('$')
  if (parts.length !== 4 || parts[0] !== SCHEME || !/^\d{1,9}$/.test(parts[1]!)) return undefined
  const iterations = Number(parts[1])
  const salt = fromBase64Url(parts[2]!)
  const hash = fromBase64Url(parts[3]!)
  if (iterations < MIN_ITERATIONS || !salt || salt.length < 8 || !hash || hash.length !== HASH_BITS / 8) return undefined
  return { iterations, salt, hash }
}

export function createPasswordHasher(options: PasswordHasherOptions = {}): PasswordHasher {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS) {
    throw new TypeError(`iterations must be an integer >= ${MIN_ITERATIONS}`)
  }
  // A well-formed hash of nothing anyone knows, at the current cost: verifying against it always fails.
  const dummy: Parsed = {
    iterations,
    salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)),
    hash: crypto.getRandomValues(new Uint8Array(HASH_BITS / 8)),
  }

  async function check(password: string, p: Parsed): Promise<boolean> {
    return timingSafeEqual(await derive(password, p.salt, p.iterations), p.hash)
  }

  return {
    iterations,
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
      const hash = await derive(password, salt, iterations)
      return `${SCHEME}$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`
    },
    async verify(password, stored) {
      const p = parse(stored)
      if (!p) {
        await check(password, dummy)
        return { ok: false, needsRehash: false }
      }
      const ok = await check(password, p)
      return { ok, needsRehash: ok && p.iterations < iterations }
    },
    async verifyDummy(password) {
      await check(password, dummy)
      return { ok: false, needsRehash: false }
    },
  }
}
