/**
 * Metrics port: counters, gauges and histograms with labels, rendered by the registry in the
 * Prometheus text exposition format (`GET /metrics`). Web APIs only, so it runs on Node and Bun.
 *
 * Label values must have low cardinality: route patterns (`/ahsp/jobs/:code`), never raw paths,
 * user ids or query strings.
 */
export type Labels = Record<string, string | number>

export interface Counter {
  /** Add `value` (default 1, must be ≥ 0) to the series named by `labels`. */
  inc(labels?: Labels, value?: number): void
}

export interface Gauge {
  set(labels: Labels, value: number): void
  inc(labels?: Labels, value?: number): void
  dec(labels?: Labels, value?: number): void
}

export interface Histogram {
  /** Record one observation (seconds for durations, per Prometheus convention). */
  observe(labels: Labels, value: number): void
}

/** One sample returned by a scrape-time collector. */
export interface Sample {
  labels: Labels
  value: number
}

export interface MetricsPort {
  /** Get or create a counter. The same name returns the same counter. */
  counter(name: string, help: string, labelNames?: readonly string[]): Counter
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge
  /** `buckets` are upper bounds, ascending; default suits HTTP latencies in seconds. */
  histogram(name: string, help: string, labelNames?: readonly string[], buckets?: readonly number[]): Histogram
  /**
   * A metric whose values live elsewhere (cache stats, session counts) and are read at scrape time.
   * `read` may be async; if it throws, the metric is left out of that scrape.
   */
  collect(
    name: string,
    help: string,
    type: 'counter' | 'gauge',
    read: () => readonly Sample[] | Promise<readonly Sample[]>,
  ): void
}

/** A `MetricsPort` that can also render what it holds for a scrape (served by `GET /metrics`). */
export interface MetricsRegistry extends MetricsPort {
  /** The Prometheus text exposition (version 0.0.4), ending with a newline. */
  render(): Promise<string>
}

/** The Content-Type of `MetricsRegistry.render()`'s text. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
