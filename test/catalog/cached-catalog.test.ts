import { describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import type { CatalogStore, JobWithComponents } from '../../src/ports/catalog.js'
import { createCachedCatalog, GENERATION_KEY, type CachedCatalogOptions } from '../../src/use-cases/catalog/cached-catalog.js'
import { normaliseQuery } from '../../src/use-cases/catalog/query-key.js'
import { chaosCache } from '../helpers/chaos-cache.js'

const job = (code: string, name: string): JobWithComponents => ({
  source: 'AHSP 2025', code, name, unit: '', classification: '', subClassification: '',
  components: [{ category: 'TK', itemCode: 'TK-1', description: 'Pekerja', unit: 'OH', coefficient: '0.5' }],
})

/** Counts store calls, so tests can tell a cached answer from a computed one. */
function counting(store: CatalogStore) {
  const calls = { search: 0, getJob: 0, sources: 0, generation: 0 }
  const wrapped: CatalogStore = {
    ...store,
    search: (q) => (calls.search++, store.search(q)),
    getJob: (c, s) => (calls.getJob++, store.getJob(c, s)),
    sources: () => (calls.sources++, store.sources()),
    generation: () => (calls.generation++, store.generation()),
    upsertJobs: (j, p) => store.upsertJobs(j, p),
  }
  return { store: wrapped, calls }
}

function setup(overrides: Partial<CachedCatalogOptions> = {}) {
  const { store, calls } = counting(createMemoryCatalog({ jobs: [job('1.1', 'Galian tanah biasa'), job('1.2', 'Urugan pasir')] }))
  const cache = chaosCache(createMemoryCache())
  const catalog = createCachedCatalog({ store, cache, enabled: true, ttl: 60, minQueryLength: 2, ...overrides })
  return { store, calls, cache, catalog }
}

const params = (q: string) => ({ q, page: 1, limit: 20 })

describe('cached catalog', () => {
  it('MISS then HIT for the same normalised query; the store is asked once', async () => {
    const { catalog, calls } = setup()
    const first = await catalog.search(params('Galian'))
    const second = await catalog.search(params('  GALIAN  '))
    expect([first.hit, second.hit]).toEqual([false, true])
    expect(second.json).toBe(first.json)
    expect(JSON.parse(first.json)).toMatchObject({ query: 'galian', total: 1, page: 1, limit: 20, items: [{ code: '1.1' }] })
    expect(calls.search).toBe(1)
  })

  it('keys differ by every filter and by page', async () => {
    const { catalog, calls } = setup()
    await catalog.search(params('galian'))
    await catalog.search({ ...params('galian'), category: 'TK' })
    await catalog.search({ ...params('galian'), source: 'AHSP 2025' })
    await catalog.search({ ...params('galian'), page: 2 })
    await catalog.search({ ...params('galian'), in: 'components' })
    expect(calls.search).toBe(5)
    expect((await catalog.search({ ...params('galian'), in: 'name' })).hit).toBe(true)
  })

  it('item search is cached and made stale by an import like job search', async () => {
    const { catalog, store } = setup()
    const first = await catalog.searchItems(params('Pekerja'))
    expect(first.hit).toBe(false)
    expect(JSON.parse(first.json)).toEqual({
      query: 'pekerja', total: 1, page: 1, limit: 20,
      items: [{ category: 'TK', itemCode: 'TK-1', description: 'Pekerja', unit: 'OH', jobs: 2 }],
    })
    expect((await catalog.searchItems(params(' PEKERJA '))).hit).toBe(true)
    await store.upsertJobs([job('3.1', 'Galian batu')])
    await catalog.invalidate()
    const after = await catalog.searchItems(params('pekerja'))
    expect(after.hit).toBe(false)
    expect(JSON.parse(after.json).items[0].jobs).toBe(3)
  })

  it('an import that changed something makes every cached answer stale at once', async () => {
    const { catalog, store, calls } = setup()
    await catalog.search(params('galian'))
    await catalog.getJob('1.1')
    await catalog.sources()
    await store.upsertJobs([job('1.1', 'Galian tanah keras'), job('2.1', 'Galian batu')])
    await catalog.invalidate()
    const search = await catalog.search(params('galian'))
    const one = await catalog.getJob('1.1')
    const sources = await catalog.sources()
    expect([search.hit, one!.hit, sources.hit]).toEqual([false, false, false])
    expect(JSON.parse(search.json).total).toBe(2)
    expect(JSON.parse(one!.json).name).toBe('Galian tanah keras')
    expect(JSON.parse(sources.json)).toEqual([{ source: 'AHSP 2025', jobs: 3 }])
    expect(calls.search).toBe(2)
  })

  it('another instance sharing the cache sees the new generation at once (no near-cache staleness)', async () => {
    const { catalog, store, cache } = setup()
    const other = createCachedCatalog({ store, cache, enabled: true, ttl: 60, minQueryLength: 2 })
    await other.search(params('galian'))
    expect((await other.search(params('galian'))).hit).toBe(true)
    await store.upsertJobs([job('3.1', 'Galian pondasi')])
    await catalog.invalidate()
    const after = await other.search(params('galian'))
    expect(after.hit).toBe(false)
    expect(JSON.parse(after.json).total).toBe(2)
  })

  it('single flight: concurrent identical misses compute once', async () => {
    const { catalog, calls } = setup()
    const answers = await Promise.all(Array.from({ length: 20 }, () => catalog.search(params('urugan'))))
    expect(calls.search).toBe(1)
    expect(new Set(answers.map((a) => a.json)).size).toBe(1)
    expect(answers.every((a) => !a.hit)).toBe(true)
  })

  it('one cache round trip per read: getMany on a near miss, one generation read on a near hit', async () => {
    const { catalog, store, cache } = setup()
    const other = createCachedCatalog({ store, cache, enabled: true, ttl: 60, minQueryLength: 2 })
    await catalog.search(params('galian'))
    const calls = () => ({ get: cache.calls.get ?? 0, getMany: cache.calls.getMany ?? 0 })
    const before = calls()
    expect((await other.search(params('galian'))).hit).toBe(true)
    expect(calls()).toEqual({ get: before.get, getMany: before.getMany + 1 })
    expect((await other.search(params('galian'))).hit).toBe(true)
    expect(calls()).toEqual({ get: before.get + 1, getMany: before.getMany + 1 })
  })

  it('concurrent hits share one read of the cached generation; none is shared across an invalidate()', async () => {
    const { catalog, cache } = setup()
    await catalog.search(params('galian'))
    const before = cache.calls.get ?? 0
    const hits = await Promise.all(Array.from({ length: 20 }, () => catalog.search(params('galian'))))
    expect(hits.every((h) => h.hit)).toBe(true)
    expect((cache.calls.get ?? 0) - before).toBe(1)
    const pending = catalog.search(params('galian'))
    await catalog.invalidate()
    await pending
    const afterInvalidate = cache.calls.get ?? 0
    await catalog.search(params('galian'))
    expect((cache.calls.get ?? 0) - afterInvalidate).toBeGreaterThanOrEqual(1)
  })

  it('queries under the minimum length answer no items without touching the store or the cache', async () => {
    const { catalog, calls, cache } = setup()
    const answer = await catalog.search(params(' g '))
    expect(JSON.parse(answer.json)).toEqual({ query: 'g', total: 0, page: 1, limit: 20, items: [] })
    expect(calls.search + calls.generation).toBe(0)
    expect(cache.calls.get ?? 0).toBe(0)
  })

  it('a missing job is cached as a miss too and answers undefined', async () => {
    const { catalog, calls } = setup()
    expect(await catalog.getJob('9.9')).toBeUndefined()
    expect(await catalog.getJob('9.9')).toBeUndefined()
    expect(calls.getJob).toBe(1)
  })

  it('a failing cache never fails a read: the store answers', async () => {
    const { catalog, cache, calls } = setup()
    cache.alwaysThrow()
    const answer = await catalog.search(params('galian'))
    expect(JSON.parse(answer.json).total).toBe(1)
    expect(calls.generation).toBeGreaterThan(0)
    await expect(catalog.invalidate()).resolves.toBeUndefined()
  })

  it('disabled (FTS_CACHE_RESULTS=false or TTL 0): always the store, always MISS', async () => {
    for (const overrides of [{ enabled: false }, { ttl: 0 }]) {
      const { catalog, calls, cache } = setup(overrides)
      await catalog.search(params('galian'))
      const again = await catalog.search(params('galian'))
      expect(again.hit).toBe(false)
      expect(calls.search).toBe(2)
      expect(cache.calls.set ?? 0).toBe(0)
    }
  })

  it('the generation is cached with a short TTL and re-read from the store when it expires', async () => {
    let now = 1_000_000
    const { store, calls } = counting(createMemoryCatalog({ jobs: [job('1.1', 'Galian tanah biasa')] }))
    const cache = createMemoryCache({ now: () => now })
    const catalog = createCachedCatalog({ store, cache, enabled: true, ttl: 60, minQueryLength: 2, generationTtl: 5 })
    await catalog.search(params('galian'))
    expect(await cache.get(GENERATION_KEY)).toBe(0)
    expect(await cache.ttl(GENERATION_KEY)).toBe(5)
    now += 5_001
    expect(await cache.get(GENERATION_KEY)).toBeUndefined()
    const before = calls.generation
    expect((await catalog.search(params('galian'))).hit).toBe(true)
    expect(calls.generation).toBe(before + 1)
    expect(await cache.get(GENERATION_KEY)).toBe(0)
  })

  it('entries computed at an old generation are never served after a bump (even from another key order)', async () => {
    const { catalog, cache, store } = setup({ nearEntries: 0 })
    await catalog.search(params('galian'))
    await store.upsertJobs([job('4.1', 'Galian saluran')])
    await cache.set(GENERATION_KEY, await store.generation(), 5)
    const answer = await catalog.search(params('galian'))
    expect(answer.hit).toBe(false)
    expect(JSON.parse(answer.json).total).toBe(2)
  })
})

describe('normaliseQuery', () => {
  it('NFKC, control characters, whitespace runs, case', () => {
    expect(normaliseQuery('  Ｇａｌｉａｎ\u0000\t  TANAH\n')).toBe('galian tanah')
    expect(normaliseQuery('"Pasang  Bata" OR -beton')).toBe('"pasang bata" or -beton')
  })
  describe('a store outage (issue 10: cached answers must not die with PostgreSQL)', () => {
    /** A store whose generation() fails (down) or never answers (silent) once `broken` is set. */
    function breakable(mode: 'down' | 'silent') {
      const s = setup({ generationTtl: 0.05, nearEntries: 0 })
      let broken = false
      const inner = s.store.generation
      s.store.generation = () => (broken ? (mode === 'down' ? Promise.reject(new Error('database unavailable')) : new Promise(() => {})) : inner())
      return { ...s, breakNow: () => (broken = true) }
    }

    for (const mode of ['down', 'silent'] as const) {
      it(`${mode}: after the cached generation expired, a cached answer is still a HIT, within the wait bound`, async () => {
        const { catalog, breakNow } = breakable(mode)
        await catalog.search(params('galian'))
        breakNow()
        await new Promise((r) => setTimeout(r, 80))
        const started = performance.now()
        const again = await catalog.search(params('galian'))
        expect(again.hit).toBe(true)
        expect(performance.now() - started).toBeLessThan(400)
      })
    }

    it('a process that never saw a generation serves a shared cached answer rather than failing', async () => {
      const first = setup({ generationTtl: 0.05 })
      await first.catalog.search(params('galian'))
      await new Promise((r) => setTimeout(r, 80))
      const store: CatalogStore = { ...first.store, generation: () => Promise.reject(new Error('database unavailable')) }
      const fresh = createCachedCatalog({ store, cache: first.cache, enabled: true, ttl: 60, minQueryLength: 2 })
      expect((await fresh.search(params('galian'))).hit).toBe(true)
      await expect(fresh.search(params('urugan'))).rejects.toThrow()
    })
  })
})
