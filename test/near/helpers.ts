import type { Container } from '../../src/composition/index.js'
import { sleep } from '../helpers/sleep.js'

export interface NearView {
  hits: number
  misses: number
  bypasses: number
  flushes: number
  invalidations: number
  entries: number
  live: boolean
}

/** The near tier's counters of an instance, from `/cache/stats`'s source. */
export async function nearOf(c: Container): Promise<NearView> {
  const near = (await c.cache.stats()).near as NearView | undefined
  if (!near) throw new Error('no near tier in this instance (CACHE_NEAR?)')
  return near
}

/** Waits until every instance's near tier serves (its feed confirmed within the lease). */
export async function untilLive(fleet: readonly Container[], ms = 5000): Promise<void> {
  for (const c of fleet) {
    const until = Date.now() + ms
    while (!(await nearOf(c)).live) {
      if (Date.now() > until) throw new Error('near tier never became live')
      await sleep(5)
    }
  }
}

/** Polls `check` until it holds; returns the ms it took after `since`, failing beyond `leaseMs`. */
export async function withinLease(since: number, leaseMs: number, check: () => Promise<boolean>): Promise<number> {
  while (!(await check())) {
    if (performance.now() - since > leaseMs) throw new Error(`still stale ${leaseMs} ms after the write`)
    await sleep(1)
  }
  return performance.now() - since
}
