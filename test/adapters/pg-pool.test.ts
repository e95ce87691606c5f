import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgPool, type PgPool } from '../../src/adapters/sql/pool.js'
import { BackendUnavailableError } from '../../src/domain/errors.js'
import { openGateTo, type TcpGate } from '../helpers/tcp-gate.js'
import { createTestSchema, TEST_DATABASE_URL } from '../helpers/services.js'

/** The per-concern pool (`pool.ts`) against the real PostgreSQL, directly and through a TCP gate. */
const elapsed = async (p: Promise<unknown>) => {
  const started = performance.now()
  const outcome = await p.then(
    () => 'ok',
    (err: Error) => err,
  )
  return { outcome, ms: performance.now() - started }
}

describe('PgPool', () => {
  const pools: PgPool[] = []
  const open = (url: string, o: Partial<Parameters<typeof createPgPool>[1]> = {}) => {
    const p = createPgPool(url, { name: 'test', max: 1, queue: 1, deadlineMs: 400, ...o })
    pools.push(p)
    return p
  }
  let gate: TcpGate
  let gatedUrl: string
  beforeAll(async () => {
    ;({ gate, url: gatedUrl } = await openGateTo(TEST_DATABASE_URL))
  })
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end({ timeout: 0 })))
    await gate.close()
  })

  it('a call past its deadline fails with 503 and its statement is cancelled on the server: the connection serves the next call', async () => {
    const pool = open(TEST_DATABASE_URL)
    const slow = await elapsed(pool.run((sql) => sql`select pg_sleep(10)`))
    expect(slow.outcome).toBeInstanceOf(BackendUnavailableError)
    expect(slow.ms).toBeLessThan(1000)
    // One connection: this answers only if the sleeping statement was cancelled, not left running.
    const next = await elapsed(pool.run((sql) => sql`select 1`))
    expect(next.outcome).toBe('ok')
    expect(pool.stats()).toMatchObject({ timedOut: 1, recycled: 0, inFlight: 0 })
  })

  it('a call past its deadline starts no further statement: work abandoned behind a lock does not run when the lock goes', async () => {
    const schema = await createTestSchema('pool')
    try {
      const pool = open(schema.url)
      await pool.run((sql) => sql`create table marks (n int)`)
      let refused: unknown
      const late = await elapsed(
        pool.run(async (sql) => {
          await new Promise((r) => setTimeout(r, 700))
          try {
            await sql`insert into marks values (1)`
          } catch (err) {
            refused = err
          }
        }),
      )
      expect(late.outcome).toBeInstanceOf(BackendUnavailableError)
      await new Promise((r) => setTimeout(r, 400))
      expect(refused).toBeInstanceOf(BackendUnavailableError)
      expect(await pool.run((sql) => sql`select count(*)::int as n from marks`)).toEqual([{ n: 0 }])
    } finally {
      await schema.drop()
    }
  })

  it('a cancel request the network refuses is no unhandled rejection (postgres.js drops the promise of Query.cancel)', async () => {
    const unhandled: unknown[] = []
    const record = (reason: unknown) => void unhandled.push(reason)
    process.prependListener('unhandledRejection', record)
    const { gate: own, url } = await openGateTo(TEST_DATABASE_URL)
    try {
      const pool = open(url, { deadlineMs: 300 })
      expect((await elapsed(pool.run((sql) => sql`select 1`))).outcome).toBe('ok')
      // The statement runs; new connections are then refused, so the pool's CancelRequest at the deadline
      // (a connection of its own) fails with ECONNREFUSED.
      own.refuse()
      expect((await elapsed(pool.run((sql) => sql`select pg_sleep(1)`))).outcome).toBeInstanceOf(BackendUnavailableError)
      await new Promise((r) => setTimeout(r, 300))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', record)
      await own.close()
    }
  })

  it('past max + queue calls in flight, a call fails at once instead of queueing', async () => {
    const pool = open(TEST_DATABASE_URL, { deadlineMs: 3000 })
    const held = [pool.run((sql) => sql`select pg_sleep(0.5)`), pool.run((sql) => sql`select pg_sleep(0.5)`)]
    const third = await elapsed(pool.run((sql) => sql`select 1`))
    expect(third.outcome).toBeInstanceOf(BackendUnavailableError)
    expect(third.ms).toBeLessThan(50)
    await Promise.all(held)
    expect(pool.stats().rejected).toBe(1)
  })

  it('refused: fails fast; many failures do not slow the reconnect once the server is back (capped backoff)', async () => {
    const pool = open(gatedUrl, { max: 4, queue: 16 })
    expect((await elapsed(pool.run((sql) => sql`select 1`))).outcome).toBe('ok')
    await gate.close()
    let worst = 0
    for (let i = 0; i < 40; i++) {
      const r = await elapsed(pool.run((sql) => sql`select 1`))
      expect(r.outcome).toBeInstanceOf(Error)
      worst = Math.max(worst, r.ms)
    }
    expect(worst).toBeLessThan(600)
    await gate.open()
    const back = await elapsed(pool.run((sql) => sql`select 1`))
    expect(back.outcome).toBe('ok')
    expect(back.ms).toBeLessThan(500)
  })

  it('silent: calls fail at the deadline; the hung connections are replaced and the pool serves once the network answers', async () => {
    const pool = open(gatedUrl, { max: 2, queue: 8 })
    expect((await elapsed(pool.run((sql) => sql`select 1`))).outcome).toBe('ok')
    await gate.silence()
    for (let i = 0; i < 3; i++) {
      const r = await elapsed(pool.run((sql) => sql`select 1`))
      expect(r.outcome).toBeInstanceOf(BackendUnavailableError)
      expect(r.ms).toBeLessThan(800)
    }
    await new Promise((r) => setTimeout(r, 1200))
    await gate.open()
    const started = performance.now()
    let ok = false
    while (!ok && performance.now() - started < 5000) {
      ok = (await elapsed(pool.run((sql) => sql`select 1`))).outcome === 'ok'
    }
    expect(ok).toBe(true)
    expect(performance.now() - started).toBeLessThan(3000)
    expect(pool.stats().recycled).toBeGreaterThanOrEqual(1)
  })
})
