/**
 * @module
 * Reads back the Prometheus text exposition the metrics registry renders, so the status page shows the
 * very figures Prometheus scrapes (no second set of counters to drift from them).
 */

export interface ParsedSample {
  name: string
  labels: Record<string, string>
  value: number
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

function unescape(v: string): string {
  return v.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch))
}

function parseValue(v: string): number {
  if (v === '+Inf') return Infinity
  if (v === '-Inf') return -Infinity
  return Number(v)
}

/** Every sample line of `text` (comments skipped). */
export function parseExposition(text: string): ParsedSample[] {
  const out: ParsedSample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = SAMPLE.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = unescape(l[2]!)
    out.push({ name: m[1]!, labels, value: parseValue(m[3]!) })
  }
  return out
}

/** Cumulative histogram buckets of one series, ascending by bound (the last one `+Inf`). */
export interface Buckets {
  bounds: number[]
  counts: number[]
}

/**
 * The `q`-quantile (0–1) of a histogram, interpolated linearly inside the bucket it falls in, as
 * PromQL's `histogram_quantile` does; the highest finite bound when it falls in `+Inf`; NaN when empty.
 */
export function quantile(q: number, { bounds, counts }: Buckets): number {
  const total = counts[counts.length - 1] ?? 0
  if (total <= 0) return NaN
  const rank = q * total
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i]! >= rank) {
      const upper = bounds[i]!
      const lower = i === 0 ? 0 : bounds[i - 1]!
      if (upper === Infinity) return lower
      const below = i === 0 ? 0 : counts[i - 1]!
      const inBucket = counts[i]! - below
      return inBucket === 0 ? upper : lower + (upper - lower) * ((rank - below) / inBucket)
    }
  }
  return bounds[bounds.length - 2] ?? NaN
}

/** `name_bucket` samples grouped by their labels other than `le` (key: those labels as JSON). */
export function histograms(samples: readonly ParsedSample[], name: string): Map<string, { labels: Record<string, string>; buckets: Buckets }> {
  const out = new Map<string, { labels: Record<string, string>; points: [number, number][] }>()
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue
    const { le, ...labels } = s.labels
    if (le === undefined) continue
    const key = JSON.stringify(labels)
    let h = out.get(key)
    if (!h) out.set(key, (h = { labels, points: [] }))
    h.points.push([parseValue(le), s.value])
  }
  return new Map(
    [...out].map(([k, h]) => {
      h.points.sort((a, b) => a[0] - b[0])
      return [k, { labels: h.labels, buckets: { bounds: h.points.map((p) => p[0]), counts: h.points.map((p) => p[1]) } }]
    }),
  )
}
