import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHAINS, SHAPES, describeShape, type ChainRow } from '../src/composition/cache-chain.js'
import { builtCaches } from './helpers/built-caches.js'
import { TEST_REDIS_URL } from './helpers/services.js'

/**
 * The two tables of `cache-chain.ts` are the ones docs/cache-redis-failover.md prints, and every row does
 * what it says on the real Redis and PostgreSQL (a dead URL for a backend that must not answer).
 */
const DEAD_REDIS = 'redis://127.0.0.1:1/0'
const DEAD_DB = 'postgres://postgres@127.0.0.1:1/postgres'

function docTable(marker: string): string[][] {
  const text = readFileSync(join(import.meta.dirname, '..', 'docs', 'cache-redis-failover.md'), 'utf8')
  const lines = text.slice(text.indexOf(`<!-- ${marker} -->`)).split('\n').slice(1)
  const table = lines.slice(0, lines.findIndex((l) => !l.startsWith('|')))
  return table.slice(2).map((l) => l.split('|').slice(1, -1).map((cell) => cell.trim()))
}

const flag = (v: boolean | 'any') => (v === 'any' ? 'any' : v ? 'set' : '–')
const name = (shapeKey: string) => describeShape(SHAPES[shapeKey]!).replaceAll('*', '')

describe('the cache chain tables', () => {
  it('docs print exactly the CHAINS table', () => {
    const notes = (r: ChainRow) =>
      [r.missing && `${r.missing} is not set`, r.onlyIfUp && `${r.onlyIfUp} only if it answers at start`].filter(Boolean).join('; ')
    expect(docTable('chains')).toEqual(
      CHAINS.map((r) => [r.backend, flag(r.redisUrl), flag(r.databaseUrl), r.tries.join(', ') || '–', notes(r)]),
    )
  })

  it('docs print exactly the SHAPES table', () => {
    expect(docTable('shapes')).toEqual(Object.entries(SHAPES).map(([key, shape]) => [key || '–', describeShape(shape)]))
  })
})

describe('createCacheFromConfig, row by row', () => {
  const suite = builtCaches('cachechain')
  const { build } = suite

  // Both servers answering; a URL of 'any' is given (it must make no difference).
  it.each(CHAINS.map((r) => [`${r.backend} ${flag(r.redisUrl)}/${flag(r.databaseUrl)}`, r] as const))('CHAINS %s', async (_, row) => {
    const cache = await build({
      CACHE_BACKEND: row.backend,
      REDIS_URL: row.redisUrl === false ? undefined : TEST_REDIS_URL,
      DATABASE_URL: row.databaseUrl === false ? undefined : suite.db().url,
    })
    expect(cache.name).toBe(name(row.tries.join(' ')))
    if (row.missing) {
      expect(suite.logger().at('warn')).toHaveLength(1)
      expect(suite.logger().text()).toContain(`${row.missing} is not set`)
    } else expect(suite.logger().at('warn')).toEqual([])
    await cache.set('k', 'v')
    expect(await cache.get('k')).toBe('v')
  })

  it('CHAINS redis –/set with the database down: memory, the database is not kept (onlyIfUp)', async () => {
    const cache = await build({ CACHE_BACKEND: 'redis', DATABASE_URL: DEAD_DB })
    expect(cache.name).toBe('memory')
    expect(suite.logger().at('warn')).toHaveLength(1)
    expect(suite.logger().at('warn')[0]!.fields.reasons).toHaveLength(2)
  })

  it.each(Object.keys(SHAPES).map((key) => [key || '–', key] as const))('SHAPES %s', async (_, key) => {
    const tiers = key ? key.split(' ') : []
    const url = (remote: string, live: string, dead: string) =>
      tiers.includes(remote) ? live : tiers.includes(`${remote}*`) ? dead : undefined
    const cache = await build({ REDIS_URL: url('redis', TEST_REDIS_URL, DEAD_REDIS), DATABASE_URL: url('db', suite.db().url, DEAD_DB) })
    expect(cache.name).toBe(name(key))
    const serving = tiers.find((t) => !t.endsWith('*')) ?? 'memory'
    const stats = await cache.stats()
    expect(stats.active).toBe(serving)
    expect(stats.degraded).toBe(tiers[0]?.endsWith('*') ?? false)
    // One WARN when something did not answer at start, none otherwise.
    expect(suite.logger().at('warn')).toHaveLength(key.includes('*') ? 1 : 0)
    await cache.set('k', 'v')
    expect(await cache.get('k')).toBe('v')
  })
})
