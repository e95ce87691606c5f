import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openGatedApp, record, sleep, timeUntil, type Timed } from './harness.js'

/**
 * Issue 10, fault 2: a long lock on the catalog table made logins (which never touch it) wait 5–7.9 s,
 * because users, sessions and the catalog shared one pool with an unbounded queue. Now each concern has
 * its own bounded pool: searches behind the lock fail at their deadline, logins do not notice.
 */
const LOCK_MS = 20_000
const LOGIN_BOUND_MS = 500
const RECOVERY_BOUND_MS = 3000

describe('a 20 s ACCESS EXCLUSIVE lock on catalog_jobs', () => {
  let env: Awaited<ReturnType<typeof openGatedApp>>
  let locker: postgres.Sql
  beforeAll(async () => {
    env = await openGatedApp()
    locker = postgres(env.directUrl, { max: 1, onnotice: () => {} })
  }, 30_000)
  afterAll(async () => {
    await locker?.end({ timeout: 1 })
    await env?.close()
  })

  it('does not delay logins; searches behind it answer 503 at their deadline instead of hanging', async () => {
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    let locked!: () => void
    const holding = new Promise<void>((r) => (locked = r))
    const lock = locker.begin(async (tx) => {
      await tx`lock table catalog_jobs in access exclusive mode`
      locked()
      await Promise.race([released, sleep(LOCK_MS)])
    })
    await holding
    const logins: Timed[] = []
    const searches: Timed[] = []
    const started = performance.now()
    // Searches keep the catalog pool full and its queue at the bound while logins go on.
    const searching = (async () => {
      while (performance.now() - started < LOCK_MS - 2000) {
        searches.push(...(await Promise.all(Array.from({ length: 20 }, () => env.uncachedSearch()))))
      }
    })()
    while (performance.now() - started < LOCK_MS - 2000) {
      logins.push(await env.login())
      await sleep(100)
    }
    await searching
    release()
    await lock
    // Once the lock is gone the catalog answers again: the searches abandoned behind it are cancelled, not
    // run first, so the next one waits at most for the few statements still queued.
    const releasedAt = performance.now()
    const firstAfter = await env.uncachedSearch()
    if (firstAfter.status !== 200) await timeUntil(async () => (await env.uncachedSearch()).status === 200, RECOVERY_BOUND_MS)
    const backMs = performance.now() - releasedAt
    const worst = (xs: Timed[]) => Math.round(Math.max(...xs.map((t) => t.ms)))
    const statuses = (xs: Timed[]) => [...new Set(xs.map((t) => t.status))].sort()
    record('catalog lock', {
      lockMs: LOCK_MS,
      logins: { n: logins.length, statuses: statuses(logins), worstMs: worst(logins) },
      searches: { n: searches.length, statuses: statuses(searches), worstMs: worst(searches) },
      afterRelease: { firstStatus: firstAfter.status, firstMs: Math.round(firstAfter.ms), backMs: Math.round(backMs) },
    })
    expect(statuses(logins)).toEqual([200])
    expect(worst(logins)).toBeLessThan(LOGIN_BOUND_MS)
    expect(statuses(searches)).toEqual([503])
    expect(worst(searches)).toBeLessThan(2000)
    expect(backMs).toBeLessThan(RECOVERY_BOUND_MS)
  }, 40_000)
})
