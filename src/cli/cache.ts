import { redactUrl, type Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import { createJsonLogger } from '../adapters/log/json-logger.js'
import { createPgClient } from '../adapters/sql/client.js'
import { createCacheTable } from '../adapters/sql/cache.js'
import { createCacheFromConfig } from '../composition/cache.js'
import type { CliCommand } from './types.js'
import { serverCacheStats } from './server-stats.js'
import { parseCommandArgs } from './args.js'

/** Results go to stdout; log lines (e.g. a start-up fallback WARN) to stderr, so output stays parseable. */
const print = (line: string) => process.stdout.write(line + '\n')


/** Builds the cache exactly as the server does (same selection and fallback), runs `fn`, closes it. */
async function withCache(config: Config, fn: (cache: CachePort) => Promise<number>): Promise<number> {
  const logger = createJsonLogger({ level: config.logLevel, write: (l) => process.stderr.write(l + '\n') })
  const cache = await createCacheFromConfig(config, logger)
  try {
    return await fn(cache)
  } finally {
    await cache.close()
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
}

/** Times `n` sequential calls: ops/s and latency percentiles in ms. */
async function timeSequential(n: number, call: (i: number) => Promise<unknown>) {
  const lat = new Float64Array(n)
  const start = performance.now()
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await call(i)
    lat[i] = performance.now() - t
  }
  const total = performance.now() - start
  lat.sort()
  return { opsPerSec: Math.round((n / total) * 1000), p50: percentile(lat, 50), p99: percentile(lat, 99) }
}

export const cacheCommands: Record<string, CliCommand> = {
  ping: {
    summary: 'round trip to the configured cache backend; exit 1 if it is down or failed over',
    run: (_args, config) =>
      withCache(config, async (cache) => {
        const ms = await cache.ping()
        const s = await cache.stats()
        print(`${s.degraded ? 'DEGRADED' : 'ok'} backend=${s.backend} active=${s.active} latency=${ms.toFixed(2)}ms`)
        return s.degraded ? 1 : 0
      }),
  },

  stats: {
    summary: "the running server's cache counters as JSON (METRICS_PORT's /status.json, else /cache/stats as ADMIN_USERNAME) [--url base] [--local]",
    async run(args, config) {
      const { values } = parseCommandArgs(args, { local: { type: 'boolean', default: false }, url: { type: 'string' } })
      if (!values.local) {
        const server = await serverCacheStats(config, values.url)
        if (server.ok) {
          print(JSON.stringify({ source: server.source, ...server.stats }, null, 2))
          return 0
        }
        process.stderr.write(`${server.reason}\nshowing this process's own view instead: the backend it reaches, counters from zero\n`)
      }
      return withCache(config, async (cache) => {
        print(JSON.stringify({ source: 'cli', ...(await cache.stats()) }, null, 2))
        return 0
      })
    },
  },

  createtable: {
    summary: "create the db cache table in DATABASE_URL if absent (Django's createcachetable) [--table name]",
    async run(args, config) {
      if (!config.databaseUrl) {
        process.stderr.write('createtable needs DATABASE_URL\n')
        return 2
      }
      const table = parseCommandArgs(args, { table: { type: 'string', default: 'cache_entries' } }).values.table
      const sql = createPgClient(config.databaseUrl, { max: 1, prepare: config.databasePrepare })
      try {
        await createCacheTable(sql, table)
        const [row] = await sql`select relpersistence = 'u' as unlogged from pg_class where oid = to_regclass(${table})`
        print(`cache table ${table} ready${row?.unlogged ? ' (unlogged)' : ''} in ${redactUrl(config.databaseUrl)}`)
        return 0
      } finally {
        await sql.end({ timeout: 1 })
      }
    },
  },

  clear: {
    summary: "delete this app's cache keys (CACHE_KEY_PREFIX and CACHE_VERSION only)",
    run: (_args, config) =>
      withCache(config, async (cache) => {
        await cache.clear()
        const s = await cache.stats()
        const note = s.active === 'memory' ? ' (memory is per process: nothing shared was cleared)' : ''
        print(`cleared ${config.cache.keyPrefix}:${config.cache.version}: on ${s.active}${note}`)
        return 0
      }),
  },

  bench: {
    summary: '1000 sets then 1000 gets on the configured backend: ops/s and p50/p99 [--n 1000]',
    run: (args, config) =>
      withCache(config, async (cache) => {
        const n = Number(parseCommandArgs(args, { n: { type: 'string', default: '1000' } }).values.n)
        if (!Number.isInteger(n) || n < 1) {
          process.stderr.write('--n must be a positive integer\n')
          return 2
        }
        // Own keys, deleted afterwards: the bench never clears the app's real cache entries.
        const base = `cli-bench:${crypto.randomUUID()}:`
        const value = { code: 'A.2.3.1.1', name: 'Pemasangan 1 m3 bekisting', price: 123456 }
        const keys = Array.from({ length: n }, (_, i) => base + i)
        try {
          const set = await timeSequential(n, (i) => cache.set(keys[i], value, 60))
          const get = await timeSequential(n, (i) => cache.get(keys[i]))
          const s = await cache.stats()
          print(`cache bench: backend=${s.backend} active=${s.active} n=${n}`)
          print('op   ops/s     p50 ms   p99 ms')
          for (const [op, r] of [['set', set], ['get', get]] as const) {
            print(`${op}  ${String(r.opsPerSec).padStart(8)}  ${r.p50.toFixed(3).padStart(7)}  ${r.p99.toFixed(3).padStart(7)}`)
          }
          return 0
        } finally {
          for (let i = 0; i < keys.length; i += 500) await cache.deleteMany(keys.slice(i, i + 500))
        }
      }),
  },
}
