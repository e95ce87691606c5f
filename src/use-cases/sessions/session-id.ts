import { toBase64Url } from '../shared/base64url.js'
import { sha256 } from '../../domain/sha256.js'

/** 32 random bytes = 256 bits from the CSPRNG, base64url: 43 characters. */
const ID_BYTES = 32
const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/

/** A fresh session id. It lives only in the client's cookie; servers keep `hashSessionId(id)`. */
export function newSessionId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(ID_BYTES)))
}

/** Cheap shape check, so garbage cookies never reach the cache or the store. */
export function isWellFormedSessionId(id: string | undefined): id is string {
  return id !== undefined && WELL_FORMED.test(id)
}

/**
 * base64url SHA-256 of the id: what the cache and the store are keyed by. A plain hash (no salt, no
 * KDF) suffices because the id has 256 bits of entropy: a leaked hash cannot be inverted into a cookie.
 */
export function hashSessionId(id: string): string {
  // Synchronous: `crypto.subtle.digest` costs a thread-pool hop per request on Node (bench:sha256).
  return toBase64Url(sha256(id))
}
