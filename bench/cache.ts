/**
 * `npm run bench:cache`: each cache adapter against its raw client, in one run, on this machine's
 * Redis and PostgreSQL. Raw baselines run the same server-side work (same Redis commands and Lua
 * script, same SQL statements), so the ratio is the adapter's own cost: namespacing, encoding,
 * decoding, error mapping and timeouts. Scale with BENCH_ROUNDS, BENCH_SQL_OPS, BENCH_REDIS_OPS;
 * BENCH_ONLY=memory,redis,sql picks sections.
 */
import { cpus } from 'node:os'
import { createMemoryCache } from '../src/adapters/memory/cache.js'
import { createRedisCache } from '../src/adapters/redis/cache.js'
import { createRedisClient } from '../src/adapters/redis/connection.js'
import { INCR } from '../src/adapters/redis/scripts.js'
import { createPgClient } from '../src/adapters/sql/client.js'
import { createSqlCache } from '../src/adapters/sql/cache.js'
import { cacheStatements } from '../src/adapters/sql/cache-table.js'
import { encodeValue } from '../src/adapters/shared/codec.js'
import type { Redis } from 'ioredis'
import { compare } from './lib/timing.js'
import { progress, streamTable, type Row } from './lib/report.js'
import { BENCH_REDIS_URL, benchName, benchSchema, envInt } from './lib/services.js'

const ROUNDS = envInt('BENCH_ROUNDS', 2)
const KEYS = 1024 // distinct keys per case, cycled (a power of two: `i & MASK`)
const MASK = KEYS - 1
const TTL = 60 // seconds, for every write
/** A 100-byte string and a ~100-byte JSON object: the two shapes the memory `get` target is about. */
const STRING_100 = 'Pemasangan 1 m3 bekisting untuk fondasi, beton mutu f\'c 19,3 MPa (K-225), upah dan bahan, SNI 7394'.padEnd(100, '.')
const OBJECT_100 = { code: 'A.4.1.1.5', name: 'Beton mutu fc 19,3 MPa', unit: 'm3', price: 1_134_200, tags: ['beton'] }

