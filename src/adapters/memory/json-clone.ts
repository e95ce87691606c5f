/**
 * Deep copy of a value that came out of `JSON.parse` (plain objects, arrays, primitives: no cycles, no
 * prototypes, no getters). About 4× faster than re-parsing the JSON text for small objects, which is
 * what makes a memory-cache hit on an object cheap while still returning a private copy.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    const n = value.length
    const out = new Array(n)
    for (let i = 0; i < n; i++) out[i] = cloneJson(value[i])
    return out as T
  }
  const out: Record<string, unknown> = {}
  for (const key in value) {
    const v = cloneJson((value as Record<string, unknown>)[key])
    // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true })
    else out[key] = v
  }
  return out as T
}
