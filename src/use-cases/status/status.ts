/**
 * @module
 * The operators' status report behind the status page: cache backend and counters, request latency
 * percentiles by route, rate-limit rejections, sessions and catalog — since start and over the last
 * minute. Request figures are read back from the metrics registry's own exposition, so the page and
 * Prometheus never disagree.
 */
import type { CachePort } from '../../ports/cache.js'
import type { CatalogStore } from '../../ports/catalog.js'
import { histograms, parseExposition, quantile, type Buckets, type ParsedSample } from './exposition.js'

export interface StatusDeps {
  cache: Pick<CachePort, 'stats'>
  metrics: { render(): Promise<string> }
  sessions?: { countLive(): Promise<number> }
  catalog?: Pick<CatalogStore, 'sources' | 'generation'>
  /** ms since the epoch; tests move it. */
  now?: () => number
  /** Span of the "last minute" figures, ms (default 60 s). */
  windowMs?: number
  /** Bound on each dependency read, ms (default 2 s): a slow store leaves its figure out, never hangs the page. */
  readTimeoutMs?: number
}

export interface Percentiles {
  count: number
  p50Ms: number | null
  p95Ms: number | null
  p99Ms: number | null
}

export interface RouteLatency extends Percentiles {
  method: string
  route: string
  /** Over the window; null until the report has a baseline that old. */
  window: Percentiles | null
}

export interface StatusReport {
  generatedAt: string
  uptimeSeconds: number | null
  runtime: string | null
  cache: {
    backend: string
    active: string
    degraded: boolean
    hits: number
    misses: number
    hitRatio: number
    errors: number
    failovers: number
    recoveries: number
  } | null
  /** Per-process near cache in front of the shared one: not built yet. */
  nearCache: null
  requests: {
    total: number
    serverErrors: number
    window: { seconds: number; total: number; perSecond: number; serverErrors: number } | null
  }
  rateLimits: { rejections: Record<string, number>; windowRejections: Record<string, number> | null }
  latency: RouteLatency[]
  sessions: { active: number } | null
  catalog: { jobs: number; sources: number; generation: number } | null
  /** Figures that could not be read this time (a store down or slow), by name. */
  unavailable: string[]
}

interface Snapshot {
  at: number
  buckets: Map<string, Buckets>
  total: number
  serverErrors: number
  rejections: Record<string, number>
}

const SNAPSHOT_EVERY_MS = 5_000
const MAX_ROUTES = 40

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

const ms = (seconds: number) => (Number.isFinite(seconds) ? Math.round(seconds * 100_000) / 100 : null)

function percentiles(b: Buckets): Percentiles {
  return { count: b.counts[b.counts.length - 1] ?? 0, p50Ms: ms(quantile(0.5, b)), p95Ms: ms(quantile(0.95, b)), p99Ms: ms(quantile(0.99, b)) }
}

function minus(now: Buckets, then: Buckets | undefined): Buckets {
  return then ? { bounds: now.bounds, counts: now.counts.map((c, i) => c - (then.counts[i] ?? 0)) } : now
}

function sumBy(samples: readonly ParsedSample[], name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of samples) if (s.name === name) out[s.labels[label] ?? ''] = (out[s.labels[label] ?? ''] ?? 0) + s.value
  return out
}

