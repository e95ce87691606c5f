import { createRoute, z } from '@hono/zod-openapi'
import type { CachePort } from '../../ports/cache.js'
import { createRouter } from '../router.js'

/** A dependency `/ready` checks; `required` ones turn the answer into 503 when they fail. */
export interface ReadinessCheck {
  name: string
  required: boolean
  /** Resolves with latency in ms; rejects when the dependency does not answer. */
  ping(): Promise<number>
}

export interface OpsDeps {
  cache: CachePort
  /** Other dependencies (the database when configured). */
  checks: ReadinessCheck[]
  /** Bound for each readiness probe, ms. */
  probeTimeoutMs?: number
}

const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health')
const CheckSchema = z
  .object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() })
  .passthrough()
const ReadySchema = z
  .object({ status: z.enum(['ok', 'degraded', 'down']), checks: z.record(z.string(), CheckSchema) })
  .openapi('Readiness')

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Liveness: answers without touching any dependency',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } } },
})

const readyRoute = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['operations'],
  summary: 'Readiness: every configured dependency answers (cache on its fallback = degraded)',
  responses: {
    200: { description: 'Ready (ok or degraded)', content: { 'application/json': { schema: ReadySchema } } },
    503: { description: 'A required dependency is down', content: { 'application/json': { schema: ReadySchema } } },
  },
})

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

export function createOpsRoutes(deps: OpsDeps) {
  const timeoutMs = deps.probeTimeoutMs ?? 2000
  return createRouter()
    .openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyRoute, async (c) => {
      const checks: Record<string, z.infer<typeof CheckSchema>> = {}
      let status: 'ok' | 'degraded' | 'down' = 'ok'
      const [cacheResult, stats, ...others] = await Promise.allSettled([
        withTimeout(deps.cache.ping(), timeoutMs),
        withTimeout(deps.cache.stats(), timeoutMs),
        ...deps.checks.map((ch) => withTimeout(ch.ping(), timeoutMs)),
      ])
      const s = stats.status === 'fulfilled' ? (stats.value as Awaited<ReturnType<CachePort['stats']>>) : undefined
      checks.cache = {
        backend: s?.backend ?? deps.cache.name,
        active: s?.active ?? deps.cache.name,
        ok: cacheResult.status === 'fulfilled',
        ...(cacheResult.status === 'fulfilled' ? { latencyMs: round(cacheResult.value as number) } : { error: 'cache did not answer' }),
      }
      if (s?.degraded || cacheResult.status === 'rejected') status = 'degraded'
      let down = false
      deps.checks.forEach((ch, i) => {
        const r = others[i]!
        checks[ch.name] = r.status === 'fulfilled' ? { ok: true, latencyMs: round(r.value as number) } : { ok: false, error: `${ch.name} did not answer` }
        if (r.status === 'rejected') {
          if (ch.required) down = true
          else status = 'degraded'
        }
      })
      if (down) return c.json({ status: 'down' as const, checks }, 503)
      return c.json({ status, checks }, 200)
    })
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
