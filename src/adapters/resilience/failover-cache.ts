import type { BackendStats, CachePort } from '../../ports/cache.js'
import { withHitStats } from '../shared/hit-stats.js'
import type { Logger } from '../../ports/logger.js'
import { CacheError } from '../../domain/errors.js'
import { createDeadlines } from '../shared/deadlines.js'

export interface FailoverCacheOptions {
  /** The configured backend (redis or db). */
  primary: CachePort
  /** Serves while the primary is unavailable (db or memory). */
  fallback: CachePort
  logger: Logger
  /** A primary call with no answer after this many ms counts as unavailable. Default 1000. */
  commandTimeoutMs?: number
  /** While failed over, ping the primary this often, ms. Default 1000. */
  probeIntervalMs?: number
  /** Keys written on the fallback remembered for invalidation; beyond this the primary is cleared. Default 10000. */
  maxDirtyKeys?: number
  /**
   * The primary could not be reached at start: begin on the fallback and probe, so traffic moves to the
   * primary as soon as it answers (after the keys written on the fallback meanwhile are deleted from it).
   */
  startDegraded?: boolean
  /**
   * Runs when a backend is about to serve: the primary before traffic moves back to it (a failure keeps
   * traffic on the fallback until the next probe), the fallback when it takes over (calls wait for it;
   * a failure is logged). The sessions use case replays revocations into the backend here.
   */
  onActivate?: (cache: CachePort) => Promise<unknown>
}

/** Keys a call changes: a list, or `all` for `clear()`. */
type Touched = readonly string[] | 'all' | undefined

const INVALIDATE_BATCH = 500
/**
 * Written (tiny, 5 s) by every probe after the PING: a server that answers PING but refuses writes (a full
 * Redis with `noeviction`, a replica after a promotion) is not taken back, so traffic does not flap.
 */
export const PROBE_KEY = '__failover_probe__'

function isUnavailable(err: unknown): boolean {
  return err instanceof CacheError && err.code === 'CACHE.UNAVAILABLE'
}

/**
 * A circuit breaker in front of a remote cache. The first `CACHE.UNAVAILABLE` (or a call that outlives
 * `commandTimeoutMs`) moves traffic to the fallback, the failing call included, so use cases see neither
 * the error nor the hang. The primary is then pinged every `probeIntervalMs`; when it answers, every key
 * changed on the fallback meanwhile is deleted from the primary first — its copies are stale (a session
 * logged out during the outage must not come back) — and traffic moves back. Other errors pass through.
 */
