import type { InvalidationEvent, InvalidationFeed, InvalidationListener } from '../../src/ports/invalidation.js'

/** An InvalidationFeed driven by the test: what a backend would report, delivered when the test says so. */
export interface ManualFeed extends InvalidationFeed {
  emit(event: InvalidationEvent): void
  /** Sets `confirmedAt()` (undefined = not live). */
  confirm(at: number | undefined): void
}

export function manualFeed(): ManualFeed {
  const listeners = new Set<InvalidationListener>()
  let confirmed: number | undefined
  let invalidations = 0
  let flushes = 0
  return {
    name: 'manual',
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit(event) {
      if ('flush' in event) flushes++
      else invalidations += event.keys.length
      for (const l of listeners) l(event)
    },
    confirm(at) {
      confirmed = at
    },
    confirmedAt: () => confirmed,
    stats: () => ({ live: confirmed !== undefined, invalidations, flushes, heartbeats: 0, reconnects: 0 }),
    close: async () => listeners.clear(),
  }
}
