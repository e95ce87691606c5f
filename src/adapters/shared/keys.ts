import { sha256Hex } from '../../domain/sha256.js'

/** Keys longer than this (in UTF-16 units) are replaced by a hash, like Django's memcached key check. */
const MAX_RAW_KEY = 200

export interface KeyNamespace {
  /** `<prefix>:<version>:` — every stored key starts with it; `clear()` deletes exactly this prefix. */
  readonly base: string
  /** Full stored key for a caller's key. */
  key(key: string): string
}

/**
 * Namespacing shared by the remote adapters. Keys with control characters (NUL is illegal in PostgreSQL
 * text) or over 200 characters are stored as `#` + SHA-256, so any caller key is safe on every backend.
 */
export function keyNamespace(prefix = 'ahsp', version: number | string = 1): KeyNamespace {
  const base = `${prefix}:${version}:`
  return {
    base,
    key(key: string): string {
      // eslint-disable-next-line no-control-regex
      if (key.length > MAX_RAW_KEY || /[\u0000-\u001f\u007f]/.test(key) || key.startsWith('#')) {
        return base + '#' + sha256Hex(key)
      }
      return base + key
    },
  }
}
