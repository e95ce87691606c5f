import { BackendUnavailableError } from '../../domain/errors.js'
import { createDeadlines, type Deadlines } from '../shared/deadlines.js'
import { createPgClient, type PgClientOptions, type Sql } from './client.js'
import { guardDriverRejections } from './driver-guard.js'

/**
 * A query postgres.js has built: cancellable; `state` is set once a connection took it. Only such are
 * cancelled: cancelling the first query of a connection still starting strands that connection.
 */
type Query = { cancel(): unknown; executed: boolean; state: unknown; active: boolean }
const isQuery = (x: unknown): x is Query =>
  typeof x === 'object' && x !== null && typeof (x as Query).cancel === 'function' && 'executed' in x

export interface PgPoolOptions extends PgClientOptions {
  /** Names the concern in errors and stats: `auth`, `catalog`, `import`, `cache`. */
  name: string
  /** Ms a call may take before it fails with 503 and its statements are cancelled. Default 1250 (with the deadline sweep, a caller waits about 1.5 s); 0 = none. */
  deadlineMs?: number
  /**
   * Deadlines a call still waiting for a connection may wait in all while the pool completes other calls
   * (a burst, not an outage). Default 1 (none). For pools whose statements are never slow (auth: key
   * look-ups), so a burst of logins is served instead of refused; not for ones a lock can hold (catalog).
   */
  patience?: number
  /** Calls allowed to wait for a connection beyond `max`; past it a call fails at once (503). Default 4 × max. */
  queue?: number
}

export interface PgPoolStats {
  name: string
  inFlight: number
  rejected: number
  timedOut: number
  recycled: number
}

/**
 * A postgres.js pool for one concern, with what the driver lacks:
 * - a deadline on every call: past it the caller gets a 503 and the call's statements are cancelled
 *   (running ones get a CancelRequest, which PgBouncer forwards). With `patience`, a call still waiting
 *   for a connection while other calls complete (a burst, not an outage) may wait a few deadlines;
 * - a bounded queue: at `max + queue` calls in flight (counted until the driver settles them, not until
 *   the deadline) a call fails at once instead of waiting behind the others;
 * - recycling: a call still unsettled a second after its deadline means a connection the server no longer
 *   answers on (a silent network: cancel cannot reach it either). The client is then replaced by a fresh
 *   one and the old one destroyed, which also clears the driver's reconnect backoff.
 * Transactions (`sql.begin`) get the deadline and recycling, not per-statement cancel.
 */
export interface PgPool {
  readonly name: string
  /** The current client, for start-up work (migrations) and tests. Replaced on recycle: do not keep it. */
  readonly sql: Sql
  run<T>(fn: (sql: Sql) => Promise<T>, options?: { deadlineMs?: number }): Promise<T>
  stats(): PgPoolStats
  end(options?: { timeout?: number }): Promise<void>
}

const RECYCLE_GRACE_MS = 1000

/**
 * Sends `q`'s CancelRequest and keeps its promise. postgres.js 3.4.9's `Query.cancel()` returns
 * `this.canceller && (this.canceller(this), this.canceller = null)`, dropping the promise of the request
 * (a connection of its own): when the network refuses or resets it — a database unreachable at the
 * deadline, which is when cancels are sent — that is an unhandled rejection, and the process exits.
 * So the canceller is called here, once, as `cancel()` would.
 */
function cancelQuery(q: Query): void {
  const own = q as Query & { canceller?: ((q: Query) => unknown) | null }
  const canceller = own.canceller
  if (typeof canceller !== 'function') return
  own.canceller = null
  Promise.resolve(canceller(q)).catch(() => {})
}

/** Cancels the call's queries a connection has taken; tries again every 100 ms for the others until the call settles. */
function cancelSent(queries: Query[], settled: () => boolean): void {
  const pending = queries.filter((q) => {
    if (!q.state) return q.executed
    cancelQuery(q)
    return false
  })
  if (pending.length === 0 || settled()) return
  const retry = setTimeout(() => cancelSent(pending, settled), 100)
  retry.unref?.()
}

/** A pool of its own on `url` (connect timeout 1.5 s unless set). */
export function createPgPool(url: string, options: PgPoolOptions): PgPool {
  guardDriverRejections()
  const max = options.max ?? 10
  return pool(() => createPgClient(url, { ...options, max, connectTimeout: options.connectTimeout ?? 1.5 }), max, true, options)
}

/** Deadlines and the bound around a client someone else owns (tests, the CLI): never recycled nor ended. */
export function wrapPgClient(sql: Sql, options: PgPoolOptions): PgPool {
  return pool(() => sql, options.max ?? 10, false, options)
}

