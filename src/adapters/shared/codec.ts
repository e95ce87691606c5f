import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { CacheError } from '../../domain/errors.js'

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
export function encodeValue(value: unknown, backend: string, compressThreshold = 4096): string {
  let json: string
  try {
    // Strings and finite numbers are the hot path: skip the replacer walk for them.
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) json = JSON.stringify(value)
    else if (typeof value === 'number' && Number.isFinite(value)) json = String(value)
    else json = JSON.stringify(value, rejectUnserialisable)
  } catch (err) {
    throw new CacheError('CACHE.INVALID_VALUE', backend, `value cannot be cached: ${(err as Error).message}`, err)
  }
  if (json.length <= compressThreshold) return json
  const packed = COMPRESSED + deflateRawSync(json).toString('base64')
  return packed.length < json.length ? packed : json
}

/** Parse a stored value; garbage (not written by `encodeValue`) is a `CACHE.CORRUPT` error. */
export function decodeValue<T>(stored: string, backend: string): T {
  try {
    if (stored.startsWith(COMPRESSED)) {
      return JSON.parse(inflateRawSync(Buffer.from(stored.slice(2), 'base64')).toString('utf8')) as T
    }
    return JSON.parse(stored) as T
  } catch (err) {
    throw new CacheError('CACHE.CORRUPT', backend, 'stored value is not valid cache data', err)
  }
}
