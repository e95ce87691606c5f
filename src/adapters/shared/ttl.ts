/** Seconds (fractional) → whole milliseconds, or `null` for no expiry. `undefined` takes the default. */
export function ttlToMs(ttl: number | null | undefined, defaultTtl: number | null): number | null {
  const t = ttl === undefined ? defaultTtl : ttl
  if (t === null) return null
  if (!Number.isFinite(t)) throw new TypeError(`TTL must be a finite number of seconds or null, got ${t}`)
  return Math.ceil(t * 1000)
}
