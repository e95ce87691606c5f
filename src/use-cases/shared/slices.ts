/**
 * Long CPU work (parsing an upload) written as a generator that `yield`s at safe points, so it can run
 * without holding the event loop: `runSliced` hands the loop back (a macrotask) whenever a slice of work has
 * taken `sliceMs`, so other requests are answered in between. Runtime-neutral (`setTimeout`, `performance`):
 * no worker, no `node:` module. `runSync` drives the same generator to the end at once (tests, small inputs).
 */
export type Steps<T> = Generator<void, T, void>

/** Default slice: short enough that a poller's p99 stays well under 100 ms on a busy 2-core machine. */
export const SLICE_MS = 8

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

export async function runSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceStart = performance.now()
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
    if (performance.now() - sliceStart >= sliceMs) {
      await macrotask()
      sliceStart = performance.now()
    }
  }
}

export function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}
