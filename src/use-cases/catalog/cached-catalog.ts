import type { CachePort } from '../../ports/cache.js'
import type { CatalogStore, ItemQuery, SearchQuery } from '../../ports/catalog.js'
import { silentLogger, type Logger } from '../../ports/logger.js'
import { createAnswerMemo, type MemoEntry } from './answer-memo.js'
import { normaliseQuery } from './query-key.js'

/**
 * Catalog reads (search, job, sources) cached through the CachePort, invalidated by generation.
 *
 * Every cached answer is stored with the catalog generation it was computed at. The current generation
 * lives in the cache under one key (`catalog:generation`) with a short TTL and, durably, in the store.
 * A read compares the two: a successful import bumps the store's generation and writes it to the cache
 * (`invalidate()`), so every older answer is stale at once on every backend — no pattern deletes.
 *
 * Shared caches (Redis, db) carry the new generation to every instance immediately. A memory cache is per
 * instance: another instance's import reaches it when its cached generation expires (`generationTtl`,
 * default 5 s), after which it asks the store. The same short TTL bounds staleness if writing the new
 * generation after an import fails.
 *
 * Hit path: one cache round trip. A bounded in-process answer memo (`answer-memo.ts`) keeps recent answers with their
 * generation; when it holds the key, only the generation is read from the cache (one small value,
 * shared by concurrent requests) and compared. Otherwise the generation and the stored answer come in one
 * `getMany`. Concurrent misses of one key in one process compute once (single flight). A failing cache
 * never fails a read: the store answers.
 *
 * A failing store never fails a cached read (issue 10): when the cached generation has expired and the
 * store does not answer within `generationWaitMs` (or fails), the last generation this process saw stands
 * (and, after a failure, is used without asking for a second while the store is down); a process that
 * never saw one serves a shared cached answer as it is. Staleness is bounded by the outage: an import
 * needs the store, so none can happen meanwhile — except one another instance made just before, which a
 * memory cache learns of when the store answers again.
 */
export interface CachedCatalogOptions {
  store: CatalogStore
  cache: CachePort
  /** `FTS_CACHE_RESULTS`. When false every read goes to the store. */
  enabled: boolean
  /** `FTS_CACHE_TTL`, seconds. 0 disables caching. */
  ttl: number
  /** `FTS_MIN_QUERY_LENGTH`: shorter (normalised) queries answer no items without touching the store. */
  minQueryLength: number
  /** Seconds the cached generation is trusted before the store is asked again. Default 5. */
  generationTtl?: number
  /**
   * Ms a read waits for the store's generation when one is already known; past it (or when the store
   * fails) the last known generation stands, so cached answers outlive a store outage. Default 250.
   */
  generationWaitMs?: number
  /** Answers kept in process (0 = none). Default 500. */
  nearEntries?: number
  logger?: Logger
}

/** An answer as JSON text (what the HTTP layer sends as is) and whether it came from the cache. */
export interface CachedAnswer {
  hit: boolean
  json: string
  /** `json` as UTF-8, when the answer is large and the answer memo kept it encoded (sent as it is). */
  bytes?: Uint8Array
}

export interface CachedCatalog {
  /** `{query, total, page, limit, items, fuzzy?}`; `query` is the normalised query. */
  search(params: SearchQuery): Promise<CachedAnswer>
  /** `{query, total, page, limit, items: [{category, itemCode, description, unit, jobs}], fuzzy?}`. */
  searchItems(params: ItemQuery): Promise<CachedAnswer>
  /** The job with components, or `undefined` (404). Misses are cached too. */
  getJob(code: string, source?: string): Promise<CachedAnswer | undefined>
  /** `[{source, jobs}]`. */
  sources(): Promise<CachedAnswer>
  /** After an import changed the store: publish its generation so every cached answer is stale. */
  invalidate(): Promise<void>
  /** The current catalog generation (cached, else the store's): what answers derived from the catalog are stamped with. */
  generation(): Promise<number>
}