/** Stores take either; a bare client gets deadlines around it. */
export function asPgPool(x: Sql | PgPool, name: string): PgPool {
  return typeof x === 'function' ? wrapPgClient(x, { name }) : x
}

function pool(open: () => Sql, max: number, owned: boolean, options: PgPoolOptions): PgPool {
  const deadlineMs = options.deadlineMs ?? 1250
  const bound = max + (options.queue ?? 4 * max)
  const patience = options.patience ?? 1
  const timeoutError = () => new BackendUnavailableError(`[pg-${options.name}] no answer within ${deadlineMs} ms`)
  const shared = createDeadlines(deadlineMs || 1, timeoutError)
  /** Re-checks of a call waiting past its deadline in a busy pool, every quarter deadline. */
  const recheck = createDeadlines(Math.max(50, Math.floor(deadlineMs / 4)), timeoutError)
  const stats = { name: options.name, inFlight: 0, rejected: 0, timedOut: 0, recycled: 0 }
  let client = open()
  let lastRecycle = 0
  let lastProgress = 0
  let ended = false

  function recycle(stale: Sql): void {
    if (!owned || ended || stale !== client || performance.now() - lastRecycle < RECYCLE_GRACE_MS) return
    lastRecycle = performance.now()
    stats.recycled++
    client = open()
    void stale.end({ timeout: 0 }).catch(() => {})
  }

  /**
   * The client seen through a proxy that records the queries this call builds (to cancel them) and, once
   * the call is past its deadline (`dead`), refuses to build more: a search abandoned behind a lock must
   * not run its remaining statements when the lock goes, ahead of the callers still waiting.
   */
  function tracked(sql: Sql, queries: Query[], dead: () => boolean): Sql {
    const build = <R>(make: () => R): R => {
      if (dead()) throw new BackendUnavailableError(`[pg-${options.name}] call abandoned at its deadline`)
      const q = make()
      if (isQuery(q)) queries.push(q)
      return q
    }
    return new Proxy(sql, {
      apply: (target, self, args) => build(() => Reflect.apply(target, self, args)),
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver)
        if (prop !== 'unsafe' || typeof value !== 'function') return value
        return (...args: unknown[]) => build(() => (value as (...a: unknown[]) => unknown)(...args))
      },
    })
  }

  function withDeadline<T>(p: Promise<T>, ms: number, deadlines: Deadlines): Promise<T> {
    return ms > 0 ? deadlines.bound(p) : p
  }

  return {
    name: options.name,
    get sql() {
      return client
    },
    async run<T>(fn: (sql: Sql) => Promise<T>, callOptions: { deadlineMs?: number } = {}): Promise<T> {
      if (ended) throw new BackendUnavailableError(`[pg-${options.name}] pool is closed`)
      if (stats.inFlight >= bound) {
        stats.rejected++
        throw new BackendUnavailableError(`[pg-${options.name}] ${stats.inFlight} calls in flight (bound ${bound})`)
      }
      const ms = callOptions.deadlineMs ?? deadlineMs
      const queries: Query[] = []
      const sql = client
      stats.inFlight++
      let settled = false
      let abandoned = false
      const work = (async () => fn(tracked(sql, queries, () => abandoned)))().finally(() => {
        settled = true
        stats.inFlight--
      })
      void work.then(() => (lastProgress = performance.now()), () => {})
      const deadlines = ms === deadlineMs ? shared : createDeadlines(ms, timeoutError)
      const started = performance.now()
      try {
        for (let first = true; ; first = false) {
          try {
            return await withDeadline(work, ms, first ? deadlines : recheck)
          } catch (err) {
            // Still waiting for a connection in a pool that completed other calls since this one started:
            // busy, not stalled (a burst of logins queues behind its connections), so wait on, up to
            // `patience` deadlines in all. A statement of its own running past the deadline is not waited for.
            const now = performance.now()
            const running = queries.some((q) => q.active)
            if (settled || running || lastProgress - started <= 0 || now - started >= ms * patience) throw err
          }
        }
      } catch (err) {
        if (!settled && ms > 0) {
          abandoned = true
          stats.timedOut++
          work.catch(() => {})
          cancelSent(queries, () => settled)
          const check = setTimeout(() => (settled ? undefined : recycle(sql)), RECYCLE_GRACE_MS)
          check.unref?.()
        }
        throw err
      } finally {
        if (deadlines !== shared) deadlines.stop()
      }
    },
    stats: () => ({ ...stats }),
    async end(endOptions = {}) {
      if (ended) return
      ended = true
      shared.stop()
      recheck.stop()
      if (owned) await client.end({ timeout: endOptions.timeout ?? 5 })
    },
  }
}