export function createFailoverCache(options: FailoverCacheOptions): CachePort {
  const { primary, fallback, logger } = options
  const timeoutMs = options.commandTimeoutMs ?? 1000
  const probeIntervalMs = options.probeIntervalMs ?? 1000
  const maxDirtyKeys = options.maxDirtyKeys ?? 10_000
  const dirty = new Set<string>()
  let dirtyOverflow = false
  let degraded = false
  let probing = false
  let closed = false
  let probeTimer: ReturnType<typeof setInterval> | undefined
  let errors = 0
  let failovers = 0
  let recoveries = 0
  let lastError: string | undefined
  const refusals: Record<string, number> = {}
  let activating: Promise<void> | undefined
  /** Set during the last invalidation round before a recovery: writes wait, so none slips in unseen. */
  let switching: Promise<void> | undefined
  const onActivate = options.onActivate

  const unavailable = (ms: number) => new CacheError('CACHE.UNAVAILABLE', primary.name, `no answer within ${ms} ms`)
  // Every primary call is bounded; one shared sweep instead of a timer per call keeps this off the hot path.
  const deadlines = createDeadlines(timeoutMs, () => unavailable(timeoutMs))

  function guard<T>(p: Promise<T>, ms = timeoutMs): Promise<T> {
    if (ms === timeoutMs) return deadlines.bound(p)
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(unavailable(ms)), ms)
      p.then(
        (v) => {
          clearTimeout(timer)
          resolve(v)
        },
        (err: unknown) => {
          clearTimeout(timer)
          reject(err)
        },
      )
    })
  }

  function invoke<T>(op: (c: CachePort) => Promise<T>, cache: CachePort): Promise<T> {
    try {
      return op(cache)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  function markDirty(touched: Touched): void {
    if (touched === undefined || dirtyOverflow) return
    if (touched === 'all') {
      dirtyOverflow = true
      dirty.clear()
      return
    }
    for (const key of touched) dirty.add(key)
    if (dirty.size > maxDirtyKeys) {
      dirtyOverflow = true
      dirty.clear()
    }
  }

  function trip(err: unknown): void {
    lastError = (err as Error).message
    if (degraded || closed) return
    degraded = true
    failovers++
    logger.warn('cache primary unavailable; serving from fallback', {
      primary: primary.name,
      fallback: fallback.name,
      reason: lastError,
    })
    probeTimer = setInterval(() => void probe(), probeIntervalMs)
    probeTimer.unref?.()
    if (onActivate) {
      activating = guard(invoke(onActivate, fallback), timeoutMs * 2)
        .then(
          () => undefined,
          (e: unknown) => logger.warn('cache fallback activation failed; serving from it anyway', { fallback: fallback.name, err: (e as Error).message }),
        )
        .finally(() => {
          activating = undefined
        })
    }
  }

  /** Deletes from the primary what changed on the fallback; leaves the marks in place on failure. */
  async function invalidatePrimary(): Promise<boolean> {
    // Bounded: writes keep arriving on the fallback while this runs; the next probe finishes the job.
    for (let round = 0; round < 5; round++) {
      if (dirtyOverflow) {
        await guard(primary.clear(), timeoutMs * 30)
        dirtyOverflow = false
        continue
      }
      if (dirty.size === 0) return true
      const keys = [...dirty]
      for (let i = 0; i < keys.length; i += INVALIDATE_BATCH) {
        const batch = keys.slice(i, i + INVALIDATE_BATCH)
        await guard(primary.deleteMany(batch))
        for (const k of batch) dirty.delete(k)
      }
    }
    return dirty.size === 0 && !dirtyOverflow
  }

  async function probe(): Promise<void> {
    if (probing || !degraded || closed) return
    probing = true
    let release: (() => void) | undefined
    try {
      await guard(primary.ping())
      await guard(primary.set(PROBE_KEY, 1, 5))
      // Under steady writes these rounds never end with nothing dirty: they only shrink the last round.
      await invalidatePrimary()
      if (closed || dirtyOverflow) return
      if (onActivate) await guard(invoke(onActivate, primary), timeoutMs * 5)
      // The last round holds writes back (one delete of the few keys written since, bounded by the
      // timeout), so no key reaches the fallback between it and the switch.
      switching = new Promise<void>((resolve) => {
        release = resolve
      })
      if (!(await invalidatePrimary()) || closed) return
      degraded = false
      recoveries++
      clearInterval(probeTimer)
      logger.info('cache primary is back; serving from it again', { primary: primary.name })
      // What the fallback holds now goes stale; clearing it keeps the next outage from serving it.
      fallback.clear().catch(() => {})
    } catch (err) {
      lastError = (err as Error).message
    } finally {
      switching = undefined
      release?.()
      probing = false
    }
  }

  async function onFallback<T>(op: (c: CachePort) => Promise<T>, touched: Touched): Promise<T> {
    if (touched !== undefined && switching) {
      await switching
      if (!degraded) return route(op, touched)
    }
    if (activating) await activating
    // Marked before the write, so a recovery racing this call still invalidates the key.
    markDirty(touched)
    try {
      return await invoke(op, fallback)
    } catch (err) {
      if (isUnavailable(err)) errors++
      throw err
    }
  }

  function route<T>(op: (c: CachePort) => Promise<T>, touched?: Touched): Promise<T> {
    if (degraded) return onFallback(op, touched)
    return guard(invoke(op, primary)).catch((err: unknown) => {
      if (!isUnavailable(err) || closed) throw err
      errors++
      const refusal = (err as CacheError).refusal
      if (refusal !== undefined) refusals[refusal] = (refusals[refusal] ?? 0) + 1
      trip(err)
      return onFallback(op, touched)
    })
  }

  if (options.startDegraded) {
    // The composition root already logged why; keys written meanwhile are tracked as in any outage.
    lastError = 'unreachable at start'
    degraded = true
    probeTimer = setInterval(() => void probe(), probeIntervalMs)
    probeTimer.unref?.()
  }

  return withHitStats({
    name: `failover(${primary.name}→${fallback.name})`,
    get: <T>(key: string) => route((c) => c.get<T>(key)),
    set: (key, value, ttl) => route((c) => c.set(key, value, ttl), [key]),
    add: (key, value, ttl) => route((c) => c.add(key, value, ttl), [key]),
    getMany: <T>(keys: readonly string[]) => route((c) => c.getMany<T>(keys)),
    setMany(entries, ttl) {
      const list = [...entries]
      return route(
        (c) => c.setMany(list, ttl),
        list.map(([k]) => k),
      )
    },
    delete: (key) => route((c) => c.delete(key), [key]),
    deleteMany: (keys) => route((c) => c.deleteMany(keys), keys),
    has: (key) => route((c) => c.has(key)),
    incr: (key, delta, ttl) => route((c) => c.incr(key, delta, ttl), [key]),
    touch: (key, ttl) => route((c) => c.touch(key, ttl), [key]),
    ttl: (key) => route((c) => c.ttl(key)),
    async clear() {
      if (degraded) return onFallback((c) => c.clear(), 'all')
      await guard(primary.clear(), timeoutMs * 30).catch((err: unknown) => {
        if (!isUnavailable(err)) throw err
        errors++
        trip(err)
        markDirty('all')
      })
      // Stale leftovers of an earlier outage go too; a fallback that is down does not fail the clear.
      await fallback.clear().catch(() => {})
    },
    ping: () => route((c) => c.ping()),
    async stats(): Promise<BackendStats> {
      // A near tier in front of the primary (CACHE_NEAR) reports its counters through here (synchronously:
      // the primary's own stats() may need its backend, which may be the one that is down).
      const near = (primary as { nearStats?: () => unknown }).nearStats?.()
      return {
        ...(near === undefined ? {} : { near }),
        backend: primary.name,
        // A fallback that is itself a failover cache reports which of its backends is serving.
        active: degraded ? String((await fallback.stats().catch(() => undefined))?.active ?? fallback.name) : primary.name,
        degraded,
        errors,
        failovers,
        recoveries,
        fallback: fallback.name,
        dirtyKeys: dirtyOverflow ? 'all' : dirty.size,
        // Primary calls the server answered with a refusal (OOM, READONLY…), by reason.
        refusals: { ...refusals },
        ...(lastError === undefined ? {} : { lastError }),
      }
    },
    async close() {
      closed = true
      clearInterval(probeTimer)
      deadlines.stop()
      await Promise.allSettled([primary.close(), fallback.close()])
    },
  })
}
