import type { CachePort } from '../../ports/cache.js'
import { sha256HexLarge } from '../../domain/sha256.js'
import { createAnswerMemo } from '../catalog/answer-memo.js'

/**
 * The raw-request memo of estimates: the digest of a request as it arrived (the default percentages, its
 * content type, query string and body text) → the list it names and the cache key of its normalised form.
 * Parsing, validating and normalising 5,000 lines costs far more than looking up their cached answer;
 * with the memo a repeated request skips all three.
 *
 * The memo never goes stale: normalising depends on the request and the defaults alone (both in the
 * digest), not on the catalog or the prices. What it points to is the stamped answer of the slow path,
 * served only while its stamp (catalog generation, list version) is current — one answer, one staleness
 * rule. An entry is written only after its request validated and was answered, so a malformed body,
 * which never has one, still gets its 400/422 from the slow path.
 */
export interface RawEstimate {
  /** The body's bytes: digested as they are, so nothing is decoded or parsed on the way to a hit. */
  body: Uint8Array
  /** The Content-Type header as sent ('' when absent). */
  contentType: string
  /** The query string with its `?` ('' when none). */
  query: string
}

export interface EstimateTarget {
  list: string
  key: string
}

const utf8 = new TextEncoder()

export function createRawEstimateMemo(options: {
  cache: CachePort
  ttl: number
  defaults: { overheadPercent: string; taxPercent: string }
  cacheFailed(op: string, err: unknown): void
}) {
  const { cache, ttl, defaults, cacheFailed } = options
  const memo = createAnswerMemo(1024, Math.max(ttl, 1), { maxChars: 1_000_000 })
  const decode = (text: unknown): EstimateTarget | undefined => {
    if (typeof text !== 'string') return undefined
    const nl = text.indexOf('\n')
    return nl > 0 ? { list: text.slice(0, nl), key: text.slice(nl + 1) } : undefined
  }
  return {
    /** Newlines cannot occur in a header value or a URL, nor in the defaults (decimal text): the join is unambiguous. */
    async key(raw: RawEstimate): Promise<string> {
      const head = utf8.encode(`${defaults.overheadPercent}\n${defaults.taxPercent}\n${raw.contentType}\n${raw.query}\n`)
      const all = new Uint8Array(head.byteLength + raw.body.byteLength)
      all.set(head)
      all.set(raw.body, head.byteLength)
      return `prices:estimate-raw:${await sha256HexLarge(all)}`
    },

    async get(rawKey: string): Promise<EstimateTarget | undefined> {
      const local = decode(memo.get(rawKey)?.json)
      if (local) return local
      const shared = decode(await cache.get(rawKey).catch((err) => cacheFailed('get', err)))
      if (shared) memo.set(rawKey, { generation: 0, json: `${shared.list}\n${shared.key}` })
      return shared
    },

    async set(rawKey: string, target: EstimateTarget): Promise<void> {
      if (ttl <= 0) return
      const text = `${target.list}\n${target.key}`
      if (memo.get(rawKey)?.json === text) return
      memo.set(rawKey, { generation: 0, json: text })
      await cache.set(rawKey, text, ttl).catch((err) => cacheFailed('set', err))
    },
  }
}

export type RawEstimateMemo = ReturnType<typeof createRawEstimateMemo>
