import type { CachePort } from '../../src/ports/cache.js'
import { CacheError } from '../../src/domain/errors.js'

/** A CachePort decorator that injects failures, for testing what callers do when the cache misbehaves. */
export interface ChaosCache extends CachePort {
  /** Every call rejects with `CACHE.UNAVAILABLE` (like a dead Redis) until `heal()`. */
  alwaysThrow(): void
  /** Every call waits `ms` before reaching the inner cache (like a slow Redis) until `heal()`. */
  delay(ms: number): void
  /** Back to passing calls straight through. */
  heal(): void
  /** Calls that reached this decorator, per method. */
  readonly calls: Readonly<Record<string, number>>
}

type Method = Exclude<keyof CachePort, 'name'>
const METHODS: Method[] = ['get', 'set', 'add', 'getMany', 'setMany', 'delete', 'deleteMany', 'has', 'incr', 'touch', 'ttl', 'clear', 'ping', 'stats']

/**
 * Wraps any cache (`chaosCache(createMemoryCache())`). `close()` always passes through; `stats()` is
 * subject to chaos like everything else, as a remote backend's would be.
 */
export function chaosCache(inner: CachePort, name = inner.name): ChaosCache {
  let mode: 'ok' | 'throw' | 'delay' = 'ok'
  let delayMs = 0
  const calls: Record<string, number> = {}
  const chaos: Partial<ChaosCache> = {
    name,
    calls,
    alwaysThrow: () => void (mode = 'throw'),
    delay(ms) {
      mode = 'delay'
      delayMs = ms
    },
    heal: () => void (mode = 'ok'),
    close: () => inner.close(),
  }
  for (const m of METHODS) {
    ;(chaos as Record<string, unknown>)[m] = async (...args: unknown[]) => {
      calls[m] = (calls[m] ?? 0) + 1
      if (mode === 'throw') throw new CacheError('CACHE.UNAVAILABLE', name, 'chaos: backend down')
      if (mode === 'delay') await new Promise((r) => setTimeout(r, delayMs))
      return (inner[m] as (...a: unknown[]) => Promise<unknown>)(...args)
    }
  }
  return chaos as ChaosCache
}
