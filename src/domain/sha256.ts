/**
 * @module
 * The SHA-256 of the codebase: @noble/hashes (audited, portable, no Node built-in), synchronous, so a
 * per-request hash (the session id) costs no thread-pool hop the way `crypto.subtle.digest` does on Node.
 * Measured against node:crypto and `crypto.subtle` by `npm run bench:sha256`. For large inputs, the
 * platform's native digest (`sha256HexLarge`).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

const encoder = new TextEncoder()

/** SHA-256 of bytes, or of a string's UTF-8. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return nobleSha256(typeof data === 'string' ? encoder.encode(data) : data)
}

/** Lowercase hex SHA-256 of a string's UTF-8 (64 characters). */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(text))
}

/**
 * `sha256Hex` of a large input (an estimate request, up to ~1 MB) by the platform's native Web Crypto digest:
 * on a 283 KB request @noble/hashes took 3.5–9.7 ms on this VM against 1.5–3.3 ms native, which alone would
 * take a cached 5,000-line estimate past its 25 ms target. The thread-pool hop is nothing at that size.
 */
export async function sha256HexLarge(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
}
