import type { MetricsPort } from '../../ports/metrics.js'

/**
 * Process gauges for `/metrics`, read at scrape time: memory, uptime, and which runtime serves
 * (`app_info{runtime="node"|"bun"|"deno",runtime_version}`), so a mixed fleet can be told apart.
 */
export function registerProcessMetrics(metrics: MetricsPort): void {
  // Deno's node compatibility reports a `node` version too: its own key decides first.
  const { bun, deno } = process.versions as { bun?: string; deno?: string }
  const runtime = deno ? 'deno' : bun ? 'bun' : 'node'
  const runtimeVersion = deno ?? bun ?? process.versions.node
  const started = Date.now() / 1000 - process.uptime()
  metrics.collect('app_info', 'Always 1; labels name the runtime serving this instance', 'gauge', () => [
    { labels: { runtime, runtime_version: runtimeVersion }, value: 1 },
  ])
  metrics.collect('process_start_time_seconds', 'Start time of the process, seconds since the epoch', 'gauge', () => [
    { labels: {}, value: Math.round(started) },
  ])
  metrics.collect('process_resident_memory_bytes', 'Resident set size, bytes', 'gauge', () => [
    { labels: {}, value: process.memoryUsage().rss },
  ])
  metrics.collect('process_heap_used_bytes', 'JavaScript heap in use, bytes', 'gauge', () => [
    { labels: {}, value: process.memoryUsage().heapUsed },
  ])
}
