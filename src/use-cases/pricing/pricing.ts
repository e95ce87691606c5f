import { NotFoundError, UnprocessableError } from '../../domain/errors.js'
import { jobKey } from '../../domain/catalog/job-key.js'
import { sha256HexLarge } from '../../domain/sha256.js'
import type { CachePort } from '../../ports/cache.js'
import type { CatalogStore, JobWithComponents } from '../../ports/catalog.js'
import { silentLogger, type Logger } from '../../ports/logger.js'
import type { PriceListStore } from '../../ports/prices.js'
import { GENERATION_KEY, type CachedAnswer } from '../catalog/cached-catalog.js'
import { createAnswerMemo } from '../catalog/answer-memo.js'
import { dec } from '../import/decimal.js'
import { estimateOf, priceJob, unitPriceOf, type PricedEstimateLine } from './compute.js'
import { normaliseEstimate, percent, type EstimateRequest, type NormalisedEstimate } from './estimate-request.js'
import { checkListName } from './import-prices.js'
import { createPriceIndex, type PriceIndex } from './item-key.js'
import { createRawEstimateMemo, type RawEstimate } from './raw-estimates.js'

/**
 * Job unit prices and estimates, cached through the CachePort under the inputs they depend on.
 *
 * A cached answer is stored as `<stamp>\n<json>` where the stamp is `<catalog generation>:<list version>`
 * (the overhead, tax and lines are part of the key). A read fetches the generation, the list's version
 * and the answer in one `getMany` and serves the answer only when its stamp is current. An import bumps
 * the generation, a price-list replace or delete gives the list a new version (never reused), and both
 * are published in the shared cache at once (`catalog:generation`, `prices:version:<list>`), so every
 * instance on that cache sees its stale answers as stale on its next read — no pattern deletes. Published
 * values have a short TTL (5 s): after it, readers ask the stores (which bounds staleness on per-instance
 * memory caches and when publishing fails). Concurrent misses of one key compute once (single flight).
 * A failing cache never fails a read: the stores answer. A repeated estimate request is found before it
 * is parsed, through the raw-request memo (`raw-estimates.ts`), which leads to the same stamped answer.
 */
export interface PricingOptions {
  catalog: CatalogStore
  /** The catalog generation as the cached catalog sees it (`CachedCatalog.generation`). */
  catalogGeneration(): Promise<number>
  prices: PriceListStore
  cache: CachePort
  /** Seconds answers are kept (`FTS_CACHE_TTL`); 0 disables caching. */
  ttl: number
  /** `PRICE_OVERHEAD_PERCENT` and `PRICE_TAX_PERCENT` as decimal text. */
  overheadPercent: string
  taxPercent: string
  versionTtl?: number
  logger?: Logger
}

export const versionKey = (list: string) => `prices:version:${list}`

