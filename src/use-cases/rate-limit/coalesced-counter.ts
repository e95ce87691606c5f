/** A counter's state after a hit: its position in the window (1 = first) and the seconds the window has left. */
export interface Count {
  value: number
  ttl: number
}

/** Adds `n` hits to `key` atomically on the server and answers the counter's new value. */
export type CountN = (key: string, n: number) => Promise<Count>

interface Waiter {
  resolve(count: Count): void
  reject(err: unknown): void
}

/**
 * One round trip in flight per key: hits on a key whose counter is already being incremented wait, and
 * the next round trip counts them all at once (`INCRBY n`). Every hit is still counted on the server, and
 * each gets its own exact position (`value − n + 1 … value`, in arrival order), so a limit stays exact
 * across instances: two instances' batches are disjoint ranges of one atomic counter.
 *
 * What it buys: a client sending many requests at once (an app fetching prices in parallel, a flood)
 * costs one round trip per key and turn instead of one per request. Distinct clients gain nothing and
 * lose nothing: a key with no round trip in flight is sent at once, as before. A waiting hit waits at most
 * for the round trip ahead of it (bounded by the cache's own timeouts) plus its own.
 */
export function coalescedCounter(count: CountN): (key: string) => Promise<Count> {
  /** Keys with a round trip in flight → the hits that arrived since, counted by the next one. */
  const waiting = new Map<string, Waiter[]>()

  /** The hits that waited for `key`'s round trip to end go out as the next one, or the key is free again. */
  function sendWaiting(key: string): void {
    const next = waiting.get(key)!
    if (next.length === 0) waiting.delete(key)
    else {
      waiting.set(key, [])
      send(key, next)
    }
  }

  function send(key: string, batch: Waiter[]): void {
    const n = batch.length
    let trip: Promise<Count>
    try {
      trip = count(key, n)
    } catch (err) {
      trip = Promise.reject(err)
    }
    trip.then(
      ({ value, ttl }) => {
        sendWaiting(key)
        for (let i = 0; i < n; i++) batch[i]!.resolve({ value: value - n + 1 + i, ttl })
      },
      (err: unknown) => {
        sendWaiting(key)
        for (const w of batch) w.reject(err)
      },
    )
  }

  return (key) =>
    new Promise<Count>((resolve, reject) => {
      const queued = waiting.get(key)
      if (queued) queued.push({ resolve, reject })
      else {
        waiting.set(key, [])
        send(key, [{ resolve, reject }])
      }
    })
}
