import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openGatedApp, record, sleep, timeUntil, type Timed } from './harness.js'

/**
 * Issue 10, fault 2 and 3: PostgreSQL refusing or silent. Requests that need it get 503 within 2 s;
 * answers already in the cache stay 200 for the whole outage (longer than the 5 s the cached catalog
 * generation lives); service is back within 3 s of PostgreSQL returning, with no restart.
 */
const WORST_WAIT_MS = 2000
const RECOVERY_MS = 3000
const OUTAGE_MS = 7000

describe('PostgreSQL outage behind a TCP gate (Redis cache, PostgreSQL stores)', () => {
  let env: Awaited<ReturnType<typeof openGatedApp>>
  let cookie: string
  const cachedSearch = '/ahsp/search?q=galian%20tanah'
  const cachedJob = '/ahsp/jobs/1.1.1.1'

  beforeAll(async () => {
    env = await openGatedApp()
    cookie = await env.cookie()
    for (const path of [cachedSearch, cachedJob]) {
      expect((await env.timed(path)).status).toBe(200)
      expect((await env.timed(path)).cache).toBe('HIT')
    }
  }, 30_000)
  afterAll(() => env?.close())

  for (const mode of ['refusing', 'silent'] as const) {
    it(`${mode}: store-bound requests 503 within 2 s, cached answers 200 throughout, back within 3 s`, async () => {
      await (mode === 'refusing' ? env.gate.close() : env.gate.silence())
      const waits: Record<string, Timed[]> = { login: [], uncached: [], cachedSearch: [], cachedJob: [], me: [] }
      const started = performance.now()
      while (performance.now() - started < OUTAGE_MS) {
        const [login, uncached, search, job, me] = await Promise.all([
          env.login(),
          env.uncachedSearch(),
          env.timed(cachedSearch),
          env.timed(cachedJob),
          env.timed('/auth/me', { headers: { Cookie: cookie } }),
        ])
        waits.login.push(login)
        waits.uncached.push(uncached)
        waits.cachedSearch.push(search)
        waits.cachedJob.push(job)
        waits.me.push(me)
        await sleep(200)
      }
      const summary = Object.fromEntries(
        Object.entries(waits).map(([k, v]) => [k, { statuses: [...new Set(v.map((t) => t.status))], worstMs: Math.round(Math.max(...v.map((t) => t.ms))), n: v.length }]),
      )
      await env.gate.open()
      const recovery = await timeUntil(async () => {
        const [login, uncached] = await Promise.all([env.login(), env.uncachedSearch()])
        return login.status === 200 && uncached.status === 200
      }, 10_000)
      record(`pg ${mode}`, { ...summary, recoveryMs: Math.round(recovery) })

      for (const k of ['login', 'uncached'] as const) {
        expect(summary[k].statuses, k).toEqual([503])
        expect(summary[k].worstMs, k).toBeLessThan(WORST_WAIT_MS)
      }
      for (const k of ['cachedSearch', 'cachedJob'] as const) {
        expect(summary[k].statuses, k).toEqual([200])
        expect(summary[k].worstMs, k).toBeLessThan(WORST_WAIT_MS)
      }
      // A logged-in user is never logged out by an outage (a cached session answers; never 401).
      expect(summary.me.statuses, 'me').not.toContain(401)
      expect(recovery).toBeLessThan(RECOVERY_MS)
    }, 30_000)
  }
})
