/** Bounds promises by a time limit. */
export interface Deadlines {
  /** `p`, or a rejection once `timeoutMs` (plus at most one sweep tick) has passed without an answer. */
  bound<T>(p: Promise<T>): Promise<T>
  stop(): void
}

interface Pending {
  at: number
  reject: (err: Error) => void
}

/**
 * One shared sweep instead of a `setTimeout` per call: a timer per query costs more than the rest of the
 * adapter's own work on a cache hit. The sweep runs every `timeoutMs / 4` (10–250 ms) only while calls are
 * pending, and is unref'd, so it never keeps the process alive.
 */
export function createDeadlines(
  timeoutMs: number,
  timeoutError: () => Error = () => new Error(`no answer within ${timeoutMs} ms`),
): Deadlines {
  const pending = new Set<Pending>()
  const tick = Math.max(10, Math.min(250, Math.floor(timeoutMs / 4)))
  let timer: ReturnType<typeof setInterval> | undefined

  function sweep(): void {
    const now = performance.now()
    for (const p of pending) {
      if (p.at > now) continue
      pending.delete(p)
      p.reject(timeoutError())
    }
    if (pending.size === 0) stop()
  }

  function stop(): void {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
  }

  return {
    bound<T>(p: Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const entry: Pending = { at: performance.now() + timeoutMs, reject }
        pending.add(entry)
        if (timer === undefined) {
          timer = setInterval(sweep, tick)
          timer.unref()
        }
        p.then(
          (v) => {
            pending.delete(entry)
            resolve(v)
          },
          (err: unknown) => {
            pending.delete(entry)
            reject(err)
          },
        )
      })
    },
    stop,
  }
}