export const GENERATION_KEY = 'catalog:generation'
const NOT_FOUND = 'null'

export function createCachedCatalog(options: CachedCatalogOptions): CachedCatalog {
  const { store, cache } = options
  const enabled = options.enabled && options.ttl > 0
  const generationTtl = options.generationTtl ?? 5
  const generationWaitMs = options.generationWaitMs ?? 250
  /** The last generation seen (cache or store), and until when the store is taken as down. */
  let lastKnown: number | undefined
  let storeDownUntil = 0
  const logger = options.logger ?? silentLogger
  const memo = createAnswerMemo(options.nearEntries ?? 500, options.ttl)
  const flights = new Map<string, Promise<string>>()
  let generationFlight: { value: Promise<number>; epoch: number } | undefined
  /** Bumped by `invalidate()`: generation reads started before it are never joined after it. */
  let epoch = 0

  const cacheFailed = (op: string, err: unknown) =>
    logger.warn('catalog cache unavailable; serving from the store', { op, err: (err as Error).message })

  /** The durable generation, once per burst of concurrent callers; re-published to the cache. */
  function storeGeneration(): Promise<number> {
    if (generationFlight && generationFlight.epoch === epoch) return generationFlight.value
    const value = (async () => {
      const generation = await store.generation()
      lastKnown = generation
      // `add`, not `set`: never overwrite a newer generation an import published meanwhile.
      await cache.add(GENERATION_KEY, generation, generationTtl).catch((err) => cacheFailed('add', err))
      return generation
    })().finally(() => {
      if (generationFlight?.value === value) generationFlight = undefined
    })
    generationFlight = { value, epoch }
    value.catch(() => {
      storeDownUntil = Date.now() + 1000
    })
    return value
  }

  /** The store's generation; with one already known, at most `generationWaitMs` of waiting for it. */
  async function durableGeneration(): Promise<number> {
    const known = lastKnown
    if (known === undefined) return storeGeneration()
    if (Date.now() < storeDownUntil) return known
    let timer: ReturnType<typeof setTimeout> | undefined
    const waited = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(known), generationWaitMs)))
    try {
      return await Promise.race([storeGeneration(), waited])
    } catch (err) {
      logger.warn('catalog store unavailable; cached answers checked against the last known generation', {
        generation: known,
        err: (err as Error).message,
      })
      return known
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Concurrent requests share one in-flight read of the cached generation (one cache command for a burst
   * of hits instead of one each). A read issued before this instance's own `invalidate()` is never
   * joined; another instance's import can be missed only by a request that arrived during one round trip.
   */
  let generationRead: { value: Promise<number | undefined>; epoch: number } | undefined
  function cachedGeneration(): Promise<number | undefined> {
    if (generationRead && generationRead.epoch === epoch) return generationRead.value
    const value = cache.get<number>(GENERATION_KEY).finally(() => {
      if (generationRead?.value === value) generationRead = undefined
    })
    generationRead = { value, epoch }
    return value
  }

  async function currentGeneration(): Promise<number> {
    try {
      const generation = await cachedGeneration()
      if (typeof generation === 'number') return (lastKnown = generation)
    } catch (err) {
      cacheFailed('get', err)
    }
    return durableGeneration()
  }

  /** A cached value is `<generation>\n<json>`: the generation it was computed at, then the answer. */
  function decode(stored: unknown): MemoEntry | undefined {
    if (typeof stored !== 'string') return undefined
    const cut = stored.indexOf('\n')
    const generation = Number(stored.slice(0, cut))
    return cut > 0 && Number.isInteger(generation) ? { generation, json: stored.slice(cut + 1) } : undefined
  }

  /**
   * One cache round trip per read: when the answer memo holds the key, only the generation is fetched (a
   * small number, shared by concurrent requests); otherwise the generation and the stored answer come in
   * one `getMany`.
   */
  async function read(key: string, compute: () => Promise<unknown>): Promise<CachedAnswer> {
    if (!enabled) return { hit: false, json: JSON.stringify(await compute()) }
    const local = memo.get(key)
    let generation: number | undefined
    let shared: MemoEntry | undefined
    if (local) {
      generation = await currentGeneration()
      if (local.generation === generation) return { hit: true, json: local.json }
    } else {
      try {
        const [g, stored] = await cache.getMany([GENERATION_KEY, key])
        if (typeof g === 'number') generation = lastKnown = g
        shared = decode(stored)
      } catch (err) {
        cacheFailed('getMany', err)
      }
      if (generation === undefined) {
        try {
          generation = await durableGeneration()
        } catch (err) {
          // Never saw a generation and the store is down: a shared answer is better than a 503.
          if (shared) return { hit: true, json: shared.json }
          throw err
        }
      }
    }
    if (local && !shared) {
      // The memo's copy is from an older generation: another instance may have cached the new answer.
      try {
        shared = decode(await cache.get(key))
      } catch (err) {
        cacheFailed('get', err)
      }
    }
    if (shared && shared.generation === generation) {
      memo.set(key, shared)
      return { hit: true, json: shared.json }
    }
    const flightKey = `${generation}|${key}`
    let flight = flights.get(flightKey)
    if (!flight) {
      const g = generation
      flight = (async () => {
        const json = JSON.stringify(await compute())
        memo.set(key, { generation: g, json })
        await cache.set(key, `${g}\n${json}`, options.ttl).catch((err) => cacheFailed('set', err))
        return json
      })().finally(() => flights.delete(flightKey))
      flights.set(flightKey, flight)
    }
    return { hit: false, json: await flight }
  }

  return {
    async search(params) {
      const query = normaliseQuery(params.q)
      const source = params.source?.trim() || undefined
      const { category, page, limit } = params
      if ([...query].length < options.minQueryLength) {
        return { hit: false, json: JSON.stringify({ query, total: 0, page, limit, items: [] }) }
      }
      const within = params.in ?? 'name'
      // `in=name` keeps the key it always had, so answers cached before `in` existed stay valid.
      const key = `catalog:search:${JSON.stringify([query, source ?? '', category ?? '', page, limit, ...(within === 'name' ? [] : [within])])}`
      return read(key, async () => {
        const result = await store.search({ q: query, source, category, page, limit, in: within })
        return { query, total: result.total, page, limit, items: result.items, ...(result.fuzzy ? { fuzzy: true } : {}) }
      })
    },
    async searchItems(params) {
      const query = normaliseQuery(params.q)
      const { category, page, limit } = params
      if ([...query].length < options.minQueryLength) {
        return { hit: false, json: JSON.stringify({ query, total: 0, page, limit, items: [] }) }
      }
      const key = `catalog:items:${JSON.stringify([query, category ?? '', page, limit])}`
      return read(key, async () => {
        const result = await store.searchItems({ q: query, category, page, limit })
        return { query, total: result.total, page, limit, items: result.items, ...(result.fuzzy ? { fuzzy: true } : {}) }
      })
    },
    async getJob(code, source) {
      const c = code.trim()
      const s = source?.trim() || undefined
      const answer = await read(`catalog:job:${JSON.stringify([c, s ?? ''])}`, async () => (await store.getJob(c, s)) ?? null)
      return answer.json === NOT_FOUND ? undefined : answer
    },
    sources() {
      return read('catalog:sources', () => store.sources())
    },
    generation: currentGeneration,
    async invalidate() {
      epoch++
      const generation = await store.generation()
      lastKnown = generation
      try {
        await cache.set(GENERATION_KEY, generation, generationTtl)
      } catch (err) {
        // Readers then fall back to the store's generation when the cached one expires (generationTtl).
        cacheFailed('set', err)
        await cache.delete(GENERATION_KEY).catch(() => undefined)
      }
      epoch++
    },
  }
}