export function createPricing(options: PricingOptions) {
  const { cache, prices, catalog } = options
  const versionTtl = options.versionTtl ?? 5
  const logger = options.logger ?? silentLogger
  const flights = new Map<string, Promise<{ json: string; bytes?: Uint8Array }>>()
  const memo = createAnswerMemo(64, Math.max(options.ttl, 1), { maxChars: 32_000_000 })
  let listMemo = new Map<string, { version: number; index: PriceIndex }>()
  const cacheFailed = (op: string, err: unknown) => logger.warn('pricing cache unavailable; computing from the stores', { op, err: (err as Error).message })
  const rawMemo = createRawEstimateMemo({ cache, ttl: options.ttl, defaults: options, cacheFailed })

  /**
   * Versions this instance could not publish (cache down), retried on each read of the list until one
   * succeeds. Other instances see the change when the published version they hold expires (`versionTtl`).
   */
  const unpublished = new Map<string, number>()
  async function publish(list: string, version: number): Promise<void> {
    try {
      await cache.set(versionKey(list), version, versionTtl)
      if (unpublished.get(list) === version) unpublished.delete(list)
    } catch (err) {
      cacheFailed('set', err)
      unpublished.set(list, version)
      await cache.delete(versionKey(list)).catch(() => undefined)
    }
  }

  async function durableVersion(list: string): Promise<number> {
    const version = await prices.version(list)
    await cache.add(versionKey(list), version, versionTtl).catch((err) => cacheFailed('add', err))
    return version
  }

  /** The list's prices as of `version` or newer, loaded once per version. */
  async function priceIndex(list: string, version: number): Promise<PriceIndex> {
    const memo = listMemo.get(list)
    if (memo && memo.version >= version) return memo.index
    const loaded = await prices.get(list)
    if (!loaded) throw new NotFoundError(`No price list "${list}"`)
    const index = createPriceIndex(loaded.items)
    if (listMemo.size > 100) listMemo = new Map()
    listMemo.set(list, { version: loaded.version, index })
    return index
  }

  const utf8 = new TextEncoder()
  /** An estimate's answer (up to ~1 MB) is kept encoded too: writing it as a string cost ~10 ms of a cached request. */
  const entry = (stamp: string, json: string, encoded: boolean) => (encoded ? { generation: stamp, json, bytes: utf8.encode(json) } : { generation: stamp, json })

  /** The key's answer when its stamp is current (`answer`), else the stamp and version to compute it at. */
  async function lookup(key: string, list: string, encoded: boolean): Promise<{ stamp: string; version: number; answer?: CachedAnswer }> {
    let g: unknown, v: unknown, stored: unknown
    const local = memo.get(key)
    try {
      ;[g, v, stored] = await cache.getMany(local ? [GENERATION_KEY, versionKey(list)] : [GENERATION_KEY, versionKey(list), key])
    } catch (err) {
      cacheFailed('getMany', err)
    }
    const generation = typeof g === 'number' ? g : await options.catalogGeneration()
    let version = typeof v === 'number' ? v : await durableVersion(list)
    const pending = unpublished.get(list)
    if (pending !== undefined) {
      // This instance changed the list while the cache was down: never serve what it replaced.
      if (pending === 0 || pending > version) version = pending
      void publish(list, pending)
    }
    if (version === 0) throw new NotFoundError(`No price list "${list}"`)
    const stamp = `${generation}:${version}`
    if (local?.generation === stamp) return { stamp, version, answer: { hit: true, json: local.json, bytes: local.bytes } }
    if (local) {
      // The memo's copy is stale: another instance may already have cached the current answer.
      stored = await cache.get(key).catch((err) => cacheFailed('get', err))
    }
    if (typeof stored === 'string' && stored.startsWith(`${stamp}\n`)) {
      const e = entry(stamp, stored.slice(stamp.length + 1), encoded)
      memo.set(key, e)
      return { stamp, version, answer: { hit: true, json: e.json, bytes: e.bytes } }
    }
    return { stamp, version }
  }

  async function stamped(key: string, list: string, compute: (version: number) => Promise<unknown>, encoded = false): Promise<CachedAnswer> {
    const { stamp, version, answer } = await lookup(key, list, encoded)
    if (answer) return answer
    const flightKey = `${stamp}|${key}`
    let flight = flights.get(flightKey)
    if (!flight) {
      flight = (async () => {
        const e = entry(stamp, JSON.stringify(await compute(version)), encoded)
        if (options.ttl > 0) {
          memo.set(key, e)
          await cache.set(key, `${stamp}\n${e.json}`, options.ttl).catch((err) => cacheFailed('set', err))
        }
        return e
      })().finally(() => flights.delete(flightKey))
      flights.set(flightKey, flight)
    }
    const { json, bytes } = await flight
    return { hit: false, json, bytes }
  }

  /** The jobs an estimate's lines name, by `jobKey(source ?? '', code)`; one `getJobs` for all of them. */
  async function jobsOf(refs: readonly { code: string; source?: string }[]): Promise<Map<string, JobWithComponents | undefined>> {
    const wanted = new Map<string, { code: string; source?: string }>()
    for (const { code, source } of refs) wanted.set(jobKey(source ?? '', code), source ? { code, source } : { code })
    const found = await catalog.getJobs([...wanted.values()])
    return new Map([...wanted.keys()].map((k, i) => [k, found[i]]))
  }

  function computeEstimate(key: string, req: NormalisedEstimate): Promise<CachedAnswer> {
    return stamped(key, req.list, async (version) => {
      const [index, jobs] = await Promise.all([priceIndex(req.list, version), jobsOf(req.lines)])
      const overhead = dec(req.overheadPercent)
      const units = new Map<JobWithComponents, ReturnType<typeof unitPriceOf>>()
      const errors: { line: number; message: string }[] = []
      const lines: PricedEstimateLine[] = []
      req.lines.forEach((l, i) => {
        const job = jobs.get(jobKey(l.source ?? '', l.code))
        if (!job) return errors.push({ line: i + 1, message: `no AHSP job with code "${l.code}"${l.source ? ` in ${l.source}` : ''}` })
        let unit = units.get(job)
        if (!unit) units.set(job, (unit = unitPriceOf(job, index, overhead)))
        lines.push({ job, volume: l.volume, unitPrice: unit.unitPrice, missing: unit.missing })
      })
      if (errors.length > 0) throw new UnprocessableError(`${errors.length} line(s) name unknown jobs`, errors)
      return estimateOf(req.list, lines, req, req.warnings)
    }, true)
  }

  return {
    /** `undefined` when there is no such job (404); `NotFoundError` for an unknown list. */
    async jobPrice(params: { code: string; source?: string; list: string; overhead?: string }): Promise<CachedAnswer | undefined> {
      const list = checkListName(params.list)
      const warnings: string[] = []
      const overheadPercent = percent('overhead', params.overhead ?? options.overheadPercent, warnings, 15)
      const code = params.code.trim()
      const source = params.source?.trim() || undefined
      const key = `prices:job:${JSON.stringify([list, code, source ?? '', overheadPercent])}`
      const answer = await stamped(key, list, async (version) => {
        const job = await catalog.getJob(code, source)
        return job ? priceJob(job, list, await priceIndex(list, version), overheadPercent, warnings) : null
      })
      return answer.json === 'null' ? undefined : answer
    },

    /**
     * The cached estimate of a request as it arrived, before it is parsed: `answer` only when a request
     * byte-for-byte the same (body, content type, query) was answered before and its answer is current;
     * otherwise `rawKey`, to hand to `estimate` once the request has been validated.
     */
    async cachedEstimate(raw: RawEstimate): Promise<{ answer?: CachedAnswer; rawKey: string }> {
      const rawKey = await rawMemo.key(raw)
      const target = options.ttl > 0 ? await rawMemo.get(rawKey) : undefined
      if (!target) return { rawKey }
      const found = await lookup(target.key, target.list, true).catch((err: unknown) => {
        if (err instanceof NotFoundError) return undefined // the slow path answers the 404
        throw err
      })
      return { answer: found?.answer, rawKey }
    },

    /**
     * The estimate (RAB); 422 naming the lines with unknown codes; `NotFoundError` for an unknown list.
     * `rawKey` (from `cachedEstimate`, for this very request) is remembered once the answer stands.
     */
    async estimate(request: EstimateRequest, rawKey?: string): Promise<CachedAnswer> {
      checkListName(request.list)
      const req = normaliseEstimate(request, options)
      const key = `prices:estimate:${await sha256HexLarge(JSON.stringify(req))}`
      const answer = await computeEstimate(key, req)
      if (rawKey) await rawMemo.set(rawKey, { list: req.list, key })
      return answer
    },

    /** After a list was replaced (`version` > 0) or deleted (0): publish its version so cached prices are stale. */
    async listChanged(list: string, version: number): Promise<void> {
      listMemo.delete(list)
      await publish(list, version)
    },
  }
}

export type Pricing = ReturnType<typeof createPricing>
