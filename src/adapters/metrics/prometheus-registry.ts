/**
 * @module
 * An in-process metrics registry rendering the Prometheus text exposition format (version 0.0.4).
 * One per container: two app instances in one process (tests) never mix their counts.
 *
 * @example
 * const metrics = createMetricsRegistry()
 * const rejected = metrics.counter('rate_limit_rejections_total', 'Requests refused', ['policy'])
 * rejected.inc({ policy: 'login' })
 * await metrics.render() // '# HELP rate_limit_rejections_total ...'
 */
import type { Counter, Gauge, Histogram, Labels, MetricsPort, MetricsRegistry, Sample } from '../../ports/metrics.js'

export const DEFAULT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return '+Inf'
  if (n === -Infinity) return '-Inf'
  return String(n)
}

/** `{a="x",b="y"}`, or '' without labels. Label order follows `names` so series keys are stable. */
function labelText(names: readonly string[], labels: Labels | undefined, extra?: [string, string]): string {
  const parts = names.map((n) => `${n}="${escapeLabel(String(labels?.[n] ?? ''))}"`)
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`)
  return parts.length ? `{${parts.join(',')}}` : ''
}

/** Distinct label sets memoised per metric; beyond this, keys are built each time (nothing grows unbounded). */
const MAX_MEMOISED_SERIES = 10_000

/**
 * `labelText` memoised by the label values (one nested Map level per label, so no value can collide
 * with another): the per-request `inc`/`observe` skips escaping and joining.
 */
function seriesKeyOf(names: readonly string[]): (labels: Labels | undefined) => string {
  if (names.length === 0) return () => ''
  const root = new Map<unknown, unknown>()
  let size = 0
  return (labels) => {
    let level = root
    for (let i = 0; i < names.length - 1; i++) {
      const v = labels?.[names[i]!]
      let next = level.get(v) as Map<unknown, unknown> | undefined
      if (next === undefined) {
        if (size >= MAX_MEMOISED_SERIES) return labelText(names, labels)
        level.set(v, (next = new Map()))
      }
      level = next
    }
    const last = labels?.[names[names.length - 1]!]
    let key = level.get(last) as string | undefined
    if (key === undefined) {
      key = labelText(names, labels)
      if (size < MAX_MEMOISED_SERIES) {
        level.set(last, key)
        size++
      }
    }
    return key
  }
}

interface Metric {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram'
  lines(): Promise<string[]>
}

function checkNames(name: string, labelNames: readonly string[]): void {
  if (!NAME.test(name)) throw new TypeError(`invalid metric name "${name}"`)
  for (const l of labelNames) {
    if (!LABEL.test(l) || l === 'le') throw new TypeError(`invalid label name "${l}" for ${name}`)
  }
}

function createSeriesMetric(name: string, help: string, type: 'counter' | 'gauge', labelNames: readonly string[]) {
  const series = new Map<string, number>()
  const key = seriesKeyOf(labelNames)
  const add = (labels: Labels | undefined, value: number) => {
    const k = key(labels)
    series.set(k, (series.get(k) ?? 0) + value)
  }
  const metric: Metric = {
    name,
    help,
    type,
    async lines() {
      return [...series].map(([k, v]) => `${name}${k} ${formatValue(v)}`)
    },
  }
  const counter: Counter & Gauge = {
    inc(labels, value = 1) {
      if (type === 'counter' && !(value >= 0)) throw new RangeError(`counter ${name} can only increase`)
      add(labels, value)
    },
    dec(labels, value = 1) {
      add(labels, -value)
    },
    set(labels, value) {
      series.set(key(labels), value)
    },
  }
  return { metric, handle: counter }
}

function createHistogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
  const bounds = [...buckets].sort((a, b) => a - b)
  const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>()
  const metric: Metric = {
    name,
    help,
    type: 'histogram',
    async lines() {
      const out: string[] = []
      for (const s of series.values()) {
        let cumulative = 0
        bounds.forEach((b, i) => {
          cumulative += s.counts[i]!
          out.push(`${name}_bucket${labelText(labelNames, s.labels, ['le', formatValue(b)])} ${cumulative}`)
        })
        out.push(`${name}_bucket${labelText(labelNames, s.labels, ['le', '+Inf'])} ${s.count}`)
        out.push(`${name}_sum${labelText(labelNames, s.labels)} ${formatValue(s.sum)}`)
        out.push(`${name}_count${labelText(labelNames, s.labels)} ${s.count}`)
      }
      return out
    },
  }
  const keyOf = seriesKeyOf(labelNames)
  const handle: Histogram = {
    observe(labels, value) {
      const k = keyOf(labels)
      let s = series.get(k)
      if (!s) series.set(k, (s = { labels: { ...labels }, counts: bounds.map(() => 0), sum: 0, count: 0 }))
      const i = bounds.findIndex((b) => value <= b)
      if (i >= 0) s.counts[i]!++
      s.sum += value
      s.count++
    },
  }
  return { metric, handle }
}

export function createMetricsRegistry(): MetricsRegistry {
  const metrics = new Map<string, { metric: Metric; handle: unknown }>()

  function register<H>(name: string, type: Metric['type'], make: () => { metric: Metric; handle: H }): H {
    const existing = metrics.get(name)
    if (existing) {
      if (existing.metric.type !== type) throw new TypeError(`metric ${name} already registered as ${existing.metric.type}`)
      return existing.handle as H
    }
    const created = make()
    metrics.set(name, created)
    return created.handle
  }

  return {
    counter(name, help, labelNames = []) {
      checkNames(name, labelNames)
      return register<Counter>(name, 'counter', () => createSeriesMetric(name, help, 'counter', labelNames))
    },
    gauge(name, help, labelNames = []) {
      checkNames(name, labelNames)
      return register<Gauge>(name, 'gauge', () => createSeriesMetric(name, help, 'gauge', labelNames))
    },
    histogram(name, help, labelNames = [], buckets = DEFAULT_BUCKETS) {
      checkNames(name, labelNames)
      return register<Histogram>(name, 'histogram', () => createHistogram(name, help, labelNames, buckets))
    },
    collect(name, help, type, read) {
      if (!NAME.test(name)) throw new TypeError(`invalid metric name "${name}"`)
      register<undefined>(name, type, () => ({
        handle: undefined,
        metric: {
          name,
          help,
          type,
          async lines() {
            const samples: readonly Sample[] = await read()
            return samples.map((s) => `${name}${labelText(Object.keys(s.labels), s.labels)} ${formatValue(s.value)}`)
          },
        },
      }))
    },
    async render() {
      const blocks = await Promise.all(
        [...metrics.values()].map(async ({ metric }) => {
          let lines: string[]
          try {
            lines = await metric.lines()
          } catch {
            // A collector whose source is down (cache unreachable) must not break the whole scrape.
            return ''
          }
          return [`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`, ...lines].join('\n') + '\n'
        }),
      )
      return blocks.join('')
    },
  }
}

/** A registry that records nothing, for tests and tools that do not scrape. */
export const noopMetrics: MetricsPort = {
  counter: () => ({ inc() {} }),
  gauge: () => ({ inc() {}, dec() {}, set() {} }),
  histogram: () => ({ observe() {} }),
  collect() {},
}
