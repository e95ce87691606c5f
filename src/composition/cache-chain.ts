import type { Config } from '../config.js'

/**
 * The cache chain as data: two tables a reader can check against docs/cache-redis-failover.md ("Choosing
 * the backend"), which prints both (test/cache-selection.test.ts compares them and runs each row).
 *
 * 1. `CHAINS`: `CACHE_BACKEND` and which URLs are set → the remote backends tried at start, in order
 *    (memory is always the last resort).
 * 2. `SHAPES`: which of those answered at start → the cache that is built. A remote down at start stays
 *    in place (marked `*`: it starts degraded, is probed every second and takes over once it answers).
 */

export type Remote = 'redis' | 'db'
export type Requested = Config['cache']['backend']

export interface ChainRow {
  backend: Requested
  /** `REDIS_URL` set; `'any'` = either. */
  redisUrl: boolean | 'any'
  /** `DATABASE_URL` set; `'any'` = either. */
  databaseUrl: boolean | 'any'
  /** Remote backends tried at start, in order. */
  tries: readonly Remote[]
  /** The requested backend has no URL: a failure at start (one WARN; with `CACHE_STRICT`, an error). */
  missing?: 'REDIS_URL' | 'DATABASE_URL'
  /** A backend of `tries` used only if it answers at start (not kept and probed when it does not). */
  onlyIfUp?: Remote
}

export const CHAINS: readonly ChainRow[] = [
  { backend: 'auto', redisUrl: false, databaseUrl: false, tries: [] },
  { backend: 'auto', redisUrl: true, databaseUrl: false, tries: ['redis'] },
  { backend: 'auto', redisUrl: false, databaseUrl: true, tries: ['db'] },
  { backend: 'auto', redisUrl: true, databaseUrl: true, tries: ['redis', 'db'] },
  { backend: 'redis', redisUrl: true, databaseUrl: false, tries: ['redis'] },
  { backend: 'redis', redisUrl: true, databaseUrl: true, tries: ['redis', 'db'] },
  { backend: 'redis', redisUrl: false, databaseUrl: false, tries: [], missing: 'REDIS_URL' },
  { backend: 'redis', redisUrl: false, databaseUrl: true, tries: ['db'], missing: 'REDIS_URL', onlyIfUp: 'db' },
  { backend: 'db', redisUrl: 'any', databaseUrl: true, tries: ['db'] },
  { backend: 'db', redisUrl: 'any', databaseUrl: false, tries: [], missing: 'DATABASE_URL' },
  { backend: 'memory', redisUrl: 'any', databaseUrl: 'any', tries: [] },
]

/** The row for a configuration (exactly one matches). */
export function chainFor(config: Pick<Config, 'redisUrl' | 'databaseUrl'> & { cache: Pick<Config['cache'], 'backend'> }): ChainRow {
  const matches = (want: boolean | 'any', url: string | undefined) => want === 'any' || want === Boolean(url)
  const row = CHAINS.find(
    (r) => r.backend === config.cache.backend && matches(r.redisUrl, config.redisUrl) && matches(r.databaseUrl, config.databaseUrl),
  )
  if (!row) throw new Error(`no cache chain for CACHE_BACKEND=${config.cache.backend}`)
  return row
}

/** A remote that answered at start (`up`) or not (`down`: starts degraded, probed, takes over once it answers). */
export interface Tier {
  remote: Remote
  up: boolean
}
export type Shape = 'memory' | Tier | { primary: Tier; fallback: Shape }

const up = (remote: Remote): Tier => ({ remote, up: true })
const down = (remote: Remote): Tier => ({ remote, up: false })
const failover = (primary: Tier, fallback: Shape): Shape => ({ primary, fallback })

/**
 * Keyed by the kept backends in order, `*` after one that did not answer at start. Every remote has a
 * fallback; the one serving at start always has memory behind it, except that a db that answered behind a
 * Redis that answered is used bare.
 */
export const SHAPES: Readonly<Record<string, Shape>> = {
  '': 'memory',
  redis: failover(up('redis'), 'memory'),
  'redis*': failover(down('redis'), 'memory'),
  db: failover(up('db'), 'memory'),
  'db*': failover(down('db'), 'memory'),
  'redis db': failover(up('redis'), up('db')),
  'redis db*': failover(up('redis'), failover(down('db'), 'memory')),
  'redis* db': failover(down('redis'), failover(up('db'), 'memory')),
  'redis* db*': failover(down('redis'), failover(down('db'), 'memory')),
}

/** The key of `SHAPES` for what answered at start; a backend the row uses `onlyIfUp` is left out when down. */
export function startState(row: ChainRow, answered: ReadonlySet<Remote>): string {
  return row.tries
    .filter((r) => answered.has(r) || row.onlyIfUp !== r)
    .map((r) => (answered.has(r) ? r : `${r}*`))
    .join(' ')
}

/** `failover(redis*→failover(db→memory))`: the notation of the docs' table (the cache's `name`, plus `*`). */
export function describeShape(shape: Shape): string {
  if (shape === 'memory') return 'memory'
  if ('remote' in shape) return shape.up ? shape.remote : `${shape.remote}*`
  return `failover(${describeShape(shape.primary)}→${describeShape(shape.fallback)})`
}
