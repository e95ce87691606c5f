import { CacheError } from '../../domain/errors.js'

/**
 * How values over the threshold are packed: text in, text out (`zlibCompression` on Node/Bun/Deno). Injected,
 * so the codec itself is runtime-neutral; without one nothing is compressed (the memory cache on workerd).
 */
export interface ValueCompression {
  deflate(json: string): string
  inflate(packed: string): string
}

/**
 * The wire format every cache adapter stores: JSON text, or `~z` + base64 of raw-deflated JSON for values
 * over the compression threshold. `~` can never start JSON text, so the two cannot be confused, and a
 * counter written by Redis INCRBY ("42") decodes as the number 42.
 */
const COMPRESSED = '~z'

function rejectUnserialisable(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new TypeError(`${typeof value} at ${key === '' ? 'top level' : `"${key}"`} cannot be stored as JSON`)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`non-finite number at "${key}" cannot be stored as JSON`)
  }
  return value
}

/** Serialise `value` to the stored form; throws `CACHE.INVALID_VALUE` for anything JSON cannot carry. */
export function encodeValue(value: unknown, backend: string, compressThreshold = 4096, compression?: ValueCompression): string {
  let json: string
  try {
    // Strings and finite numbers are the hot path: skip the replacer walk for them.
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) json = JSON.stringify(value)
    else if (typeof value === 'number' && Number.isFinite(value)) json = String(value)
    else json = JSON.stringify(value, rejectUnserialisable)
  } catch (err) {
    throw new CacheError('CACHE.INVALID_VALUE', backend, `value cannot be cached: ${(err as Error).message}`, err)
  }
  if (!compression || json.length <= compressThreshold) return json
  const packed = COMPRESSED + compression.deflate(json)
  return packed.length < json.length ? packed : json
}

/** Parse a stored value; garbage (not written by `encodeValue`) is a `CACHE.CORRUPT` error. */
export function decodeValue<T>(stored: string, backend: string, compression?: ValueCompression): T {
  try {
    if (stored.startsWith(COMPRESSED)) {
      if (!compression) throw new Error('compressed value, and no compression configured')
      return JSON.parse(compression.inflate(stored.slice(2))) as T
    }
    return JSON.parse(stored) as T
  } catch (err) {
    throw new CacheError('CACHE.CORRUPT', backend, 'stored value is not valid cache data', err)
  }
}