async function benchMemory(emit: (row: Row) => void): Promise<void> {
  const ops = envInt('BENCH_MEMORY_OPS', 1_000_000)
  for (const [label, value] of [['string', STRING_100], ['object', OBJECT_100]] as const) {
    progress(`memory get (${label}) × ${ops}`)
    const map = new Map<string, unknown>()
    const cache = createMemoryCache({ maxEntries: 10_000 })
    const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`)
    for (const k of keys) {
      map.set(k, value)
      await cache.set(k, value, TTL)
    }
    const r = await compare(
      async (i) => map.get(keys[i & MASK]),
      (i) => cache.get(keys[i & MASK]),
      { ops, rounds: ROUNDS },
    )
    const note = `100-byte ${label}` + (label === 'object' ? '; the Map returns the same object, the adapter a copy' : '')
    emit({ name: 'memory: Map.get behind await', m: r.raw, note })
    emit({ name: 'memory adapter get', m: r.adapter, raw: r.raw, note })
    await cache.close()
  }
}

async function benchRedis(emit: (row: Row) => void): Promise<void> {
  const seqOps = envInt('BENCH_REDIS_OPS', 20_000)
  const prefix = benchName('redis')
  const rawBase = `${prefix}-raw:`
  const value = encodeValue(STRING_100, 'bench')
  // Sequential calls gain nothing from auto-pipelining: it is measured at 100 in flight only.
  const plan = [
    { pipelining: true, concurrency: 1, ops: seqOps },
    { pipelining: false, concurrency: 100, ops: seqOps * 2 },
    { pipelining: true, concurrency: 100, ops: seqOps * 2 },
  ]
  for (const { pipelining, concurrency, ops } of plan) {
    // Same factory, same options for both: the adapter's client differs from the raw one only in owner.
    const timeouts = { commandTimeoutMs: 1000, connectTimeoutMs: 2000, enableAutoPipelining: pipelining }
    const raw = createRedisClient(BENCH_REDIS_URL, timeouts) as Redis
    const cache = createRedisCache({ client: BENCH_REDIS_URL, prefix, ...timeouts })
    try {
      await raw.script('LOAD', INCR.source)
      const px = TTL * 1000
      const cases: [string, (i: number) => Promise<unknown>, (i: number) => Promise<unknown>][] = [
        ['set', (i) => raw.set(rawBase + (i & MASK), value, 'PX', px), (i) => cache.set(String(i & MASK), STRING_100, TTL)],
        ['get', (i) => raw.get(rawBase + (i & MASK)), (i) => cache.get(String(i & MASK))],
        ['incr', (i) => raw.evalsha(INCR.sha, 1, `${rawBase}n${i & MASK}`, 1, px), (i) => cache.incr(`n${i & MASK}`, 1, TTL)],
      ]
      for (const [op, rawFn, adapterFn] of cases) {
        progress(`redis ${op} × ${ops}, ${concurrency} in flight, auto-pipelining ${pipelining ? 'on' : 'off'}`)
        const r = await compare(rawFn, adapterFn, { ops, concurrency, rounds: ROUNDS })
        const note = `auto-pipelining ${pipelining ? 'on' : 'off'}`
        emit({ name: `redis: raw ioredis ${op === 'incr' ? 'evalsha (same Lua)' : op}`, m: r.raw, note })
        emit({ name: `redis adapter ${op}`, m: r.adapter, raw: r.raw, note })
      }
    } finally {
      await cache.clear()
      const rawKeys = Array.from({ length: KEYS }, (_, i) => [rawBase + i, `${rawBase}n${i}`]).flat()
      await raw.del(...rawKeys)
      await cache.close()
      raw.disconnect()
    }
  }
}

async function benchSql(emit: (row: Row) => void): Promise<void> {
  const seqOps = envInt('BENCH_SQL_OPS', 20_000)
  // Pool = in-flight: postgres.js queues (and slows) when more queries are in flight than connections.
  const inFlight = envInt('BENCH_SQL_IN_FLIGHT', 10)
  const schema = await benchSchema('sql')
  const q = cacheStatements('cache_entries')
  const value = encodeValue(STRING_100, 'bench')
  try {
    for (const concurrency of [1, inFlight]) {
      // +1: the adapter's background maintenance (prune/cull every 1000 writes) gets a connection of its
      // own instead of queueing behind the measured calls; the raw pool gets the same size.
      const pool = concurrency + 1
      const options = { max: pool, connectTimeout: 2 }
      const raw = createPgClient(schema.url, options)
      const cache = await createSqlCache({ url: schema.url, max: pool, prefix: benchName('sql'), timeoutMs: 2000 })
      const ms = TTL * 1000
      // Raw = the same prepared statement through the bare client.
      const run = (text: string, params: unknown[]) => raw.unsafe(text, params as never[], { prepare: true })
      const ops = concurrency === 1 ? seqOps : seqOps * 2
      const cases: [string, (i: number) => Promise<unknown>, (i: number) => Promise<unknown>][] = [
        ['set', (i) => run(q.set, [`raw:${i & MASK}`, value, ms]), (i) => cache.set(String(i & MASK), STRING_100, TTL)],
        ['get', (i) => run(q.get, [`raw:${i & MASK}`]), (i) => cache.get(String(i & MASK))],
        ['incr', (i) => run(q.incr, [`raw:n${i & MASK}`, 1, ms]), (i) => cache.incr(`n${i & MASK}`, 1, TTL)],
      ]
      try {
        for (const [op, rawFn, adapterFn] of cases) {
          progress(`sql ${op} × ${ops}, ${concurrency} in flight, pool ${pool}`)
          const r = await compare(rawFn, adapterFn, { ops, concurrency, rounds: ROUNDS })
          const note = `pool ${pool}`
          emit({ name: `sql: raw postgres.js ${op === 'incr' ? 'upsert … returning' : op}`, m: r.raw, note })
          emit({ name: `sql adapter ${op}`, m: r.adapter, raw: r.raw, note })
        }
      } finally {
        await cache.clear()
        await cache.close()
        await raw.end()
      }
    }
  } finally {
    await schema.drop()
  }
}

async function main(): Promise<void> {
  const started = performance.now()
  console.log(`## Cache adapters vs raw clients\n`)
  console.log(`${new Date().toISOString()} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · best of ${ROUNDS} alternating rounds\n`)
  const sections: [string, (emit: (row: Row) => void) => Promise<void>][] = [
    ['memory', benchMemory],
    ['redis', benchRedis],
    ['sql', benchSql],
  ]
  const only = process.env.BENCH_ONLY?.split(',')
  for (const [name, fn] of sections) {
    if (only && !only.includes(name)) continue
    console.log(`### ${name}\n`)
    try {
      await fn(streamTable())
    } catch (err) {
      console.log(`\nskipped the rest: ${(err as Error).message}`)
    }
    console.log('')
  }
  console.log(`\nratio = adapter ops/s ÷ raw ops/s of the same case; latencies sampled on every 8th call.`)
  console.log(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
