/**
 * @module
 * The one SHA-256 of the codebase: @noble/hashes (audited, portable, no Node built-in), synchronous, so a
 * per-request hash (the session id) costs no thread-pool hop the way `crypto.subtle.digest` does on Node.
 * Measured against node:crypto and `crypto.subtle` by `npm run bench:sha256`.
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