export function createStatus(deps: StatusDeps) {
  const now = deps.now ?? Date.now
  const windowMs = deps.windowMs ?? 60_000
  const timeoutMs = deps.readTimeoutMs ?? 2_000
  const snapshots: Snapshot[] = []

  /** The oldest snapshot within the window (the figures "over the last minute" start there). */
  function baseline(at: number): Snapshot | undefined {
    while (snapshots.length && snapshots[0]!.at < at - windowMs) snapshots.shift()
    return snapshots[0]
  }

  async function report(): Promise<StatusReport> {
    const [text, stats, sessions, sources, generation] = await Promise.allSettled([
      withTimeout(deps.metrics.render(), timeoutMs),
      withTimeout(deps.cache.stats(), timeoutMs),
      deps.sessions ? withTimeout(deps.sessions.countLive(), timeoutMs) : Promise.reject(new Error('absent')),
      deps.catalog ? withTimeout(deps.catalog.sources(), timeoutMs) : Promise.reject(new Error('absent')),
      deps.catalog ? withTimeout(deps.catalog.generation(), timeoutMs) : Promise.reject(new Error('absent')),
    ])
    const at = now()
    const unavailable: string[] = []
    const samples = text.status === 'fulfilled' ? parseExposition(text.value) : (unavailable.push('metrics'), [])

    const requests = samples.filter((s) => s.name === 'http_requests_total')
    const total = requests.reduce((n, s) => n + s.value, 0)
    const serverErrors = requests.filter((s) => s.labels.status?.startsWith('5')).reduce((n, s) => n + s.value, 0)
    const rejections = sumBy(samples, 'rate_limit_rejections_total', 'policy')
    const series = histograms(samples, 'http_request_duration_seconds')
    const current: Snapshot = { at, total, serverErrors, rejections, buckets: new Map([...series].map(([k, h]) => [k, h.buckets])) }

    const base = baseline(at)
    const spanS = base ? (at - base.at) / 1000 : 0
    const windowed = base && spanS >= 1 ? base : undefined
    if (!snapshots.length || at - snapshots[snapshots.length - 1]!.at >= SNAPSHOT_EVERY_MS) snapshots.push(current)

    const latency: RouteLatency[] = [...series]
      .map(([key, h]) => ({
        method: h.labels.method ?? '',
        route: h.labels.route ?? '',
        ...percentiles(h.buckets),
        window: windowed ? percentiles(minus(h.buckets, windowed.buckets.get(key))) : null,
      }))
      .sort((a, b) => b.count - a.count)
      .slice(0, MAX_ROUTES)

    let cache: StatusReport['cache'] = null
    if (stats.status === 'fulfilled') {
      const s = stats.value
      const reads = s.hits + s.misses
      cache = {
        backend: s.backend,
        active: s.active,
        degraded: s.degraded,
        hits: s.hits,
        misses: s.misses,
        hitRatio: reads === 0 ? 0 : Math.round((s.hits / reads) * 10_000) / 10_000,
        errors: s.errors,
        failovers: s.failovers,
        recoveries: typeof s.recoveries === 'number' ? s.recoveries : 0,
      }
    } else unavailable.push('cache')
    if (deps.sessions && sessions.status === 'rejected') unavailable.push('sessions')
    if (deps.catalog && (sources.status === 'rejected' || generation.status === 'rejected')) unavailable.push('catalog')

    const started = samples.find((s) => s.name === 'process_start_time_seconds')?.value
    return {
      generatedAt: new Date(at).toISOString(),
      uptimeSeconds: started === undefined ? null : Math.max(0, Math.round(at / 1000 - started)),
      runtime: samples.find((s) => s.name === 'app_info')?.labels.runtime ?? null,
      cache,
      nearCache: null,
      requests: {
        total,
        serverErrors,
        window: windowed
          ? { seconds: Math.round(spanS), total: total - windowed.total, perSecond: Math.round(((total - windowed.total) / spanS) * 10) / 10, serverErrors: serverErrors - windowed.serverErrors }
          : null,
      },
      rateLimits: {
        rejections,
        windowRejections: windowed
          ? Object.fromEntries(Object.entries(rejections).map(([p, n]) => [p, n - (windowed.rejections[p] ?? 0)]))
          : null,
      },
      latency,
      sessions: sessions.status === 'fulfilled' ? { active: sessions.value } : null,
      catalog:
        sources.status === 'fulfilled' && generation.status === 'fulfilled'
          ? { jobs: sources.value.reduce((n, s) => n + s.jobs, 0), sources: sources.value.length, generation: generation.value }
          : null,
      unavailable,
    }
  }

  return { report }
}

export type Status = ReturnType<typeof createStatus>
